"""The uptime page (可用性监测) in a real browser: the city's supervisor sees a fleet
site go down, then come back, between two monitoring rounds, with the alerts listed
and the region chart drawn. Screenshots 40-… go to test-artifacts/screenshots/."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.test import override_settings
from django.utils import timezone

from govsite.platform.campaigns.sampling import create_campaign
from govsite.platform.demo import PASSWORD, demo_people
from govsite.platform.monitor import runner
from govsite.platform.registry.models import Region, Site
from govsite.platform.registry.samples import load_sample_province
from govsite.samples.server import FleetServer
from govsite.samples.world import World

from ..helpers import FAST
from .conftest import shot

HOST = "jyj.yunjiang.gov.cn"


def round_at(when: datetime) -> int:
    """A monitoring round from another thread (Playwright's sync API holds this one's event loop)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(runner.run_due, when).result()


def test_a_site_goes_down_and_comes_back(
    sample_world: World, sample_fleet: FleetServer, live_server: Any, browser: Any, tmp_path: Path
) -> None:
    load_sample_province(sample_world)
    city = Region.objects.get(code="390100")
    Site.objects.exclude(region=city).update(status=Site.Status.CLOSED)  # watch the city's five sites
    demo_people(create_campaign(name="云江市普查", kind="census", region=city, as_of=timezone.now()))
    site = Site.objects.get(url=f"http://{HOST}/")
    options = {"scheduler": False, "probes_per_day": 24, "timeout": 2.0, "retention_days": 35, "second_proxy": None,
               "concurrency": 8, "alert_emails": [], "webhook": None, "flap_window_hours": 6, "flap_limit": 4}  # fmt: skip
    now = timezone.now() - timedelta(hours=3)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "city")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/campaigns/")
    row = f"#sites tr[data-site='{site.code}'] .state"
    with override_settings(MONITOR=options, EXECUTOR_ENGINE={"proxy": sample_fleet.proxy, **FAST}):
        assert round_at(now) == 5
        page.click("header >> text=可用性监测")
        page.wait_for_url(f"{live_server.url}/monitor/")
        assert page.inner_text(row) == "可以访问"
        assert page.locator("#regions svg[role=img] rect").count() > 0
        sample_fleet.fleet.set_trouble(HOST, "down")
        try:
            round_at(now + timedelta(hours=1))
        finally:
            sample_fleet.fleet.set_trouble(HOST, None)
        page.reload()
        assert page.inner_text(row) == "无法访问"
        assert "无法访问" in page.inner_text("#alerts") and "connect" in page.inner_text(
            f"#sites tr[data-site='{site.code}']"
        )
        shot(page, "40-uptime-down")
        round_at(now + timedelta(hours=2))
        page.reload()
        assert page.inner_text(row) == "可以访问"
        alerts = page.inner_text("#alerts")
        assert "恢复访问" in alerts and "已恢复" in alerts
        shot(page, "41-uptime-back")
