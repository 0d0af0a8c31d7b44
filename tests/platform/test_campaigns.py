"""Campaigns: reproducible stratified samples, frozen profiles, the in-process
executor over the sample fleet, and the same result as ``govsite scan``."""

from __future__ import annotations

import asyncio
import math
import threading
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from govsite.engine import Browser
from govsite.engine.scan import scan
from govsite.platform.campaigns.executor import run_campaign
from govsite.platform.campaigns.models import Campaign, CampaignSite
from govsite.platform.campaigns.sampling import create_campaign, stratum
from govsite.platform.registry import leaders
from govsite.platform.registry.models import Region, Site
from govsite.platform.registry.samples import load_sample_province
from govsite.samples.server import FleetServer
from govsite.samples.testing import TEST_NOW
from govsite.samples.world import World

from ..helpers import fast_engine

pytestmark = pytest.mark.django_db
THREADS = pytest.mark.django_db(transaction=True)  # the executor saves each result from a thread of its own


@pytest.fixture
def province(sample_world: World) -> Region:
    load_sample_province(sample_world)
    return Region.objects.get(code="390000")


def test_a_spot_check_is_stratified_and_reproducible(province: Region) -> None:
    first = create_campaign(
        name="2026年第四季度抽查", kind="spot_check", region=province, as_of=TEST_NOW, ratio=Decimal("0.3"), seed=42
    )
    again = create_campaign(
        name="复核", kind="spot_check", region=province, as_of=TEST_NOW, ratio=Decimal("0.3"), seed=42
    )
    other = create_campaign(
        name="另一次", kind="spot_check", region=province, as_of=TEST_NOW, ratio=Decimal("0.3"), seed=43
    )
    picked = sorted(first.sites.values_list("site__code", flat=True))
    assert picked == sorted(again.sites.values_list("site__code", flat=True))
    assert picked != sorted(other.sites.values_list("site__code", flat=True))
    sizes = Counter(stratum(s) for s in Site.objects.select_related("region"))
    drawn = Counter(first.sites.values_list("stratum", flat=True))
    assert drawn == {k: math.ceil(Decimal("0.3") * n) for k, n in sizes.items()}  # every stratum, at least 30 %
    assert len(picked) >= 0.3 * Site.objects.count()


def test_a_census_takes_every_running_site_in_scope_and_freezes_the_profile(province: Region, tmp_path: Path) -> None:
    closed = Site.objects.get(code="3900000002")
    closed.apply({"status": Site.Status.CLOSED})
    city = Region.objects.get(code="390100")
    census = create_campaign(name="云江市普查", kind="census", region=city, as_of=TEST_NOW)
    assert census.sites.count() == Site.objects.filter(region__code__startswith="3901").count() == 7
    whole = create_campaign(name="全省普查", kind="census", region=province, as_of=TEST_NOW, seed=1)
    assert whole.sites.count() == Site.objects.count() - 1  # the closed site is out of scope
    mine = tmp_path / "mine.toml"
    from govsite.engine.profile import source_text

    mine.write_text(source_text("inspection-2019").replace("news = 14", "news = 7"), encoding="utf-8")
    frozen = create_campaign(name="自定义指标", kind="census", region=city, as_of=TEST_NOW, profile=mine)
    mine.write_text("garbage", encoding="utf-8")  # later edits do not touch the campaign
    assert frozen.profile().windows["news"] == 7 and frozen.profile_digest != census.profile_digest
    with pytest.raises(ValueError, match="ratio"):
        create_campaign(name="x", kind="spot_check", region=city, as_of=TEST_NOW, ratio=Decimal("1.5"))


@THREADS
def test_running_a_campaign_scans_every_site_like_govsite_scan(
    province: Region, sample_fleet: FleetServer, tmp_path: Path
) -> None:
    config = fast_engine(sample_fleet.proxy)
    region = Region.objects.get(code="390400")  # 北溪市: a down site, an intermittent one, a non-conforming domain
    campaign = create_campaign(name="北溪市普查", kind="census", region=region, as_of=TEST_NOW)
    # the office's leaders list, kept in the platform, reaches every scan of the campaign: an
    # entry one character off what the fleet prints beside "教育局" (the fleet prints no
    # person's name, so the "name" here is the place name the page shows before the post)
    leaders.replace_all("leaders.csv", "name,post,region\n北溪县,教育局,北溪市\n".encode())
    lines: list[str] = []
    with override_settings(DATA_DIR=tmp_path):
        done = run_campaign(campaign, config, concurrency=4, progress=lines.append)
    assert done.state == Campaign.State.FINISHED and len(lines) == campaign.sites.count()
    entries = list(done.sites.select_related("site"))
    assert all(e.state == CampaignSite.State.DONE and e.verdict and Path(e.warc).exists() for e in entries)
    down = next(e for e in entries if e.site.url == "http://fgw.beixi.gov.cn/")
    assert down.verdict == "待核查"
    entry = next(e for e in entries if e.site.url == "http://www.bxedu.net/")
    direct = asyncio.run(
        scan(
            entry.site.url,
            replace(config, as_of=TEST_NOW),
            kind=entry.site.kind,
            site_code=entry.site.code,
            leaders=leaders.current(),
        )
    )
    assert any(
        f["check"] == "wording.serious_error" and f["data"].get("wrong") == "北溪市" for f in entry.result["findings"]
    )
    assert entry.verdict == direct.verdict
    assert sorted((f["check"], f["subject"]) for f in entry.result["findings"]) == sorted(
        (f.check, f.subject) for f in direct.findings
    )
    again = run_campaign(done, config)  # safe to run twice: nothing is scanned again
    assert again.state == Campaign.State.FINISHED and list(again.sites.values_list("finished", flat=True)) == [
        e.finished for e in entries
    ]


@THREADS
def test_a_site_another_run_holds_is_left_to_it_and_an_orphaned_one_is_taken(
    province: Region, sample_fleet: FleetServer, tmp_path: Path
) -> None:
    census = create_campaign(name="北溪市普查", kind="census", region=Region.objects.get(code="390400"), as_of=TEST_NOW)
    held = census.sites.order_by("site__code").first()
    assert held is not None
    CampaignSite.objects.filter(pk=held.pk).update(state="running", started=datetime.now(UTC))
    with override_settings(DATA_DIR=tmp_path):
        first = run_campaign(census, fast_engine(sample_fleet.proxy))
    held.refresh_from_db()
    assert held.state == "running" and first.state == Campaign.State.RUNNING  # another run is on it
    assert census.sites.filter(state="done").count() == census.sites.count() - 1
    done_before = {e.pk: e.finished for e in census.sites.filter(state="done")}
    orphaned = datetime.now(UTC) - timedelta(hours=3)  # its process died long ago
    CampaignSite.objects.filter(pk=held.pk).update(started=orphaned)
    with override_settings(DATA_DIR=tmp_path):
        second = run_campaign(census, fast_engine(sample_fleet.proxy))
    assert second.state == Campaign.State.FINISHED and census.sites.get(pk=held.pk).state == "done"
    assert {e.pk: e.finished for e in census.sites.filter(state="done").exclude(pk=held.pk)} == done_before  # untouched


@THREADS
@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="Debian's chromium is not installed")
def test_a_worker_renders_every_site_it_scans_with_one_browser(
    script_world: World, script_fleet: FleetServer, tmp_path: Path, settings: Any
) -> None:
    """The Celery task, run in this thread as a worker process runs its tasks one after
    another, scans two scripted sites (each needs rendering) with the process's one
    browser, started once, which a task on another thread gets too."""
    from govsite.platform.campaigns.executor import engine_config, in_worker, worker_browser
    from govsite.platform.campaigns.tasks import scan_site
    from govsite.samples.manifest import manifest
    from govsite.samples.testing import FAST

    settings.DATA_DIR = tmp_path
    settings.EXECUTOR_ENGINE = {"proxy": script_fleet.proxy, **FAST, "check_links": False, "articles_per_column": 0,
                                "messages_max": 0, "guides_max": 0}  # fmt: skip
    load_sample_province(script_world)
    codes = [s["code"] for s in manifest(script_world)["sites"] if s["script"] in ("inline", "xhr")]
    campaign = create_campaign(name="脚本站点", kind="spot_check", region=Region.objects.get(code="390000"),
                               as_of=TEST_NOW, among=list(Site.objects.filter(code__in=codes)))  # fmt: skip
    browsers = []
    try:
        for entry in campaign.sites.order_by("site__code"):
            scan_site.apply(args=(entry.pk,))  # eagerly, in this thread
            browsers.append(worker_browser())
    finally:
        in_worker(lambda browser: browser.close(), engine_config())
    first = browsers[0]
    assert first is not None and all(b is first for b in browsers) and first.launches == 1
    seen: list[Browser] = []  # a task on another thread (a `-P threads` worker) gets the same browser

    async def note(browser: Browser) -> None:
        seen.append(browser)

    other = threading.Thread(target=in_worker, args=(note, engine_config()))
    other.start()
    other.join()
    assert seen == [first]
    done = list(campaign.sites.all())
    assert len(done) == 2 and all(e.state == CampaignSite.State.DONE for e in done)
    assert all(e.scan_result and e.scan_result.stats.browser_requests > 0 for e in done)  # both were rendered
