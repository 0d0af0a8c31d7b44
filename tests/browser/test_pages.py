"""The platform in a real browser (Debian's chromium driven by Playwright): log in,
open a campaign, open a finding's archived page, confirm a finding, see the verdict
change. Screenshots of each page go to test-artifacts/screenshots/ for a reviewer.
Skipped, with the reason, where chromium or Playwright is missing."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from govsite.platform.campaigns.models import Campaign
from govsite.platform.demo import PASSWORD, demo_people
from govsite.platform.registry.models import Region
from govsite.platform.registry.samples import load_sample_province
from govsite.platform.registry.tabular import COLUMNS
from govsite.samples.server import FleetServer
from govsite.samples.testing import Scans
from govsite.samples.world import World

from ..factories import scanned_campaign
from ..helpers import FAST
from .conftest import shot


@pytest.fixture
def campaign(sample_world: World, sample_scans: Scans) -> Campaign:
    load_sample_province(sample_world)
    done = scanned_campaign(sample_scans, name="云江市普查", kind="census", region=Region.objects.get(code="390100"))
    demo_people(done)
    return done


def test_log_in_review_a_finding_and_see_the_verdict_change(campaign: Campaign, live_server: Any, browser: Any) -> None:
    # (the campaign runs before the browser starts: Playwright's sync API holds an event loop)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url
    shot(page, "01-login")
    page.fill("input[name=username]", "inspector")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/campaigns/")
    assert "云江市普查" in page.content()
    shot(page, "02-campaigns")

    page.click("text=云江市普查")
    assert "已完成 7/7" in page.inner_text("main")
    shot(page, "03-campaign")

    page.click("text=云江市人民政府")  # unanswered messages: 不合格
    assert "不合格" in page.inner_text("main")
    shot(page, "04-review")
    review = page.url

    page.click("text=查看存档页面 >> nth=0")
    assert "存档副本" in page.inner_text(".archived")
    frame = page.frame_locator("iframe")
    assert "云江市人民政府" in frame.locator("body").inner_text()
    shot(page, "05-archived")

    dashboard = f"{live_server.url}/dashboard/?campaign={campaign.pk}"
    page.goto(dashboard)
    failed_before = int(page.inner_text(".dash-card.failed .n"))
    page.goto(review)
    # a finding the inspector agrees with (a stale column; it counted already): confirmed, audited
    page.locator("tr", has_text="update.column_stale").first.locator("button", has_text="确认").click()
    page.wait_for_load_state()
    assert "已确认" in page.inner_text("main") and "确认问题" in page.inner_text("main")

    rows = page.locator("tr", has_text="interaction.unanswered")
    count = rows.count()
    assert count >= 1
    for n in range(count):  # dismiss every unanswered message: the veto goes
        row = page.locator("tr", has_text="interaction.unanswered").nth(n)
        row.locator("input[name=reason]").fill("经核实已电话答复并补录回复")
        row.locator("button", has_text="排除").click()
        page.wait_for_load_state()
    main = page.inner_text("main")
    assert "排除问题" in main and "经核实已电话答复并补录回复" in main
    verdict = page.inner_text("p:has-text('结论') span")
    assert verdict in ("合格", "待核查")
    shot(page, "06-after-review")
    page.goto(dashboard)  # the dashboard counts the reviewed verdict
    assert int(page.inner_text(".dash-card.failed .n")) == failed_before - 1
    shot(page, "06b-dashboard-after-review")

    page.click("text=网站登记")
    shot(page, "07-registry")
    assert "网站登记" in page.inner_text("h1")  # the inspector sees the sites of their campaign


def test_a_supervisor_starts_a_campaign_and_watches_it_finish(
    campaign: Campaign, sample_fleet: FleetServer, live_server: Any, browser: Any, tmp_path: Path
) -> None:
    with override_settings(DATA_DIR=tmp_path, EXECUTOR_ENGINE={**FAST, "proxy": sample_fleet.proxy}):
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", "province")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/campaigns/")
        page.fill("input[name=name]", "安澜市普查")
        page.select_option("select[name=kind]", "census")
        page.select_option("select[name=region]", "390300")
        page.click("form.new-campaign button[type=submit]")
        page.wait_for_url("**/campaigns/*/")
        assert "已完成 0/7" in page.inner_text("main")
        page.click("text=开始扫描")
        page.wait_for_function("document.body.innerText.includes('已完成 7/7')", timeout=90_000)
        shot(page, "08-campaign-finished")
        assert page.locator("td.verdict-不合格, td.verdict-合格, td.verdict-待核查").count() == 7


def log_in(page: Any, base: str, name: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/campaigns/")


def test_registry_upload_mismatches_and_an_operators_self_check(
    campaign: Campaign, sample_fleet: FleetServer, live_server: Any, browser: Any, tmp_path: Path
) -> None:
    header = [h for h, _f, _r in COLUMNS]
    row = ["3901210099", "清河县政务服务网", "http://zwfw.qinghe.gov.cn/", "清河县政府办", "清河县人民政府", "390121", "",
           "县级政府门户", "门户网站", "运行", "", "", "", "", ""]  # fmt: skip
    bad, good = tmp_path / "bad.csv", tmp_path / "good.csv"
    for path, rows in ((bad, [header, [*row[:7], "无此层级", *row[8:]]]), (good, [header, row])):
        with path.open("w", encoding="utf-8-sig", newline="") as f:
            csv.writer(f).writerows(rows)
    with override_settings(DATA_DIR=tmp_path, EXECUTOR_ENGINE={**FAST, "proxy": sample_fleet.proxy}):
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        log_in(page, live_server.url, "province")
        page.click("header >> text=网站登记")
        page.set_input_files("input[name=file]", str(bad))
        page.click("form.import button[type=submit]")
        assert "统计层级" in page.inner_text(".rejected") and "未导入" in page.inner_text(".rejected")
        shot(page, "09-registry-rejected")
        page.set_input_files("input[name=file]", str(good))
        page.click("form.import button[type=submit]")
        assert "新增 1" in page.inner_text(".imported")
        page.click("text=登记与实际不符")
        page.click("main form button[type=submit]")  # probe the sites filed as closed
        assert "同一政府开设多个门户" in page.inner_text("main")  # 清河县 now has two portals
        shot(page, "10-mismatches")

        operator = browser.new_page(viewport={"width": 1280, "height": 900})
        log_in(operator, live_server.url, "operator")
        operator.goto(f"{live_server.url}/sites/3901000001/")
        operator.click("text=立即自查")
        operator.wait_for_function("document.body.innerText.includes('已完成 1/1')", timeout=90_000)
        shot(operator, "11-self-check")
        operator.click("table >> text=云江市人民政府")
        assert "结论" in operator.inner_text("main") and "排除" not in operator.inner_text("main")  # read-only
