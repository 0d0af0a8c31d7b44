"""The dashboards (统计分析) in a real browser (Debian's chromium driven by Playwright):
log in, open the overview, compare two censuses, open one site's history, and see the
charts drawn. Screenshots go to test-artifacts/screenshots/ (20-…) for a reviewer.
Skipped, with the reason, where chromium or Playwright is missing."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from govsite.platform.campaigns.executor import run_campaign
from govsite.platform.campaigns.models import Campaign
from govsite.platform.campaigns.sampling import create_campaign
from govsite.platform.demo import PASSWORD, demo_people
from govsite.platform.registry.models import Region
from govsite.platform.registry.samples import load_sample_province
from govsite.samples.generate import build_world
from govsite.samples.server import FleetOptions, FleetServer
from govsite.samples.testing import TEST_NOW
from govsite.samples.world import World

from ..helpers import fast_engine
from .conftest import shot

LATER = TEST_NOW + timedelta(days=20)


@pytest.fixture
def campaigns(sample_world: World, sample_fleet: FleetServer, tmp_path: Path) -> tuple[Campaign, Campaign]:
    """云江市's census, and a census three weeks later of the same sites with other
    problems (the fleet's world for another seed: some fixed, some new)."""
    load_sample_province(sample_world)
    region = Region.objects.get(code="390100")
    first = create_campaign(name="云江市普查", kind="census", region=region, as_of=TEST_NOW)
    second = create_campaign(name="云江市复查", kind="census", region=region, as_of=LATER)
    later = FleetServer(build_world(2, LATER.date()), 0, FleetOptions()).start_in_thread()
    try:
        with override_settings(DATA_DIR=tmp_path):
            first = run_campaign(first, fast_engine(sample_fleet.proxy), concurrency=8)
            second = run_campaign(second, fast_engine(later.proxy), concurrency=8)
    finally:
        later.stop_thread()
    demo_people(first)
    return first, second


def test_the_dashboards_in_a_browser(campaigns: tuple[Campaign, Campaign], live_server: Any, browser: Any) -> None:
    # (the campaigns run before the browser starts: Playwright's sync API holds an event loop)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "province")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/campaigns/")

    page.click("header >> text=统计分析")
    page.wait_for_url(f"{live_server.url}/dashboard/")
    main = page.inner_text("main")
    assert "各地区合格率" in main and "突出问题" in main and "云江市复查" in main  # the latest census by default
    assert page.locator("figure svg[role=img]").count() == 3
    assert page.locator("#regions svg rect").count() > 0
    shot(page, "20-dashboard-overview")

    page.click(".dash-nav >> text=前后对比")
    page.wait_for_url("**/dashboard/trends/")
    main = page.inner_text("main")
    assert "空白栏目" in main and "链接不可用" in main and "合格率" in main
    assert page.locator("#per-site svg").count() >= 1
    shot(page, "21-dashboard-trends")

    page.click("#per-site table >> text=云江市人民政府")
    page.wait_for_url("**/dashboard/sites/3901000001/")
    assert "云江市普查" in page.inner_text("#scores") and "云江市复查" in page.inner_text("#scores")
    assert page.locator("#findings svg").count() == 1
    shot(page, "22-dashboard-site")

    page.click("button[value=en]")  # the header's language switcher
    page.wait_for_url("**/dashboard/sites/3901000001/")
    assert "Result per campaign" in page.inner_text("main")
    page.click(".dash-nav >> text=Overview")
    assert "Pass rate by region" in page.inner_text("main")
    shot(page, "23-dashboard-overview-en")
    assert all(url.startswith(live_server.url) for url in fetched), [
        u for u in fetched if not u.startswith(live_server.url)
    ]
