"""Every page for every role, with the Django test client: who sees what, who may act."""

from __future__ import annotations

import csv
import io
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from openpyxl import load_workbook

from govsite.platform.accounts.access import can_review
from govsite.platform.campaigns.executor import is_running_here
from govsite.platform.campaigns.models import Campaign
from govsite.platform.campaigns.sampling import create_campaign
from govsite.platform.registry.models import Region, Site
from govsite.platform.registry.samples import load_sample_province
from govsite.platform.registry.tabular import COLUMNS
from govsite.samples.server import FleetServer
from govsite.samples.testing import Scans
from govsite.samples.world import World

from ..factories import PASSWORD, people, scanned_campaign
from ..helpers import FAST, TEST_NOW
from .test_mismatches import wait_for_probe

pytestmark = pytest.mark.django_db
#: The personas this module walks every page with.
NAMES = ("admin", "province", "city", "other_city", "inspector", "stranger", "operator", "nowhere")


@pytest.fixture
def world(
    sample_world: World, sample_fleet: FleetServer, sample_scans: Scans, tmp_path: Path, settings: Any
) -> Campaign:
    """北溪市's census, scanned; campaigns started in the pages scan the fleet too, quickly."""
    settings.DATA_DIR = tmp_path
    settings.EXECUTOR_ENGINE = {**FAST, "proxy": sample_fleet.proxy}
    load_sample_province(sample_world)
    people(*NAMES)
    campaign = scanned_campaign(
        sample_scans, name="北溪市普查", kind="census", region=Region.objects.get(code="390400")
    )
    campaign.inspectors.add(User.objects.get(username="inspector"))
    return campaign


def client(name: str) -> Client:
    c = Client()
    assert c.login(username=name, password=PASSWORD)
    return c


def test_anonymous_visitors_are_sent_to_log_in(world: Campaign) -> None:
    for url in ("/sites/", "/campaigns/", f"/campaigns/{world.pk}/", f"/campaigns/{world.pk}/progress.json"):
        response = Client().get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    assert Client().get("/accounts/login/").status_code == 200


def wait_until_finished(campaign: Campaign, seconds: float = 60) -> Campaign:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        campaign.refresh_from_db()
        if campaign.state == Campaign.State.FINISHED and not is_running_here(campaign):  # its thread has let go
            return campaign
        time.sleep(0.2)
    raise AssertionError(f"campaign {campaign.pk} did not finish in {seconds} s")


@pytest.mark.django_db(transaction=True)  # the operator's self-check runs in a thread of its own
def test_every_role_against_every_page(world: Campaign) -> None:
    entry = world.sites.get(site__code="3904000001")
    finding = next(i for i, f in enumerate(entry.result["findings"]) if f["evidence"]["record_id"])
    pages = {
        "sites": "/sites/",
        "site": "/sites/3904000001/",
        "campaigns": "/campaigns/",
        "campaign": f"/campaigns/{world.pk}/",
        "progress": f"/campaigns/{world.pk}/progress.json",
        "entry": f"/campaigns/{world.pk}/sites/{entry.pk}/",
        "archived": f"/campaigns/{world.pk}/sites/{entry.pk}/archive/{finding}/",
        "export.xlsx": "/sites/export.xlsx",
        "export.csv": "/sites/export.csv",
        "mismatches": "/sites/mismatches/",
    }
    sees_campaign = {"admin", "province", "city", "inspector", "operator"}
    supervisors = {"admin", "province", "city", "other_city"}
    for name in NAMES:
        c = client(name)
        for page, url in pages.items():
            expected = 200
            if page in ("campaign", "progress", "entry", "archived") and name not in sees_campaign:
                expected = 404
            if page == "site" and name in ("other_city", "stranger", "nowhere"):
                expected = 404
            if page == "mismatches" and name not in supervisors:
                expected = 403
            assert c.get(url).status_code == expected, (name, page)
        upload = c.post("/sites/import/", {})  # no file: a clear error for those who may import
        assert upload.status_code == (400 if name in supervisors else 403), name
        self_check = c.post("/sites/3904000001/self-check/")
        expected = 302 if name == "operator" else 404 if name in ("other_city", "stranger", "nowhere") else 403
        assert self_check.status_code == expected, name
        review = c.post(pages["entry"], {"action": "confirmed", "index": finding})
        may_review = name in ("admin", "province", "city", "inspector")
        assert review.status_code == (302 if may_review else 403 if name in sees_campaign else 404), name
        run = c.post(f"/campaigns/{world.pk}/run/")
        assert run.status_code == (
            302 if name in ("admin", "province", "city") else 403 if name in sees_campaign else 404
        ), name
    assert len(client("city").get("/sites/").context["sites"]) == 7
    assert len(client("operator").get("/sites/").context["sites"]) == 1
    assert len(client("nowhere").get("/sites/").context["sites"]) == 0
    assert client("city").get("/sites/")["X-Frame-Options"] == "SAMEORIGIN"  # no other site frames our buttons
    own = wait_until_finished(Campaign.objects.get(kind="self_check"))
    assert [e.site.code for e in own.sites.all()] == ["3904000001"] and own.sites.get().state == "done"
    assert not can_review(User.objects.get(username="city"), own)  # the operator's own result, read-only to all
    assert client("city").post(f"/campaigns/{own.pk}/run/").status_code == 403


def test_the_archived_page_is_marked_and_sandboxed(world: Campaign) -> None:
    entry = world.sites.get(site__code="3904000001")
    index = next(i for i, f in enumerate(entry.result["findings"]) if f["check"] == "update.column_blank")
    c = client("city")
    wrapper = c.get(f"/campaigns/{world.pk}/sites/{entry.pk}/archive/{index}/")
    assert "存档副本" in wrapper.content.decode() and "sandbox" in wrapper.content.decode()
    raw = c.get(f"/campaigns/{world.pk}/sites/{entry.pk}/archive/{index}/?raw=1")
    assert raw.status_code == 200 and raw["Content-Security-Policy"].startswith("sandbox")
    assert "北溪市人民政府" in b"".join(raw.streaming_content).decode("gb18030")  # streamed


def test_a_dismissal_through_the_page_needs_a_reason_and_is_shown(world: Campaign) -> None:
    entry = world.sites.get(site__code="3904000001")
    index = next(i for i, f in enumerate(entry.result["findings"]) if f["check"] == "update.column_blank")
    c = client("inspector")
    page = c.post(f"/campaigns/{world.pk}/sites/{entry.pk}/", {"action": "dismissed", "index": index})
    assert page.status_code == 200 and "排除问题须说明理由" in page.content.decode()
    c.post(f"/campaigns/{world.pk}/sites/{entry.pk}/", {"action": "dismissed", "index": index, "reason": "已撤销栏目"})
    shown = c.get(f"/campaigns/{world.pk}/sites/{entry.pk}/").content.decode()
    assert "已撤销栏目" in shown and "finding.dismissed" in shown


def test_creating_a_campaign_in_the_page(world: Campaign) -> None:
    made = client("city").post(
        "/campaigns/", {"name": "北溪市抽查", "kind": "spot_check", "region": "390400", "ratio": "0.5", "seed": "9"}
    )
    assert made.status_code == 302
    created = Campaign.objects.get(name="北溪市抽查")
    assert (created.seed, str(created.ratio), created.region.code) == (9, "0.500", "390400")
    outside = client("city").post("/campaigns/", {"name": "越权", "region": "390100"})
    assert outside.status_code == 200 and "管辖范围" in outside.content.decode()
    assert client("operator").post("/campaigns/", {"name": "x", "region": "390400"}).status_code == 403
    bad = client("admin").post("/campaigns/", {"name": "x", "region": "390400", "ratio": "abc"})
    assert "比例" in bad.content.decode()


def registry_file(rows: list[list[str]]) -> SimpleUploadedFile:
    out = io.StringIO()
    csv.writer(out).writerows([[h for h, _f, _r in COLUMNS], *rows])
    return SimpleUploadedFile("sites.csv", out.getvalue().encode("utf-8-sig"), content_type="text/csv")


NEW_COUNTY_SITE = ["3904210099", "北溪市某县人民政府", "http://www.mouxian.gov.cn/", "某县政府办", "某县人民政府", "390499", "某县",
                   "县级政府门户", "门户网站", "运行", "", "", "", "", ""]  # fmt: skip


def test_uploading_the_registry_in_the_page(world: Campaign) -> None:
    city = client("city")
    done = city.post("/sites/import/", {"file": registry_file([NEW_COUNTY_SITE])})
    assert done.status_code == 200 and done.context["report"].created == ["3904210099"]
    assert Site.objects.get(code="3904210099").region.name == "某县"
    renamed = [*NEW_COUNTY_SITE[:1], "北溪市某县政府", *NEW_COUNTY_SITE[2:]]
    assert city.post("/sites/import/", {"file": registry_file([renamed])}).context["report"].updated == ["3904210099"]

    # a municipal supervisor imports within their city only: the whole file is refused
    elsewhere = ["3901000099", "云江市某局", "http://ju.yunjiang.gov.cn/", "某局", "云江市人民政府", "390100", "",
                 "市级政府部门", "部门网站", "运行", "", "", "", "", ""]  # fmt: skip
    bad = ["3904210098", "", "ftp://x", "", "", "390499", "", "无此层级", "门户网站", "运行", "昨天", "", "", "", ""]
    rejected = city.post("/sites/import/", {"file": registry_file([NEW_COUNTY_SITE, elsewhere])})
    assert rejected.status_code == 400
    assert [(e.row, e.column) for e in rejected.context["errors"]] == [(3, "行政区划代码")]
    assert not Site.objects.filter(code="3901000099").exists()
    per_cell = city.post("/sites/import/", {"file": registry_file([bad])}).context["errors"]
    assert {(e.row, e.column) for e in per_cell} >= {(2, "网站名称"), (2, "统计层级"), (2, "状态日期")}
    assert not Site.objects.filter(code="3904210098").exists()
    page = per_cell and city.post("/sites/import/", {"file": registry_file([bad])}).content.decode()
    assert "3904210098" not in client("admin").get("/sites/").content.decode() and "统计层级" in page

    # the province may import the same row; oversized files are refused before they are read
    assert client("province").post("/sites/import/", {"file": registry_file([elsewhere])}).status_code == 200
    with override_settings(REGISTRY_UPLOAD_MAX_BYTES=100):
        big = client("admin").post("/sites/import/", {"file": registry_file([NEW_COUNTY_SITE] * 5)})
    assert big.status_code == 400 and "MB" in big.context["errors"][0].message


def test_export_holds_what_the_user_sees_in_the_import_layout(world: Campaign) -> None:
    data = client("city").get("/sites/export.csv?level=city_department").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(data)))
    assert rows[0] == [h for h, _f, _r in COLUMNS]
    assert sorted(r[0] for r in rows[1:]) == sorted(
        Site.objects.filter(region__code="390400", level="city_department").values_list("code", flat=True)
    )
    workbook = client("operator").get("/sites/export.xlsx")
    assert workbook["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(io.BytesIO(workbook.content)).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["3904000001"]
    assert client("admin").get("/sites/export.pdf").status_code == 404


@pytest.mark.django_db(transaction=True)  # the probe of closed sites runs in a thread of its own
def test_registry_against_reality_in_the_page(world: Campaign) -> None:
    closed = Site.objects.get(code="3904000002")  # the fleet's down site: really offline
    closed.apply({"status": Site.Status.CLOSED})
    online = Site.objects.get(code="3904000003")
    online.apply({"status": Site.Status.CLOSURE_REQUESTED})
    portal = Site.objects.get(code="3904000001")
    Site(code="3904000099", name="北溪市政务网", url="http://www.beixi-old.gov.cn/", organizer="北溪市政府办",
         supervisor="北溪市人民政府", region=portal.region, level=portal.level, kind=portal.kind).apply({})  # fmt: skip
    page = client("city").get("/sites/mismatches/")
    kinds = {(m.site, m.kind) for m, _name in page.context["rows"]}
    assert kinds == {("3904000001", "two_portals"), ("3904000099", "two_portals")}
    assert client("city").post("/sites/mismatches/").status_code == 302  # the probe runs after the request
    probed = wait_for_probe(client("city"))
    kinds = {(m.site, m.kind) for m, _name in probed.context["rows"]}
    assert ("3904000003", "closed_but_online") in kinds and ("3904000002", "closed_but_online") not in kinds
    assert client("other_city").get("/sites/mismatches/").context["rows"] == []


def test_a_city_sees_its_part_of_the_provinces_campaign_but_does_not_run_or_review_it(world: Campaign) -> None:
    provincial = create_campaign(name="华川省抽查", kind="spot_check", region=Region.objects.get(code="390000"),
                                 as_of=TEST_NOW, ratio=Decimal("0.5"), seed=7)  # fmt: skip
    city = client("city")
    assert provincial in city.get("/campaigns/").context["campaigns"]
    shown = {e.site.region.code[:4] for e in city.get(f"/campaigns/{provincial.pk}/").context["entries"]}
    assert shown == {"3904"}
    assert city.post(f"/campaigns/{provincial.pk}/run/").status_code == 403
    assert not can_review(User.objects.get(username="city"), provincial)
    assert can_review(User.objects.get(username="province"), provincial)
    assert client("other_city").get(f"/campaigns/{world.pk}/").status_code == 404  # not its sites
