"""Claims, heartbeats, time limits and evidence files of the executor (issue #14 §4):
a run that lost its site never overwrites the new holder's result or evidence."""

from __future__ import annotations

import asyncio
import gzip
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from django.db import connections
from django.test import override_settings

from govsite.platform.campaigns.claims import claim, mark_failed, stale_after
from govsite.platform.campaigns.executor import evidence_dir, save_result, scan_entry
from govsite.platform.campaigns.models import Campaign, CampaignSite
from govsite.platform.campaigns.sampling import create_campaign
from govsite.platform.registry.models import Region
from govsite.platform.registry.samples import load_sample_province
from govsite.samples.server import FleetServer
from govsite.samples.testing import TEST_NOW, Scans, Target
from govsite.samples.world import World

from ..helpers import fast_engine

SLOW_SITE = "3902000001"  # 石桥市人民政府: its homepage answers after 20 s (the scan waits 2 s per try)


@pytest.fixture
def province(sample_world: World) -> Region:
    load_sample_province(sample_world)
    return Region.objects.get(code="390000")


def _entry(site_code: str) -> tuple[Campaign, CampaignSite]:
    campaign = create_campaign(
        name="普查", kind="census", region=Region.objects.get(code=site_code[:6]), as_of=TEST_NOW
    )
    return campaign, campaign.sites.select_related("site").get(site__code=site_code)


@pytest.mark.django_db
def test_of_two_runs_racing_one_site_only_the_holders_token_saves(province: Region, sample_scans: Scans) -> None:
    campaign, first = _entry("3904000001")
    second = CampaignSite.objects.select_related("site").get(pk=first.pk)
    scanned = sample_scans.results([Target(first.site.url, first.site.kind, first.site.code)], TEST_NOW,
                                   campaign.profile())[0]  # fmt: skip
    assert claim(first, timedelta(hours=1))
    assert not claim(second, timedelta(hours=1))  # the first run is alive
    assert claim(second, timedelta(0))  # the first run counts as gone: the site is taken again
    assert first.claim and second.claim and first.claim != second.claim  # a fresh token for each claim
    assert not save_result(first, scanned.result, Path("first.warc.gz"))  # the run that lost its claim
    assert not mark_failed(first, "late")
    assert save_result(second, scanned.result, Path("second.warc.gz"))
    row = CampaignSite.objects.get(pk=first.pk)
    assert (row.state, row.claim, row.warc, row.error) == ("done", second.claim, "second.warc.gz", "")


async def _until(check: Any) -> None:
    """Wait (at most 30 s) until ``check()`` (run in a thread) is true."""
    for _ in range(600):
        if await sync_to_async(check)():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("never happened")


@pytest.mark.django_db(transaction=True)
def test_a_heartbeat_keeps_a_long_scans_claim(
    province: Region, sample_fleet: FleetServer, tmp_path: Path, settings: Any
) -> None:
    settings.DATA_DIR, settings.SCAN_HEARTBEAT_SECONDS = tmp_path, 0.1  # a claim without a beat for 0.4 s is gone
    campaign, entry = _entry(SLOW_SITE)
    rival = CampaignSite.objects.select_related("site").get(pk=entry.pk)
    started = datetime.now(UTC)

    async def run() -> bool:
        scanning = asyncio.create_task(scan_entry(campaign, entry, campaign.profile(), fast_engine(sample_fleet.proxy)))
        await _until(lambda: CampaignSite.objects.filter(pk=entry.pk, state="running").exists())
        await asyncio.sleep(1)  # the scan has run longer than the staleness window (the slow homepage takes 2 s)
        taken = await sync_to_async(claim)(rival, stale_after())
        assert not scanning.done()  # the rival tried while the first scan was still running
        await scanning
        return taken

    assert not asyncio.run(run())
    row = CampaignSite.objects.get(pk=entry.pk)
    assert row.state == "done" and row.claim == entry.claim and row.heartbeat and row.heartbeat > started


@pytest.mark.django_db(transaction=True)
def test_each_attempt_writes_its_own_evidence_file_and_the_saved_one_is_named(
    province: Region, sample_fleet: FleetServer, tmp_path: Path
) -> None:
    campaign, entry = _entry(SLOW_SITE)
    taker = CampaignSite.objects.select_related("site").get(pk=entry.pk)
    config = fast_engine(sample_fleet.proxy)

    async def run() -> list[str | None]:
        first = asyncio.create_task(scan_entry(campaign, entry, campaign.profile(), config))
        await _until(lambda: CampaignSite.objects.filter(pk=entry.pk, state="running").exists())
        # the first run's beats stop reaching the database (its host is cut off, say): the site is taken again
        await sync_to_async(CampaignSite.objects.filter(pk=entry.pk).update)(
            heartbeat=datetime.now(UTC) - timedelta(hours=1)
        )
        second = asyncio.create_task(scan_entry(campaign, taker, campaign.profile(), config))
        return list(await asyncio.gather(first, second))

    with override_settings(DATA_DIR=tmp_path):
        lines = asyncio.run(run())
        folder = evidence_dir(campaign)
    assert all(lines)  # both scanned the site to the end
    row = CampaignSite.objects.get(pk=entry.pk)
    assert row.state == "done" and row.claim == taker.claim != entry.claim
    saved = Path(row.warc)
    assert saved.parent == folder and saved.name.startswith(f"{SLOW_SITE}-")
    assert list(folder.iterdir()) == [saved]  # the losing attempt's file is removed, the saved one intact
    with gzip.open(saved) as warc:
        assert b"WARC/1" in warc.read()


@pytest.mark.django_db(transaction=True)
def test_a_scan_past_its_hard_time_limit_is_kept_failed_without_its_evidence(
    province: Region, sample_fleet: FleetServer, tmp_path: Path, settings: Any
) -> None:
    settings.DATA_DIR, settings.SCAN_GRACE_SECONDS = tmp_path, 0.2
    campaign, entry = _entry(SLOW_SITE)  # the homepage alone takes the engine 2 s per try
    config = replace(fast_engine(sample_fleet.proxy), max_seconds=0.3)
    line = asyncio.run(scan_entry(campaign, entry, campaign.profile(), config))
    row = CampaignSite.objects.get(pk=entry.pk)
    assert line and row.state == "failed" and row.error == "扫描超过时限 0.5 秒"
    assert not list(evidence_dir(campaign).iterdir())  # the failed attempt's file is removed


@pytest.mark.django_db(transaction=True)
def test_two_campaigns_scanning_one_site_at_once_share_its_per_host_limit(
    province: Region, sample_fleet: FleetServer, tmp_path: Path, settings: Any
) -> None:
    settings.DATA_DIR = tmp_path
    config = replace(fast_engine(sample_fleet.proxy), per_host_concurrency=1)
    runs = [_entry(SLOW_SITE), _entry(SLOW_SITE)]  # two campaigns, one site
    host = "www.shiqiao.gov.cn"
    sample_fleet.fleet.peak_in_flight[host] = 0

    def one(campaign: Campaign, entry: CampaignSite) -> str | None:  # each in a thread, as two campaign runs
        try:
            return asyncio.run(scan_entry(campaign, entry, campaign.profile(), config))
        finally:
            connections.close_all()

    with ThreadPoolExecutor(2) as pool:
        lines = list(pool.map(lambda run: one(*run), runs))
    assert all(lines) and CampaignSite.objects.filter(site__code=SLOW_SITE, state="done").count() == 2
    assert sample_fleet.fleet.peak_in_flight[host] == 1  # one request at a time to the site, not one per campaign
