"""Claims, heartbeats, time limits, evidence files and the cap on scans at once of the
executor and the re-check (issue #14 §4): a run that lost its row never overwrites the
new holder's result or evidence."""

from __future__ import annotations

import asyncio
import gzip
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from django.db import OperationalError, connections
from django.test import override_settings

from govsite.platform.campaigns.claims import claim, mark_failed, run_claimed, stale_after
from govsite.platform.campaigns.executor import evidence_dir, run_campaign, save_result, scan_entry
from govsite.platform.campaigns.models import Campaign, CampaignSite
from govsite.platform.campaigns.sampling import create_campaign
from govsite.platform.rectification.models import Recheck, Task, TaskFinding
from govsite.platform.rectification.recheck import run_recheck
from govsite.platform.registry.models import Region
from govsite.platform.registry.samples import load_sample_province
from govsite.samples.server import FleetServer
from govsite.samples.testing import TEST_NOW, Scans, Target
from govsite.samples.world import World

from ..factories import scanned_campaign
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
        running = [pool.submit(one, *run) for run in runs]
        # Read the site's load while the first homepage request waits on it (the scan gives
        # up on it after 2 s): once a request is given up, its handler ends on the server a
        # moment after the other campaign's waiter has taken the freed slot, an order no
        # client can impose.
        while not sample_fleet.fleet.peak_in_flight[host] and not all(f.done() for f in running):
            time.sleep(0.01)
        time.sleep(1.0)
        peak = sample_fleet.fleet.peak_in_flight[host]
        lines = [future.result() for future in running]
    assert all(lines) and CampaignSite.objects.filter(site__code=SLOW_SITE, state="done").count() == 2
    assert peak == 1  # one request at a time to the site, not one per campaign


@pytest.mark.django_db(transaction=True)
def test_a_process_runs_no_more_scans_at_once_than_GOVSITE_MAX_SCANS(
    province: Region, sample_fleet: FleetServer, tmp_path: Path, settings: Any
) -> None:
    settings.DATA_DIR, settings.MAX_SCANS = tmp_path, 2
    config = fast_engine(sample_fleet.proxy)  # 8 requests per host at once: the host's own limit holds nothing back
    campaigns = []
    for _ in range(3):  # three campaigns of the slow site alone, each run in a thread of its own
        campaign, entry = _entry(SLOW_SITE)
        campaign.sites.exclude(pk=entry.pk).delete()
        campaigns.append(campaign)
    seen: list[int] = []  # sites scanning at once, as the database shows them (claimed inside a scan slot)
    stop = threading.Event()

    def watch() -> None:
        try:
            while not stop.is_set():
                seen.append(CampaignSite.objects.filter(state="running").count())
                time.sleep(0.02)
        finally:
            connections.close_all()

    def run(campaign: Campaign) -> Campaign:
        try:
            return run_campaign(campaign, config, concurrency=4)
        finally:
            connections.close_all()

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        with ThreadPoolExecutor(3) as pool:
            finished = list(pool.map(run, campaigns))
    finally:
        stop.set()
        watcher.join()
    assert [c.state for c in finished] == ["finished"] * 3
    assert CampaignSite.objects.filter(site__code=SLOW_SITE, state="done").count() == 3
    assert max(seen) == 2, seen  # two scanned together (each takes seconds), the third waited for a slot


# ---- the re-check (复核) claims its row the same way ----------------------------------------------


def _recheck(scans: Scans) -> Recheck:
    """A pending re-check of the slow site's rectification task (its homepage takes the
    engine 2 s a try, so a rival can act while it scans), holding one finding that the
    re-scan will not see again."""
    campaign = scanned_campaign(scans, name="普查", kind="census", region=Region.objects.get(code="390200"))
    entry = campaign.sites.select_related("site").get(site__code=SLOW_SITE)
    task = Task.objects.create(entry=entry, site=entry.site, unit=entry.site.organizer, deadline=date(2026, 12, 31))
    TaskFinding.objects.create(task=task, check_id="identity.conac_missing", subject=entry.site.url,
                               url=entry.site.url, severity="veto", message="缺少党政机关网站标识")  # fmt: skip
    return Recheck.objects.create(task=task)


def _applied_once(recheck: Recheck) -> None:
    """The outcome stands once: each new finding recorded once, the task's own finding fixed once."""
    new = [o for o in recheck.outcomes if o["status"] == "new"]
    assert recheck.state == "done" and recheck.outcomes and recheck.result
    assert sorted(f.pk for f in recheck.new_findings.all()) == sorted(o["finding"] for o in new)
    assert recheck.task.findings.filter(found_by=None, status="fixed").count() == 1


def _in_thread(recheck_pk: int, config: Any, token: str) -> Recheck:
    try:
        return run_recheck(Recheck.objects.get(pk=recheck_pk), config, token)
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_two_rechecks_started_at_once_scan_and_apply_once(
    province: Region, sample_scans: Scans, sample_fleet: FleetServer, tmp_path: Path, settings: Any
) -> None:
    settings.DATA_DIR = tmp_path
    recheck = _recheck(sample_scans)
    config = fast_engine(sample_fleet.proxy)
    with ThreadPoolExecutor(2) as pool:
        runs = list(pool.map(lambda token: _in_thread(recheck.pk, config, token), ["one", "two"]))
    recheck.refresh_from_db()
    _applied_once(recheck)
    assert recheck.claim in ("one", "two") and "done" in {r.state for r in runs}
    assert [p.name for p in Path(recheck.warc).parent.glob("recheck-*")] == [Path(recheck.warc).name]
    assert run_recheck(recheck, config).finished == recheck.finished  # done: never scanned or applied again


@pytest.mark.django_db(transaction=True)
def test_a_stale_recheck_taken_over_never_saves_over_the_new_holders_result(
    province: Region, sample_scans: Scans, sample_fleet: FleetServer, tmp_path: Path, settings: Any
) -> None:
    settings.DATA_DIR = tmp_path  # heartbeats every 15 s: the first run's claim is not refreshed while it scans
    recheck = _recheck(sample_scans)
    config = fast_engine(sample_fleet.proxy)
    held = Recheck.objects.filter(pk=recheck.pk)

    def until(condition: Any) -> None:
        for _ in range(600):
            if condition():
                return
            time.sleep(0.05)
        raise AssertionError("never happened")

    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(_in_thread, recheck.pk, config, "first")
        until(lambda: held.filter(state="running", claim="first").exists())
        held.update(heartbeat=datetime.now(UTC) - timedelta(hours=1))  # its beats stop reaching the database
        second = pool.submit(_in_thread, recheck.pk, config, "second")
        until(lambda: held.filter(claim="second").exists())
        assert not first.done()  # taken over while the first run was still scanning
        first.result(), second.result()
    recheck.refresh_from_db()
    _applied_once(recheck)  # the first run's late result was refused, not applied a second time
    assert recheck.claim == "second"
    files = list(Path(recheck.warc).parent.glob("recheck-*"))
    assert files == [Path(recheck.warc)]  # the losing attempt's evidence removed, the saved one kept
    with gzip.open(files[0]) as warc:
        assert b"WARC/1" in warc.read()


@pytest.mark.django_db(transaction=True)
def test_a_result_the_database_refuses_is_kept_failed_and_a_transient_failure_left_to_retry(
    province: Region, sample_scans: Scans, tmp_path: Path
) -> None:
    """A save that the database refuses for good fails the row with the reason (left
    running, its campaign would never finish: a Celery task does not retry it); a save
    that fails for a moment (the database gone) is raised for the task to retry under its
    own token, the row still held. Either way the attempt's WARC file is removed."""
    campaign, entry = _entry("3904000001")
    scanned = sample_scans.results([Target(entry.site.url, entry.site.kind, entry.site.code)], TEST_NOW,
                                   campaign.profile())[0]  # fmt: skip

    async def scanning() -> Any:
        warc.write_bytes(b"evidence")
        return scanned.result

    def refused(result: Any) -> bool:
        Region.objects.create(code=province.code, name="重复")  # a unique code again: IntegrityError
        return True

    def gone(result: Any) -> bool:
        raise OperationalError("server closed the connection unexpectedly")

    warc = tmp_path / "attempt.warc.gz"
    reason = asyncio.run(run_claimed(entry, "task-1", warc, 60, scanning, refused))
    row = CampaignSite.objects.get(pk=entry.pk)
    assert isinstance(reason, str) and reason.startswith("结果无法保存 IntegrityError")
    assert (row.state, row.error) == ("failed", reason) and not warc.exists()

    again = CampaignSite.objects.select_related("site").get(pk=entry.pk)
    again.state = "pending"
    again.save(update_fields=["state"])
    with pytest.raises(OperationalError):
        asyncio.run(run_claimed(again, "task-2", warc, 60, scanning, gone))
    row = CampaignSite.objects.get(pk=entry.pk)
    assert (row.state, row.claim) == ("running", "task-2") and not warc.exists()  # the task's retry takes it back
