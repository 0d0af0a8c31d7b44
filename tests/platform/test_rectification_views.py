"""The rectification and self-inspection pages for every role, with the Django test client:
who sees a task, who assigns it, who answers it; a self-report in the wrong layout refused
through the page with its row/column errors and nothing written."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from govsite.platform.campaigns.models import Campaign
from govsite.platform.rectification import selfinspection
from govsite.platform.rectification.models import SelfReport, Task
from govsite.platform.rectification.recheck import run_recheck
from govsite.platform.rectification.tasks import request_recheck
from govsite.platform.registry.models import Region
from govsite.platform.registry.samples import load_sample_province
from govsite.samples.server import FleetServer
from govsite.samples.testing import Scans
from govsite.samples.world import World

from ..factories import PASSWORD, people, scanned_campaign
from ..helpers import FAST, fast_engine

pytestmark = pytest.mark.django_db(transaction=True)  # feedback starts its re-check in a thread of its own
NAMES = ("admin", "province", "city", "other_city", "inspector", "stranger", "operator")


@pytest.fixture
def world(
    sample_world: World, sample_fleet: FleetServer, sample_scans: Scans, tmp_path: Path, settings: Any
) -> Campaign:
    settings.DATA_DIR = tmp_path
    settings.EXECUTOR_ENGINE = {**FAST, "proxy": sample_fleet.proxy}
    load_sample_province(sample_world)
    people(*NAMES)
    made = scanned_campaign(sample_scans, name="北溪市普查", kind="census", region=Region.objects.get(code="390400"))
    made.inspectors.add(User.objects.get(username="inspector"))
    return made


def client(name: str) -> Client:
    c = Client()
    assert c.login(username=name, password=PASSWORD)
    return c


def test_every_role_against_the_rectification_pages(world: Campaign, sample_fleet: FleetServer) -> None:
    entry = world.sites.get(site__code="3904000001")  # 北溪市人民政府: 不合格
    assert entry.final_verdict == "不合格"
    create = f"/rectification/new/{world.pk}/{entry.pk}/"
    assert client("operator").post(create, {"days": "10"}).status_code == 403
    assert client("other_city").post(create, {"days": "10"}).status_code == 404
    assert client("city").post(create, {"days": "soon"}).status_code == 400
    response = client("inspector").post(create, {"days": "10", "unit": "北溪市政府办公室"})
    task = Task.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/rectification/{task.pk}/"
    assert task.unit == "北溪市政府办公室" and task.findings.count() >= 1
    recheck = run_recheck(request_recheck(task, User.objects.get(username="city")), fast_engine(sample_fleet.proxy))
    pages = {
        "tasks": "/rectification/",
        "task": f"/rectification/{task.pk}/",
        "recheck": f"/rectification/rechecks/{recheck.pk}/",
        "entry": f"/campaigns/{world.pk}/sites/{entry.pk}/",
        "dashboard": f"/dashboard/?campaign={world.pk}",
        "rounds": "/rectification/self-inspection/",
    }
    sees = {"admin", "province", "city", "inspector", "operator"}
    for name in NAMES:
        c = client(name)
        for page, url in pages.items():
            expected = 200 if name in sees or page in ("tasks", "rounds") else 404
            assert c.get(url).status_code == expected, (name, page)
        listed = c.get(pages["tasks"]).context["tasks"]
        assert [t.pk for t in listed] == ([task.pk] if name in sees else []), name
        feedback = c.post(f"/rectification/{task.pk}/feedback/", {"text": "已整改"})
        assert feedback.status_code == (404 if name not in sees else 302 if name in ("admin", "operator") else 403), (
            name
        )
        if feedback.status_code == 302:
            Task.objects.filter(pk=task.pk).update(state=Task.State.OPEN)  # the next persona finds it open again
    page = client("operator").get(pages["recheck"])
    assert page.context["rows"] and "复核时" in page.content.decode()
    # the re-check's own evidence opens from its WARC file, sandboxed
    index = next(i for i, f in enumerate(recheck.result["findings"]) if (f.get("evidence") or {}).get("record_id"))
    archived = f"/rectification/rechecks/{recheck.pk}/archive/{index}/"
    assert "存档副本" in client("operator").get(archived).content.decode()
    raw = client("operator").get(archived + "?raw=1")
    assert raw.status_code == 200 and raw["Content-Security-Policy"].startswith("sandbox")
    assert client("other_city").get(archived).status_code == 404
    assert "整改" in client("city").get(pages["dashboard"]).content.decode()


def test_a_self_report_in_the_wrong_layout_is_refused_in_the_page(world: Campaign, tmp_path: Path) -> None:
    round_ = selfinspection.create_round(name="2026年第四季度自查", period="2026Q4",
                                         region=Region.objects.get(code="390000"), deadline=date(2026, 11, 30))  # fmt: skip
    url = f"/rectification/self-inspection/{round_.pk}/"
    city = client("city")
    assert city.get(url).status_code == 200 and client("stranger").get(url).status_code == 404
    text = io.StringIO()
    csv.writer(text).writerows([["网站标识码", "得分", "自查结论"], ["3904000001", "95", "合格"]])
    table = SimpleUploadedFile("自查结果.csv", text.getvalue().encode("utf-8-sig"))
    report = SimpleUploadedFile("自查报告.pdf", b"%PDF-1.4")
    refused = city.post(f"{url}submit/", {"unit": "region:390400", "table": table, "report": report})
    body = refused.content.decode()
    assert refused.status_code == 400 and "未报送：未保存任何内容" in body
    assert "第 1 行「得分」" in body and "不是自查结果表的列" in body
    assert not SelfReport.objects.exists() and not list(tmp_path.rglob("self-inspection/*/*"))
    wrong_unit = city.post(f"{url}submit/", {"unit": "region:390100"})
    assert wrong_unit.status_code == 403
    template = city.get(f"{url}template/region:390400.xlsx")
    assert template.status_code == 200 and template.content[:2] == b"PK"
    text = io.StringIO()
    csv.writer(text).writerows([["网站标识码", "自查得分", "自查结论"], ["3904000001", "95", "合格"]])
    good = city.post(f"{url}submit/", {"unit": "region:390400",
                                       "table": SimpleUploadedFile("t.csv", text.getvalue().encode()),
                                       "report": SimpleUploadedFile("r.pdf", b"%PDF-1.4")})  # fmt: skip
    assert good.status_code == 302 and SelfReport.objects.get().results.count() == 1
    province = client("province").get(url)
    assert province.context["manages"] and [
        c.checked for c in province.context["coverage"] if c.unit.key == "region:390400"
    ] == [1]
    download = client("province").get(f"{url}report/region:390400")
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    assert client("other_city").get(f"{url}report/region:390400").status_code == 404
