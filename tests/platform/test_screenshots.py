"""Screenshots of findings through the platform (``GOVSITE_SCREENSHOTS=1``): a campaign run
by the in-process executor on the scripted fleet's XHR site keeps them in the store
beside its WARC file, the review and archived-copy pages show them, and the bulletin's
problem-site annex includes them when asked (.docx, .html, .pdf, and ``govsite bulletin
--screenshots``) — within its caps, and only pictures of our own store."""

from __future__ import annotations

import base64
import hashlib
import io
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from docx import Document
from PIL import Image

from govsite.engine import Evidence, Finding, ScanResult, load_profile
from govsite.engine.scan import evaluate
from govsite.platform.bulletins import exports
from govsite.platform.bulletins.models import Bulletin, draft
from govsite.platform.campaigns.executor import run_campaign
from govsite.platform.campaigns.models import Campaign, CampaignSite
from govsite.platform.campaigns.sampling import create_campaign
from govsite.platform.registry.models import Region, Site
from govsite.platform.registry.samples import load_sample_province
from govsite.samples.generate import build_world
from govsite.samples.manifest import manifest
from govsite.samples.server import FleetServer
from govsite.samples.testing import TEST_AS_OF, TEST_NOW
from govsite.samples.world import World
from tests.engine.snapshots import snapshot

from ..factories import OWN_SITE, PASSWORD, person
from ..helpers import database_url, fast_engine, govsite

CHROMIUM = Path("/usr/bin/chromium")
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")
DATA_URI = re.compile(r'src="data:image/png;base64,([^"]+)"')


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest() + ".png"


def windows(result: ScanResult) -> list[str]:
    """The window screenshots of the counted findings, in order, each once (what the annex draws from)."""
    names = [f.evidence.screenshots[0] for f in result.findings
             if f.evidence and f.evidence.screenshots and f.severity != "suspected"]  # fmt: skip
    return list(dict.fromkeys(names))


def in_html(data: bytes) -> list[str]:
    return [sha(base64.b64decode(b)) for b in DATA_URI.findall(data.decode())]


def in_docx(data: bytes) -> list[str]:
    doc = Document(io.BytesIO(data))
    return [sha(r.target_part.blob) for r in doc.part.rels.values() if r.reltype.endswith("/image")]


@pytest.mark.django_db(transaction=True)  # the executor saves from threads; the command reads from another process
@needs_chromium
@pytest.mark.timeout(600)  # about a minute on a quiet machine
def test_the_executors_screenshots_are_shown_on_the_pages_and_in_the_bulletin(
    script_world: World, script_fleet: FleetServer, tmp_path: Path, settings: Any
) -> None:
    settings.DATA_DIR, settings.EVIDENCE_DIR, settings.STORE, settings.SCREENSHOTS = tmp_path, None, None, True
    load_sample_province(script_world)
    xhr = next(s for s in manifest(script_world)["sites"] if s["script"] == "xhr")
    site, failing = Site.objects.get(code=xhr["code"]), Site.objects.get(code=OWN_SITE)  # 6 blank columns: 不合格
    campaign = create_campaign(name="脚本站点抽查", kind="spot_check", region=Region.objects.get(code="390000"),
                               as_of=TEST_NOW, among=[site, failing])  # fmt: skip
    config = replace(fast_engine(script_fleet.proxy), check_links=False, articles_per_column=0, messages_max=0,
                     guides_max=0)  # fmt: skip
    done = run_campaign(campaign, config)  # the in-process executor, as the campaign page starts it
    entry, problem = done.sites.get(site=site), done.sites.get(site=failing)
    result, failed = entry.scan_result, problem.scan_result
    assert entry.state == problem.state == CampaignSite.State.DONE and result is not None and failed is not None
    assert problem.verdict == "不合格"

    # kept in the store beside the WARC file, each once, the attempts' staging folders gone
    shown = [(i, f) for i, f in enumerate(result.findings) if f.evidence and f.evidence.screenshots]
    assert {f.check for _i, f in shown} >= {"update.column_blank", "identity.conac_missing"}
    names = {n for r in (result, failed) for f in r.findings if f.evidence for n in f.evidence.screenshots}
    kept = Path(entry.warc).parent / "screenshots"
    assert {p.name for p in kept.iterdir()} == names
    assert all(sha((kept / n).read_bytes()) == n for n in names)  # content-addressed
    assert not list(kept.parent.glob("*-screenshots"))

    # the review page links each finding's archived copy; that page shows its screenshots
    c = Client()
    person("admin")
    assert c.login(username="admin", password=PASSWORD)
    base = f"/campaigns/{campaign.pk}/sites/{entry.pk}/"
    review = c.get(base).content.decode()
    index, conac = next((i, f) for i, f in shown if f.check == "identity.conac_missing")
    assert f"{base}archive/{index}/" in review
    archived = c.get(f"{base}archive/{index}/").content.decode()
    assert conac.evidence is not None
    for name in conac.evidence.screenshots:
        assert f'src="?shot={name}"' in archived
        got = c.get(f"{base}archive/{index}/?shot={name}")
        assert got.status_code == 200 and got["Content-Type"] == "image/png"
        assert got.content == (kept / name).read_bytes()

    # the bulletin's problem-site annex, in each format that holds pictures
    want = windows(failed)[: settings.BULLETIN_SCREENSHOTS_PER_SITE]  # the problem site's (the xhr site passed)
    assert len(want) == 2
    bulletin = draft(done)
    docx = exports.export(bulletin, "docx", use_scan_verdicts=True, screenshots=True)
    assert [n for n in in_docx(docx.data) if n in names] == want
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.data)).paragraphs)
    assert f"图1　{failing.name}：" in text and "问题截图（红框标出问题所在）" in text
    html = exports.export(bulletin, "html", use_scan_verdicts=True, screenshots=True)
    assert in_html(html.data) == want and f"图1　{failing.name}：" in html.data.decode()
    assert exports.rewrite(html.export) == html.data  # the kept inputs name the pictures; they are read again
    assert "figures" in str(html.export.inputs) and "base64" not in str(html.export.inputs)
    plain = exports.export(bulletin, "html", use_scan_verdicts=True)
    assert in_html(plain.data) == [] and "问题截图" not in plain.data.decode()
    pdf = exports.export(bulletin, "pdf", use_scan_verdicts=True, screenshots=True)
    assert pdf.data.startswith(b"%PDF")
    if shutil.which("pdfimages"):
        (tmp_path / "b.pdf").write_bytes(pdf.data)
        listed = subprocess.run(["pdfimages", "-list", str(tmp_path / "b.pdf")], capture_output=True, check=True).stdout
        sizes = {tuple(Image.open(kept / n).size) for n in want}
        rows = [line.split() for line in listed.decode().splitlines()[2:]]
        assert {(int(r[3]), int(r[4])) for r in rows if r[2] == "image"} >= sizes  # the pictures, at full size

    # the command line, reading the same rows from another process
    env = {"GOVSITE_DATA_DIR": str(tmp_path), "GOVSITE_DATABASE_URL": database_url(connection), "GOVSITE_LANG": "zh"}
    made = govsite("bulletin", str(campaign.pk), "--format", "html", "--use-scan-verdicts", "--screenshots",
                   "-o", str(tmp_path / "out.html"), **env)  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert in_html((tmp_path / "out.html").read_bytes()) == want
    assert Bulletin.objects.filter(campaign=campaign).count() == 1


def pictures_campaign(tmp_path: Path, pictures: list[bytes], extra: tuple[str, ...] = ()) -> Campaign:
    """A census whose first site failed with one finding per picture (the picture stored
    as the engine stores it, beside the site's WARC file), and one finding per name of
    ``extra`` (not stored by us)."""
    if not Region.objects.exists():
        load_sample_province(build_world(1, TEST_AS_OF))
    campaign = create_campaign(name="截图上限", kind="census", region=Region.objects.get(code="390400"), as_of=TEST_NOW)
    entry = campaign.sites.select_related("site").order_by("site__code").first()
    assert entry is not None
    warc = tmp_path / "warc" / f"campaign-{campaign.pk}" / "site.warc.gz"
    folder = warc.parent / "screenshots"
    folder.mkdir(parents=True)
    names = []
    for png in pictures:
        names.append(sha(png))
        (folder / sha(png)).write_bytes(png)
    url = entry.site.url
    findings = tuple(
        Finding(
            "update.column_blank",
            f"{url}col{i}/",
            url,
            "normal",
            "空白栏目",
            evidence=Evidence(url, "record", "", TEST_NOW, screenshots=(name, name)),
        )
        for i, name in enumerate([*names, *extra])
    )
    entry.result = replace(evaluate(snapshot(), load_profile("inspection-2019")), findings=findings).to_data()
    entry.state, entry.warc = CampaignSite.State.DONE, str(warc)
    entry.verdict = entry.final_verdict = "不合格"
    entry.save()
    return campaign


def png(size: tuple[int, int], seed: int) -> bytes:
    """A PNG that does not compress (noise), so its size follows its pixels."""
    image = Image.frombytes("RGB", size, hashlib.shake_256(str(seed).encode()).digest(size[0] * size[1] * 3))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


@pytest.mark.django_db
def test_the_annex_keeps_to_its_caps_and_to_our_own_pictures(tmp_path: Path, settings: Any) -> None:
    settings.DATA_DIR, settings.EVIDENCE_DIR, settings.STORE = tmp_path, None, None
    small, big, other, forged = png((40, 30), 1), png((300, 200), 2), png((40, 30), 3), png((40, 30), 4)
    bulletin = draft(pictures_campaign(tmp_path, [small, big, other]))

    def annexed(**caps: int) -> tuple[list[str], str]:
        for key, value in caps.items():
            setattr(settings, key, value)
        made = exports.export(bulletin, "html", use_scan_verdicts=True, screenshots=True)
        return in_html(made.data), made.data.decode()

    got, _text = annexed(BULLETIN_SCREENSHOTS_PER_SITE=3, BULLETIN_SCREENSHOT_MAX_BYTES=len(big),
                         BULLETIN_SCREENSHOTS_MAX_BYTES=10 * len(big))  # fmt: skip
    assert got == [sha(small), sha(big), sha(other)]
    got, text = annexed(BULLETIN_SCREENSHOTS_PER_SITE=2)
    assert got == [sha(small), sha(big)] and "另有1张截图" in text
    got, text = annexed(BULLETIN_SCREENSHOTS_PER_SITE=3, BULLETIN_SCREENSHOT_MAX_BYTES=len(big) - 1)
    assert got == [sha(small), sha(other)] and "另有1张截图" in text  # too large: left out
    got, text = annexed(BULLETIN_SCREENSHOT_MAX_BYTES=len(big), BULLETIN_SCREENSHOTS_MAX_BYTES=len(small) + len(big))
    assert got == [sha(small), sha(big)] and "另有1张截图" in text  # the bulletin's budget spent

    foreign = pictures_campaign(tmp_path / "f", [], extra=(sha(forged), "../elsewhere.png", "x" * 64 + ".png"))
    folder = Path(foreign.sites.get(state="done").warc).parent
    (folder / "screenshots" / sha(forged)).write_bytes(small)  # a file whose bytes are not its name
    (folder / "elsewhere.png").write_bytes(small)  # beside the folder, not in it
    made = exports.export(draft(foreign), "docx", use_scan_verdicts=True, screenshots=True)
    assert not set(in_docx(made.data)) & {sha(small), sha(forged)}
    text = "\n".join(p.text for p in Document(io.BytesIO(made.data)).paragraphs)
    assert "3张问题截图因数量、大小限制或文件缺失未收录" in text
