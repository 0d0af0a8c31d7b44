"""Rectification in a real browser: an inspector confirms a finding and assigns the task;
the provincial supervisor's deduction ledger counts the campaign; the deadline passes and
the ledger charges the unit (逾期未整改); the site's operator files feedback without fixing,
and the automatic re-check finds the problem still present: the charge stays; the unit
really fixes its site and files again with an attachment, the re-check closes the finding
and the task, and the charge goes; the before/after page shows both scans' archived
evidence and the dashboard's rectification figures change."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from govsite.platform.accounts.models import Membership
from govsite.platform.campaigns.models import Campaign
from govsite.platform.demo import PASSWORD, demo_people
from govsite.platform.rectification.models import Task
from govsite.platform.registry.models import Region, Site
from govsite.platform.registry.samples import load_sample_province
from govsite.samples.generate import build_world
from govsite.samples.server import FleetOptions, FleetServer
from govsite.samples.testing import TEST_AS_OF, TEST_SEED, Scans
from govsite.samples.world import World

from ..factories import scanned_campaign
from ..helpers import FAST
from .conftest import shot

HOST = "jtj.shiqiao.gov.cn"  # 石桥市交通运输局: no 党政机关网站标识 in its footer


@pytest.fixture(scope="module")
def world() -> World:
    return build_world(TEST_SEED, TEST_AS_OF)  # this module's own: the unit fixes its site


@pytest.fixture(scope="module")
def fleet(world: World) -> Iterator[FleetServer]:
    server = FleetServer(world, 0, FleetOptions()).start_in_thread()
    try:
        yield server
    finally:
        server.stop_thread()


@pytest.fixture
def campaign(world: World, sample_scans: Scans) -> Campaign:
    load_sample_province(world)
    # the first scan is the session's (the same province, not yet fixed); the re-check scans this module's fleet
    done = scanned_campaign(sample_scans, name="石桥市普查", kind="census", region=Region.objects.get(code="390200"))
    demo_people(done)
    Membership.objects.get(user__username="operator").sites.set(Site.objects.filter(code="3902000005"))
    return done


def log_in(page: Any, base: str, name: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/campaigns/")


def test_review_rectify_recheck_and_the_finding_closes(
    campaign: Campaign, world: World, fleet: FleetServer, live_server: Any, browser: Any, tmp_path: Path
) -> None:
    entry = campaign.sites.get(site__code="3902000005")
    base = live_server.url
    (tmp_path / "整改说明.txt").write_text("页脚已添加党政机关网站标识", encoding="utf-8")
    with override_settings(DATA_DIR=tmp_path, EXECUTOR_ENGINE={**FAST, "proxy": fleet.proxy}):
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        log_in(page, base, "inspector")
        dashboard = f"{base}/dashboard/?campaign={campaign.pk}"
        page.goto(dashboard)
        assert "本次检查尚无整改任务" in page.inner_text("#rectification")

        page.goto(f"{base}/campaigns/{campaign.pk}/sites/{entry.pk}/")
        page.locator("tr", has_text="identity.conac_missing").locator("button", has_text="确认").click()
        page.wait_for_load_state()
        page.fill("form.rectification input[name=days]", "10")
        page.fill("form.rectification input[name=note]", "按规范在页脚添加党政机关网站标识")
        page.click("form.rectification button[type=submit]")
        page.wait_for_url("**/rectification/*/")
        assert "待整改" in page.inner_text(".task-state")
        conac_row = page.locator(".task-findings tr", has_text="identity.conac_missing")
        assert "未整改" in conac_row.inner_text()
        shot(page, "20-rectification-task")
        task_url = page.url
        task = Task.objects.get(entry=entry)
        page.goto(dashboard)
        fixed_before = page.inner_text("#rectification .fixed .n")
        assert fixed_before.startswith("0/")

        # the province's deduction ledger counts the campaign as its fourth quarter
        supervisor = browser.new_page(viewport={"width": 1280, "height": 900})
        log_in(supervisor, base, "province")
        supervisor.goto(f"{base}/ledger/")
        supervisor.fill("#new-ledger input[name=name]", "2026年下半年日常考核")
        supervisor.select_option("#new-ledger select[name=region]", "390000")
        supervisor.select_option("#new-ledger select[name=rules]", "huachuan-2026h2")
        supervisor.click("#new-ledger button[type=submit]")
        supervisor.wait_for_url("**/ledger/*/")
        ledger_url = supervisor.url
        supervisor.select_option("#quarter select[name=campaign]", str(campaign.pk))
        supervisor.fill("#quarter input[name=quarter]", "四季度")
        supervisor.fill("#quarter input[name=results_published]", timezone.localdate().isoformat())
        supervisor.click("#quarter button[type=submit]")
        supervisor.wait_for_load_state()

        def charged() -> str:
            """石桥市's 扣分说明 in the ledger page's table of cities."""
            supervisor.goto(ledger_url)
            row = supervisor.locator("#ledger-city tr", has_text="石桥市")
            return row.inner_text() if row.count() else ""

        assert "四季度" in charged() and "逾期未整改" not in charged()  # not due yet
        Task.objects.filter(pk=task.pk).update(deadline=timezone.localdate() - timedelta(days=1))  # it passes
        assert "1 个网站逾期未整改-5" in charged()
        shot(supervisor, "24-ledger-rectification-overdue")

        # the unit says it rectified without doing it: the re-check finds the problem still there
        operator = browser.new_page(viewport={"width": 1280, "height": 900})
        log_in(operator, base, "operator")
        operator.click("header >> text=整改")
        operator.click("table.tasks >> text=石桥市交通运输局")
        operator.fill("form.feedback textarea[name=text]", "已整改")
        operator.click("form.feedback button[type=submit]")
        operator.wait_for_selector("text=整改前后对比", timeout=90_000)  # the page refreshes while the re-check runs
        assert "仍存在" in operator.locator(".task-findings tr", has_text="identity.conac_missing").inner_text()
        assert "待整改" in operator.inner_text(".task-state")  # reopened
        assert "1 个网站逾期未整改-5" in charged()

        world.sites[HOST].conac = True  # the unit fixes its footer
        operator.fill("form.feedback textarea[name=text]", "已在页脚添加党政机关网站标识")
        operator.set_input_files("form.feedback input[name=attachment]", str(tmp_path / "整改说明.txt"))
        operator.click("form.feedback button[type=submit]")
        operator.locator("table.rechecks >> text=整改前后对比").nth(1).wait_for(timeout=90_000)  # both re-checks done
        assert "已整改" in operator.locator(".task-findings tr", has_text="identity.conac_missing").inner_text()
        assert "已整改" in operator.inner_text(".task-state"), operator.inner_text(".task-findings")
        charge = charged()
        assert "四季度" in charge and "逾期未整改" not in charge  # the re-check found it fixed: the charge goes
        shot(supervisor, "25-ledger-after-recheck")
        assert "整改说明.txt" in operator.inner_text("main")
        shot(operator, "21-rectification-after-recheck")

        operator.locator("table.rechecks >> text=整改前后对比").first.click()  # the latest re-check (newest first)
        row = operator.locator("table.outcomes tr", has_text="identity.conac_missing")
        assert "已整改" in row.inner_text() and "未发现" in row.inner_text()
        shot(operator, "22-recheck-before-after")
        row.locator("text=查看存档页面").click()  # the first scan's evidence
        assert "存档副本" in operator.inner_text(".archived")
        assert "石桥市交通运输局" in operator.frame_locator("iframe").locator("body").inner_text()
        operator.go_back()
        still = operator.locator("table.outcomes tr.outcome-still_present")
        if still.count():  # the re-check's own evidence, beside the first scan's
            still.first.locator("td").nth(3).locator("text=查看存档页面").click()
            assert "存档副本" in operator.inner_text(".archived")

        page.goto(dashboard)
        fixed_after = page.inner_text("#rectification .fixed .n")
        assert int(fixed_after.split("/")[0]) == int(fixed_before.split("/")[0]) + 1
        shot(page, "23-dashboard-after-rectification")
        page.goto(task_url)
        assert "已整改" in page.locator(".task-findings tr", has_text="identity.conac_missing").inner_text()
