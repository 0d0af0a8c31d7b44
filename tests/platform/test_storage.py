"""Where evidence and bulletins are kept (platform/storage.py): the shared directory (the
default, which every other platform test uses) and an S3-compatible bucket.

The bucket test runs against moto's S3 server on loopback: a fake of AWS S3 from PyPI
in server mode, so boto3 speaks real HTTP to it exactly as to a bucket. It proves that a
scan's evidence, a bulletin and the archived-page viewer go through the bucket (upload,
download, delete) and that nothing is left in local staging; it does not prove how
MinIO or Ceph differ from AWS. It skips when moto's server is not installed."""

from __future__ import annotations

import asyncio
import csv
import gzip
import hashlib
import io
import socket
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.http import Http404
from django.test import Client, override_settings

from govsite.engine import Archived
from govsite.platform import storage
from govsite.platform.accounts.models import Membership, Role
from govsite.platform.bulletins.models import Export
from govsite.platform.bulletins.views import serve_export
from govsite.platform.campaigns import archive
from govsite.platform.campaigns.executor import scan_entry
from govsite.platform.campaigns.models import CampaignSite
from govsite.platform.campaigns.sampling import create_campaign
from govsite.platform.rectification import selfinspection as si
from govsite.platform.rectification import views as rectification_views
from govsite.platform.rectification.models import Task
from govsite.platform.rectification.tasks import file_feedback
from govsite.platform.registry.models import Region
from govsite.platform.registry.samples import load_sample_province
from govsite.samples.server import FleetServer
from govsite.samples.testing import TEST_NOW
from govsite.samples.warcs import write_warc
from govsite.samples.world import World

from ..factories import member
from ..helpers import fast_engine

BUCKET = "govsite-evidence"


def test_the_directory_store_keeps_files_where_every_process_reads_them(tmp_path: Path) -> None:
    with override_settings(DATA_DIR=tmp_path, EVIDENCE_DIR=None, STORE=None):
        kept = storage.store()
        staged = kept.staging("campaign-1/site.warc.gz")
        staged.write_bytes(b"warc")
        ref = kept.keep("campaign-1/site.warc.gz", staged)
        assert ref == str(tmp_path / "warc" / "campaign-1" / "site.warc.gz")
        assert storage.read_bytes(ref) == b"warc"
        assert storage.read_bytes("warc/campaign-1/site.warc.gz") == b"warc"  # an old relative reference
        storage.delete(ref)
        with pytest.raises(FileNotFoundError):
            storage.read_bytes(ref)
    with override_settings(STORE="ftp://elsewhere/"), pytest.raises(Exception, match="GOVSITE_STORE"):
        storage.store()


@pytest.fixture
def s3(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """moto's S3 server on a free loopback port, with a bucket; yields its endpoint."""
    server_module = pytest.importorskip("moto.server", reason="moto's S3 server (moto[s3], flask) is not installed")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = server_module.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    for name, value in {"AWS_ACCESS_KEY_ID": "govsite", "AWS_SECRET_ACCESS_KEY": "govsite-secret",
                        "NO_PROXY": "127.0.0.1", "no_proxy": "127.0.0.1"}.items():  # fmt: skip
        monkeypatch.setenv(name, value)
    endpoint = f"http://127.0.0.1:{port}"
    try:
        with override_settings(STORE=f"s3://{BUCKET}/evidence", S3_ENDPOINT=endpoint, S3_REGION="us-east-1"):
            storage.s3_client().create_bucket(Bucket=BUCKET)
            yield endpoint
            for key in objects():  # moto keeps its buckets for the process: the next test starts empty
                storage.s3_client().delete_object(Bucket=BUCKET, Key=key)
            storage.s3_client().delete_bucket(Bucket=BUCKET)
    finally:
        server.stop()
        storage._client.cache_clear()


def objects() -> list[str]:
    listed = storage.s3_client().list_objects_v2(Bucket=BUCKET)
    return sorted(o["Key"] for o in listed.get("Contents", []))


@pytest.mark.django_db(transaction=True)
def test_evidence_and_bulletins_go_to_an_s3_bucket_and_come_back(
    s3: str, sample_world: World, sample_fleet: FleetServer, tmp_path: Path, settings: Any
) -> None:
    settings.DATA_DIR = tmp_path
    load_sample_province(sample_world)
    campaign = create_campaign(name="普查", kind="census", region=Region.objects.get(code="390400"), as_of=TEST_NOW)
    entry = campaign.sites.select_related("site").get(site__code="3904000001")

    assert asyncio.run(scan_entry(campaign, entry, campaign.profile(), fast_engine(sample_fleet.proxy)))
    row = CampaignSite.objects.get(pk=entry.pk)
    key = row.warc.removeprefix(f"s3://{BUCKET}/")
    assert row.state == "done" and row.warc.startswith(f"s3://{BUCKET}/evidence/campaign-{campaign.pk}/3904000001-")
    assert objects() == [key] and b"WARC/1" in gzip.decompress(storage.read_bytes(row.warc))
    assert not list(tmp_path.rglob("*.warc.gz"))  # staged locally, uploaded, staging removed

    # the archived-page viewer reads a copy from the bucket
    local = tmp_path / "page.warc.gz"
    record = write_warc(local, b"<html><body><p>archived-marker</p></body></html>")
    ref = storage.store().keep("campaign-0/page.warc.gz", local)
    assert isinstance(archive.load(ref, record), Archived)
    copy = archive.copy_response(ref, record)
    assert copy.status_code == 200 and b"archived-marker" in copy.content and copy["Content-Security-Policy"]
    assert isinstance(archive.load(f"s3://{BUCKET}/evidence/none.warc.gz", record), str)  # why there is no copy

    # a bulletin kept in the bucket is served from it
    made = Export(bulletin_id=1, format="html", created=datetime(2026, 12, 1, tzinfo=UTC),
                  path=storage.store().keep_bytes("bulletins/1/b.html", b"<p>bulletin</p>"))  # fmt: skip
    assert made.path == f"s3://{BUCKET}/evidence/bulletins/1/b.html"
    assert b"".join(serve_export(made).streaming_content) == b"<p>bulletin</p>"

    storage.delete(ref)
    assert objects() == sorted([key, "evidence/bulletins/1/b.html"])


def uploads_are_kept_in_the_store_and_served_from_it(sample_world: World, bucket: bool) -> None:
    """A feedback attachment and a self-inspection report go to the configured store,
    are streamed back by the download view (not above the upload limit), and a replaced
    report's file is deleted from it."""
    load_sample_province(sample_world)
    campaign = create_campaign(name="普查", kind="census", region=Region.objects.get(code="390400"), as_of=TEST_NOW)
    entry = campaign.sites.select_related("site").get(site__code="3904000001")
    task = Task.objects.create(entry=entry, site=entry.site, unit="北溪市人民政府办公室", deadline=date(2026, 12, 8))
    operator = member("operator", Role.OPERATOR, sites=("3904000001",))
    recheck = file_feedback(task, operator, "已整改", ("../整改 说明.pdf", b"%PDF-1.4 fixed"))
    attachment = recheck.feedback.attachment
    round_ = si.create_round(name="自查", period="2026Q4", region=Region.objects.get(code="390000"),
                             deadline=date(2026, 11, 30))  # fmt: skip
    yunjiang = si.units(round_)[0]
    city = member("city", Role.MUNICIPAL, "390100")
    rows = io.StringIO()
    csv.writer(rows).writerows([["网站标识码", "自查得分", "自查结论"], ["3901000001", "95", "合格"]])
    first = si.submit(round_, yunjiang, city, ("t.csv", rows.getvalue().encode()), ("r.pdf", b"%PDF-1.4 one"))
    second = si.submit(round_, yunjiang, city, ("t.csv", rows.getvalue().encode()), ("r.pdf", b"%PDF-1.4 two"))
    assert first.pk == second.pk and first.report != second.report
    if bucket:
        assert attachment.startswith(f"s3://{BUCKET}/evidence/rectification/task-{task.pk}/")
        assert second.report.startswith(f"s3://{BUCKET}/evidence/self-inspection/round-{round_.pk}/")
        assert objects() == sorted(ref.removeprefix(f"s3://{BUCKET}/") for ref in (attachment, second.report))
    else:
        root = Path(settings.DATA_DIR) / "warc"
        assert Path(attachment).parent == root / "rectification" / f"task-{task.pk}"
        assert sorted(p for p in root.rglob("*") if p.is_file()) == sorted([Path(attachment), Path(second.report)])
    with pytest.raises(FileNotFoundError):
        storage.read_bytes(first.report)  # the replaced report is gone

    served = rectification_views._download(attachment, "整改说明.pdf")
    assert b"".join(served.streaming_content) == b"%PDF-1.4 fixed" and served["Content-Length"] == "14"
    served = rectification_views._download(second.report, "r.pdf")
    assert b"".join(served.streaming_content) == b"%PDF-1.4 two"
    with override_settings(RECTIFICATION_ATTACHMENT_MAX_BYTES=13), pytest.raises(Http404):
        rectification_views._download(attachment, "x.pdf")  # larger than any upload accepted: not read
    with pytest.raises(Http404):
        rectification_views._download(first.report, "r.pdf")


@pytest.mark.django_db
def test_uploads_go_to_the_directory_store(sample_world: World, tmp_path: Path, settings: Any) -> None:
    settings.DATA_DIR, settings.EVIDENCE_DIR, settings.STORE = tmp_path, None, None
    uploads_are_kept_in_the_store_and_served_from_it(sample_world, bucket=False)


@pytest.mark.django_db
def test_uploads_go_to_an_s3_bucket(s3: str, sample_world: World, tmp_path: Path, settings: Any) -> None:
    settings.DATA_DIR = tmp_path
    uploads_are_kept_in_the_store_and_served_from_it(sample_world, bucket=True)
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]  # nothing of theirs on this machine's disk


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="Debian's chromium is not installed")
def test_screenshots_go_to_the_bucket_and_the_archived_page_serves_them_from_it(
    s3: str, sample_world: World, sample_fleet: FleetServer, tmp_path: Path, settings: Any
) -> None:
    """With ``GOVSITE_SCREENSHOTS=1`` a scan's screenshots are kept in the bucket beside its
    WARC object, nothing is left in the worker's staging folder, and the web app serves
    them from the bucket."""
    settings.DATA_DIR, settings.SCREENSHOTS = tmp_path, True
    load_sample_province(sample_world)
    campaign = create_campaign(name="普查", kind="census", region=Region.objects.get(code="390400"), as_of=TEST_NOW)
    entry = campaign.sites.select_related("site").get(site__code="3904000001")  # 6 blank columns
    config = replace(fast_engine(sample_fleet.proxy), check_links=False, articles_per_column=0, messages_max=0,
                     guides_max=0)  # fmt: skip
    assert asyncio.run(scan_entry(campaign, entry, campaign.profile(), config))
    row = CampaignSite.objects.get(pk=entry.pk)
    result = row.scan_result
    assert result is not None
    names = {n for f in result.findings if f.evidence for n in f.evidence.screenshots}
    assert names
    folder = f"evidence/campaign-{campaign.pk}/screenshots/"
    assert {k.removeprefix(folder) for k in objects() if k.startswith(folder)} == names
    assert not [p for p in tmp_path.rglob("*") if p.is_file() and p.suffix in (".png", ".gz")]  # staging emptied

    Membership.objects.create(user=User.objects.create_user("admin", password="pw"), role=Role.ADMIN)
    c = Client()
    assert c.login(username="admin", password="pw")
    index, finding = next((i, f) for i, f in enumerate(result.findings) if f.evidence and f.evidence.screenshots)
    assert finding.evidence is not None
    page = f"/campaigns/{campaign.pk}/sites/{entry.pk}/archive/{index}/"
    name = finding.evidence.screenshots[0]
    assert f"?shot={name}" in c.get(page).content.decode()
    got = c.get(f"{page}?shot={name}")
    assert got.status_code == 200 and got["Content-Type"] == "image/png"
    assert hashlib.sha256(got.content).hexdigest() + ".png" == name  # the bucket's object, as drawn
