"""Archived copies are hostile input: capped decompression, damaged files, a separate origin."""

from __future__ import annotations

import gzip
import random
import tracemalloc
from dataclasses import replace
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client, override_settings

from govsite.engine import ArchiveDamaged, Evidence, Finding, load_profile, read_record, record_body
from govsite.engine.scan import evaluate
from govsite.platform.accounts.models import Membership, Role
from govsite.platform.campaigns.models import CampaignSite
from govsite.platform.campaigns.sampling import create_campaign
from govsite.platform.registry.models import Region
from govsite.platform.registry.samples import load_sample_province
from govsite.samples.generate import build_world
from govsite.samples.testing import TEST_AS_OF
from govsite.samples.warcs import write_warc
from tests.engine.snapshots import snapshot

HOSTILE_PAGE = b"<html><body><p>archived-marker</p><script>document.body.innerHTML='script-ran'</script></body></html>"
NOISE = random.Random(14).randbytes(100_000).hex().encode()  # does not compress: a cut file loses part of it
BOMB = gzip.compress(b"\0" * (64 * 1024 * 1024), 9)  # 64 MB of zeros in about 64 KB
BLANKS = b"<!doctype html><p>archived-marker</p>" + b" " * (4 * 1024 * 1024)  # within the 5 MiB cap; packs to 4 KB
BOUND = 1_500_000  # bytes: what reading a copy may hold at once, far below the page (4 MiB) or the cap (5 MiB)


def test_a_gzip_bomb_is_unpacked_only_up_to_the_fetchers_cap(tmp_path: Path) -> None:
    record_id = write_warc(tmp_path / "bomb.warc.gz", BOMB, "gzip")
    tracemalloc.start()
    try:
        found = read_record(tmp_path / "bomb.warc.gz", record_id)
        shown = sum(len(piece) for piece in record_body(tmp_path / "bomb.warc.gz", record_id))
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert found is not None and found.too_large and shown == 5 * 1024 * 1024  # stopped at the cap
    assert peak < BOUND, peak  # a piece at a time: never the 64 MB, nor the 5 MiB cap


def test_a_page_is_read_back_a_piece_at_a_time_whatever_it_packs_to(tmp_path: Path) -> None:
    path = tmp_path / "blanks.warc.gz"
    plain, packed = write_warc(path, BLANKS), write_warc(tmp_path / "gz.warc.gz", gzip.compress(BLANKS), "gzip")
    tracemalloc.start()
    try:
        found = read_record(path, plain)
        pieces = [len(piece) for piece in record_body(path, plain)]
        unpacked = [len(piece) for piece in record_body(tmp_path / "gz.warc.gz", packed)]
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert found is not None and not found.too_large and not found.damaged and found.size == len(BLANKS)
    assert sum(pieces) == sum(unpacked) == len(BLANKS) and max(pieces + unpacked) <= 65536
    assert peak < BOUND, peak  # the WARC member's 4 KB of gzip is undone a piece at a time too


def test_a_truncated_or_corrupt_file_gives_what_can_be_read(tmp_path: Path) -> None:
    whole = tmp_path / "whole.warc.gz"
    record_id = write_warc(whole, HOSTILE_PAGE + NOISE)
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    found = read_record(cut, record_id)
    assert found is not None and found.damaged and "missing" in found.damaged
    body = b"".join(record_body(cut, record_id))
    assert body.startswith(HOSTILE_PAGE) and len(HOSTILE_PAGE) < len(body) == found.size < len(HOSTILE_PAGE + NOISE)
    garbage = tmp_path / "garbage.warc.gz"
    garbage.write_bytes(b"\x1f\x8b\x08garbage" * 100)
    with pytest.raises(ArchiveDamaged, match="damaged"):
        read_record(garbage, record_id)
    assert list(record_body(garbage, record_id)) == []  # a streamed copy ends, it never raises


def entry_with(tmp_path: Path, name: str, body: bytes, encoding: str | None = None) -> CampaignSite:
    """A scanned entry whose one finding points at a record of ``body`` in its own WARC file."""
    if not Region.objects.exists():
        load_sample_province(build_world(1, TEST_AS_OF))
    warc = tmp_path / f"{name}.warc.gz"
    record_id = write_warc(warc, body, encoding)
    campaign = create_campaign(name=name, kind="census", region=Region.objects.get(code="390400"), as_of=TEST_AS_OF)
    entry = campaign.sites.first()
    assert entry is not None
    evidence = Evidence("http://www.huachuan.gov.cn/", record_id, "表格下载", TEST_AS_OF)
    finding = Finding("update.column_blank", "x", "http://www.huachuan.gov.cn/", "normal", "m", {}, evidence)
    entry.result = replace(evaluate(snapshot(), load_profile("inspection-2019")), findings=(finding,)).to_data()
    entry.state, entry.warc = CampaignSite.State.DONE, str(warc)
    entry.save()
    return entry


def admin_client() -> Client:
    if not User.objects.filter(username="admin").exists():
        Membership.objects.create(user=User.objects.create_user("admin", password="pw"), role=Role.ADMIN)
    c = Client()
    assert c.login(username="admin", password="pw")
    return c


def pages(entry: CampaignSite) -> str:
    return f"/campaigns/{entry.campaign_id}/sites/{entry.pk}/archive/0/"


@pytest.mark.django_db
def test_the_archived_page_says_too_large_or_damaged_and_never_fails(tmp_path: Path) -> None:
    c = admin_client()
    bomb = entry_with(tmp_path, "bomb", BOMB, "gzip")
    wrapper, raw = c.get(pages(bomb)), c.get(pages(bomb) + "?raw=1")
    assert (
        wrapper.status_code == 200 and "太大" in wrapper.content.decode() and "<iframe" not in wrapper.content.decode()
    )
    assert raw.status_code == 200 and raw["Content-Security-Policy"].startswith("sandbox")
    assert len(raw.content) < 10_000 and "太大" in raw.content.decode()  # said before any of the page is sent

    whole = entry_with(tmp_path, "cut", HOSTILE_PAGE + NOISE)
    Path(whole.warc).write_bytes(Path(whole.warc).read_bytes()[:50_000])
    wrapper, raw = c.get(pages(whole)), c.get(pages(whole) + "?raw=1")
    assert (
        wrapper.status_code == 200 and "missing" in wrapper.content.decode() and "<iframe" in wrapper.content.decode()
    )
    assert raw.status_code == 200 and b"archived-marker" in b"".join(raw.streaming_content)

    broken = entry_with(tmp_path, "broken", HOSTILE_PAGE)
    Path(broken.warc).write_bytes(b"\x1f\x8b\x08garbage" * 100)
    wrapper, raw = c.get(pages(broken)), c.get(pages(broken) + "?raw=1")
    assert wrapper.status_code == 200 and "损坏" in wrapper.content.decode()
    assert raw.status_code == 404 and raw["Content-Security-Policy"].startswith("sandbox")


@pytest.mark.django_db
def test_the_viewer_streams_a_copy_and_answers_a_bomb_with_memory_bounded(tmp_path: Path) -> None:
    c = admin_client()
    page, bomb = entry_with(tmp_path, "blanks", BLANKS), entry_with(tmp_path, "bomb", BOMB, "gzip")
    c.get(pages(page) + "?raw=1")  # the first request's imports and caches are not the copy's
    tracemalloc.start()
    try:
        raw = c.get(pages(page) + "?raw=1")
        sent = [len(piece) for piece in raw.streaming_content]
        _now, peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        refused = c.get(pages(bomb) + "?raw=1")
        _now, bomb_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert raw.status_code == 200 and raw["Content-Security-Policy"].startswith("sandbox")
    assert sum(sent) == len(BLANKS) and len(sent) > 1 and max(sent) <= 65536  # streamed, a piece at a time
    assert refused.status_code == 200 and "太大" in refused.content.decode()
    assert peak < BOUND and bomb_peak < BOUND, (peak, bomb_peak)


ARCHIVE = "http://archive.test:8001"


@pytest.mark.django_db
def test_with_an_archive_origin_copies_are_served_there_only_without_cookies(tmp_path: Path) -> None:
    c = admin_client()
    entry = entry_with(tmp_path, "page", HOSTILE_PAGE)
    with override_settings(ARCHIVE_ORIGIN=ARCHIVE, ALLOWED_HOSTS=["testserver", "archive.test"]):
        wrapper = c.get(pages(entry)).content.decode()
        src = wrapper.split('src="', 1)[1].split('"', 1)[0]
        assert src.startswith(f"{ARCHIVE}/archive/") and "sandbox" in wrapper
        assert c.get(pages(entry) + "?raw=1")["Location"] == src  # never from the platform's origin
        path = src.removeprefix(ARCHIVE)
        assert c.get(path).status_code == 404  # the platform's host has no archive pages
        copy = c.get(path, HTTP_HOST="archive.test:8001")  # the client sends the session cookie along
        assert copy.status_code == 200 and b"archived-marker" in b"".join(copy.streaming_content)
        assert copy["Content-Security-Policy"].startswith("sandbox") and not copy.cookies
        assert "X-Frame-Options" not in copy  # framed by the platform's page, another origin
        assert c.get(pages(entry), HTTP_HOST="archive.test:8001").status_code == 404  # nothing else there
        assert c.get(path[:-5] + "x/", HTTP_HOST="archive.test:8001").status_code == 404  # a forged link


FOOTED_PAGE = (
    "<html><body><div class='main'><p>正文</p></div><div class='footer' style='margin:40px;height:60px'>"
    "主办单位：华川省人民政府办公厅</div></body></html>"
).encode()


@pytest.mark.django_db
@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="Debian's chromium is not installed")
def test_the_archived_page_shows_the_findings_screenshots(tmp_path: Path) -> None:
    """Screenshots the engine drew beside the WARC are shown beside the archived copy and
    served as PNG; nothing else of the folder is."""
    import asyncio

    from govsite.engine.render import Browser
    from govsite.engine.screenshots import attach
    from govsite.engine.transport import RawResponse, WarcLog
    from tests.engine.snapshots import page

    c = admin_client()
    entry = entry_with(tmp_path, "shots", HOSTILE_PAGE)
    warc = Path(entry.warc)
    url = "http://www.huachuan.gov.cn/"
    log = WarcLog(warc)  # a crawl's archive: the page and the crawl's record
    raw = RawResponse(url, 200, "OK", (("Content-Type", "text/html; charset=utf-8"),), FOOTED_PAGE, False, 0.1, None)
    record = log.exchange("GET", raw, {})
    log.run_info({"url": url})
    log.close()
    result = entry.scan_result
    assert result is not None
    finding = replace(result.findings[0], check="identity.conac_missing", url=url,
                      evidence=replace(result.findings[0].evidence, record_id=record))  # fmt: skip
    snap = replace(snapshot(), warc=str(warc), pages=(page(url, FOOTED_PAGE.decode(), record_id=record),))

    async def draw() -> tuple[Finding, ...]:
        browser = Browser()
        try:
            return await attach((finding,), snap, warc.parent / "screenshots", browser)  # where the store keeps them
        finally:
            await browser.close()

    (shown,) = asyncio.run(draw())
    assert shown.evidence is not None and len(shown.evidence.screenshots) == 2 and shown.evidence.outline
    entry.result = replace(result, findings=(shown,)).to_data()
    entry.save()
    html = c.get(pages(entry)).content.decode()
    assert all(f"?shot={name}" in html for name in shown.evidence.screenshots)
    assert "红框" in html
    got = c.get(pages(entry) + f"?shot={shown.evidence.screenshots[0]}")
    assert got.status_code == 200 and got["Content-Type"] == "image/png"
    assert got.content.startswith(b"\x89PNG") and got["X-Content-Type-Options"] == "nosniff"
    (warc.parent / "screenshots" / "other.png").write_bytes(b"\x89PNG")
    assert c.get(pages(entry) + "?shot=other.png").status_code == 404
    assert c.get(pages(entry) + "?shot=../shots.warc.gz").status_code == 404
