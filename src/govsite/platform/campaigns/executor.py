"""The in-process executor: scans a campaign's pending sites with bounded concurrency,
saving each result as it arrives. Safe to run twice: finished sites are not scanned
again, and a site whose scan failed is kept, marked failed, with the reason."""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connections
from django.utils import timezone

from govsite.engine import Browser, EngineConfig, HostLimiter, Profile, ScanResult, reviewed, scan
from govsite.platform import storage
from govsite.platform.campaigns import screenshots
from govsite.platform.campaigns.claims import held, run_claimed
from govsite.platform.campaigns.models import Campaign, CampaignSite, finding_counts
from govsite.platform.monitor.runner import week_for
from govsite.platform.registry import leaders

Progress = Callable[[str], None]
log = logging.getLogger(__name__)
_active: set[int] = set()  # campaigns this process is running now
_active_lock = threading.Lock()
_limiters: dict[tuple[int, float], HostLimiter] = {}  # per-host politeness of every scan in this process
_shared_lock = threading.Lock()
_worker: dict[str, Any] = {}  # in_worker's event loop (in a thread of its own), browser and process id
T = TypeVar("T")


def engine_config(**changes: Any) -> EngineConfig:
    """The engine's config for scans the platform starts: ``settings.EXECUTOR_ENGINE``
    (from the environment) with ``changes`` (``EngineConfig`` fields) over it."""
    return EngineConfig(**{**settings.EXECUTOR_ENGINE, **changes})


def host_limiter(config: EngineConfig) -> HostLimiter:
    """The one per-host limiter of this process for ``config``'s politeness settings: every
    scan of every campaign (and of every task in a worker process) with the same settings
    shares it, so two campaigns never double the load on one site."""
    key = (config.per_host_concurrency, config.min_interval)
    with _shared_lock:
        return _limiters.setdefault(key, HostLimiter(*key))


def evidence_dir(campaign: Campaign) -> Path:
    """Where the campaign's WARC files go: under ``EVIDENCE_DIR`` (by default
    ``DATA_DIR/warc``), a directory every worker and the web process share."""
    return Path(settings.EVIDENCE_DIR or Path(settings.DATA_DIR) / "warc") / f"campaign-{campaign.pk}"


def run_campaign(
    campaign: Campaign, config: EngineConfig, concurrency: int = 4, progress: Progress | None = None
) -> Campaign:
    """Scan every site of ``campaign`` not yet done, each with the week of availability
    monitoring before the campaign's as-of time; returns it refreshed. Each site is
    claimed in the database before it is scanned, so two runs of one campaign (the page
    and ``govsite campaign run``, or two processes) never scan a site twice, and a site
    once done is never overwritten (its review stands)."""
    mark_campaign_running(campaign)
    entries = list(campaign.sites.select_related("site").exclude(state=CampaignSite.State.DONE).order_by("site__code"))
    profile = campaign.profile()

    async def all_sites() -> None:
        gate = asyncio.Semaphore(concurrency)
        browser = Browser.configured(config)  # the run's one chromium, started if a page needs it

        async def one(entry: CampaignSite) -> None:
            async with gate:
                line = await scan_entry(campaign, entry, profile, config, browser=browser)
                if line and progress:
                    progress(line)

        try:
            await asyncio.gather(*(one(e) for e in entries))
        finally:
            await browser.close()
            await sync_to_async(connections.close_all)()  # the worker thread's connections end with the run

    asyncio.run(all_sites())
    return finish_if_done(campaign)


async def scan_entry(
    campaign: Campaign,
    entry: CampaignSite,
    profile: Profile,
    config: EngineConfig,
    token: str = "",
    browser: Browser | None = None,
) -> str | None:
    """Claim, scan and save one site of ``campaign``: the one per-site step of both
    executors (the in-process one above, and each Celery task, which passes its task id
    as ``token`` so that a re-delivered task may take back its own claim; in process each
    claim gets a fresh token). Returns a progress line, or None when another run has the
    site or has finished it.

    The scan runs under the site's claim (``claims.run_claimed``): its heartbeat refreshed
    every ``SCAN_HEARTBEAT_SECONDS`` (a running site whose heartbeat is older than
    ``claims.stale_after`` was orphaned and may be taken by another run), the whole scan,
    link checks included, cut after ``max_seconds`` + ``SCAN_GRACE_SECONDS`` (the grace is
    room for the engine to stop at its own deadline and write its report), in one of the
    process's ``GOVSITE_MAX_SCANS`` slots. Each attempt writes its own WARC file; the file
    of an attempt that failed or lost its claim is removed, so the folder holds the
    evidence of saved results only. Every scan of the process shares one per-host limiter
    (:func:`host_limiter`); the scans of one run share ``browser`` (none: each scan its own,
    started only if a page needs it). With ``GOVSITE_SCREENSHOTS=1`` the findings' screenshots
    are kept in the store beside the campaign's WARC files (``campaigns/screenshots.py``)."""
    config = replace(config, as_of=campaign.as_of)
    kept = storage.store()  # the shared directory, or a bucket (docs/deployment.md)
    key = f"campaign-{campaign.pk}/{entry.site.code}-{uuid.uuid4().hex[:12]}.warc.gz"  # this attempt's own file
    warc = kept.staging(key)
    folder = warc.parent

    with screenshots.staging(kept, key) as shots:

        async def scanning() -> ScanResult:
            folder.mkdir(parents=True, exist_ok=True)
            week = await sync_to_async(week_for)(entry.site, campaign.as_of, profile.monitor_days)
            people = await sync_to_async(leaders.current)()  # the office's list as it stands when the site is scanned
            return await scan(entry.site.url, config, kind=entry.site.kind, site_code=entry.site.code,
                              profile=profile, warc=warc, monitoring=week, limiter=host_limiter(config),
                              screenshots=shots, browser=browser, leaders=people)  # fmt: skip

        def save(result: ScanResult) -> bool:
            screenshots.keep(kept, key, shots, result)  # before the result that names them
            ref = kept.keep(key, warc)
            saved = False
            try:
                saved = save_result(entry, result, ref)
            finally:
                if not saved:  # not stored, or the database refused it: nothing refers to the file
                    storage.delete(ref)
            log.info("%s %s %s", "saved" if saved else "kept", campaign.pk, entry.site.code)
            return saved

        limit = config.max_seconds + settings.SCAN_GRACE_SECONDS
        outcome = await run_claimed(entry, token, warc, limit, scanning, save)
    if outcome is None:
        return None
    if isinstance(outcome, str):
        return f"{entry.site.code} {entry.site.name}: 扫描失败 {outcome}"
    return f"{entry.site.code} {entry.site.name}: {outcome.verdict}"


def in_worker(work: Callable[[Browser], Awaitable[T]], config: EngineConfig) -> T:
    """``work(browser)`` run on this process's one scanning event loop, with its one
    chromium (started when a page first needs it), both kept from one call to the next
    and shared by every thread: a Celery worker process, whether it runs its tasks one
    after another (prefork) or side by side (``-P threads``), starts one browser for all
    its scans, as the in-process executor's scans share one loop. The loop runs in a
    daemon thread started on the first call in this process (after a fork too);
    ``config`` sets the browser up then."""
    with _shared_lock:
        loop = _worker.get("loop")
        if loop is None or loop.is_closed() or _worker.get("pid") != os.getpid():
            loop = asyncio.new_event_loop()
            threading.Thread(target=loop.run_forever, name="govsite-scans", daemon=True).start()
            _worker.update(loop=loop, browser=Browser.configured(config), pid=os.getpid())
        browser: Browser = _worker["browser"]
    return asyncio.run_coroutine_threadsafe(_awaited(work, browser), loop).result()


async def _awaited(work: Callable[[Browser], Awaitable[T]], browser: Browser) -> T:
    return await work(browser)


def worker_browser() -> Browser | None:
    """The browser :func:`in_worker` keeps for this process (None before its first call)."""
    return _worker.get("browser") if _worker.get("pid") == os.getpid() else None


def finish_if_done(campaign: Campaign) -> Campaign:
    """Mark ``campaign`` finished when no site is left to scan (also one whose last run
    stopped between its last site and this mark); returns it refreshed."""
    campaign.refresh_from_db()
    open_states = [CampaignSite.State.PENDING, CampaignSite.State.RUNNING]
    if campaign.state != Campaign.State.FINISHED and not campaign.sites.filter(state__in=open_states).exists():
        campaign.state = Campaign.State.FINISHED
        campaign.finished = timezone.now()
        campaign.save(update_fields=["state", "finished"])
    return campaign


def start_in_background(campaign: Campaign, config: EngineConfig, concurrency: int = 4) -> bool:
    """With the Celery executor, queue one task per site not done (the workers' settings
    decide how they scan; a task for a site another holds or has done does nothing).
    In process: run ``campaign`` in a thread of this process unless this process already runs it or
    no site is left to scan (failed ones are tried again). The campaign is marked running
    before this returns, so the page that follows shows it running. A campaign left
    "running" by a process that died is resumed. Returns whether a run was started."""
    if not campaign.sites.exclude(state=CampaignSite.State.DONE).exists():
        finish_if_done(campaign)
        return False
    if settings.EXECUTOR == "celery":
        from govsite.platform.campaigns.tasks import dispatch  # Celery is loaded in distributed mode only

        mark_campaign_running(campaign)
        dispatch(list(campaign.sites.exclude(state=CampaignSite.State.DONE).values_list("pk", flat=True)))
        return True
    with _active_lock:
        if campaign.pk in _active:
            return False
        _active.add(campaign.pk)
    mark_campaign_running(campaign)
    in_background(f"campaign {campaign.pk}", _run_and_release, campaign.pk, config, concurrency)
    return True


def in_background(name: str, work: Callable[..., None], *args: Any) -> None:
    """Run ``work(*args)`` in a thread of this process, so a request that starts long work
    returns at once: the in-process executor's one way (campaigns, self-checks, the probe
    of closed sites). An exception is logged under ``name``; the thread's database
    connections are closed when it ends."""

    def run() -> None:
        try:
            work(*args)
        except Exception:
            log.exception("%s stopped", name)
        finally:
            connections.close_all()

    threading.Thread(target=run, name=name, daemon=True).start()


def is_running_here(campaign: Campaign) -> bool:
    """Whether this process runs ``campaign`` now; with Celery, whether its tasks are out
    (it is marked running and has sites not done)."""
    if settings.EXECUTOR == "celery":
        open_states = [CampaignSite.State.PENDING, CampaignSite.State.RUNNING]
        return campaign.state == Campaign.State.RUNNING and campaign.sites.filter(state__in=open_states).exists()
    with _active_lock:
        return campaign.pk in _active


def _run_and_release(pk: int, config: EngineConfig, concurrency: int) -> None:
    try:  # a campaign that stops stays resumable: its unfinished sites are scanned on the next start
        run_campaign(Campaign.objects.get(pk=pk), config, concurrency=concurrency)
    finally:
        with _active_lock:
            _active.discard(pk)


# The executor's steps around each scan; the tests' campaign factory takes the same ones.


def mark_campaign_running(campaign: Campaign) -> None:
    campaign.state = Campaign.State.RUNNING
    campaign.started = campaign.started or timezone.now()
    campaign.save(update_fields=["state", "started"])


def save_result(entry: CampaignSite, result: ScanResult, warc: str | Path) -> bool:
    """Store the scan's result if this run still holds ``entry`` (a run that lost its claim,
    or a site already done, is left as it is); returns whether it was stored. Its finding
    counts and landing URL are stored beside it for the pages that list many sites."""
    data: Any = result.to_data()
    entry.state = CampaignSite.State.DONE
    entry.verdict = entry.final_verdict = result.verdict
    entry.score = entry.final_score = result.score
    entry.result = data
    entry.counts = finding_counts(reviewed(result, {}, ()))  # nobody has reviewed a new result
    entry.homepage_url = result.homepage_url
    entry.warc = str(warc)
    entry.finished = timezone.now()
    fields = ["state", "verdict", "score", "final_verdict", "final_score", "result", "counts", "homepage_url",
              "warc", "finished"]  # fmt: skip
    updated = held(entry).update(**{name: getattr(entry, name) for name in fields})
    return bool(updated)
