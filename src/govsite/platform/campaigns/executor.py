"""The in-process executor: scans a campaign's pending sites with bounded concurrency,
saving each result as it arrives. Safe to run twice: finished sites are not scanned
again, and a site whose scan failed is kept, marked failed, with the reason."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connections
from django.utils import timezone

from govsite.engine import EngineConfig
from govsite.engine.scan import ScanResult, scan
from govsite.engine.snapshot import dump
from govsite.platform.campaigns.models import Campaign, CampaignSite

Progress = Callable[[str], None]
log = logging.getLogger(__name__)
_active: set[int] = set()  # campaigns this process is running now
_active_lock = threading.Lock()


def evidence_dir(campaign: Campaign) -> Path:
    return Path(settings.DATA_DIR) / "warc" / f"campaign-{campaign.pk}"


def run_campaign(
    campaign: Campaign, config: EngineConfig, concurrency: int = 4, progress: Progress | None = None
) -> Campaign:
    """Scan every site of ``campaign`` not yet done; returns it refreshed."""
    campaign.state = Campaign.State.RUNNING
    campaign.started = campaign.started or timezone.now()
    campaign.save(update_fields=["state", "started"])
    entries = list(campaign.sites.select_related("site").exclude(state=CampaignSite.State.DONE).order_by("site__code"))
    profile = campaign.profile()
    config = replace(config, as_of=campaign.as_of)
    folder = evidence_dir(campaign)
    folder.mkdir(parents=True, exist_ok=True)

    async def all_sites() -> None:
        gate = asyncio.Semaphore(concurrency)

        async def one(entry: CampaignSite) -> None:
            async with gate:
                await sync_to_async(_mark_running)(entry)
                warc = folder / f"{entry.site.code}.warc.gz"
                try:
                    result = await scan(entry.site.url, config, kind=entry.site.kind, site_code=entry.site.code,
                                        profile=profile, warc=warc)  # fmt: skip
                except Exception as exc:  # the site is kept, marked failed, never dropped
                    await sync_to_async(_mark_failed)(entry, f"{type(exc).__name__}: {exc}")
                    if progress:
                        progress(f"{entry.site.code} {entry.site.name}: 扫描失败 {exc}")
                    return
                await sync_to_async(_save)(entry, result, warc)
                if progress:
                    progress(f"{entry.site.code} {entry.site.name}: {result.verdict}")

        await asyncio.gather(*(one(e) for e in entries))
        await sync_to_async(connections.close_all)()  # the worker thread's connections end with the run

    asyncio.run(all_sites())
    campaign.refresh_from_db()
    if not campaign.sites.exclude(state__in=[CampaignSite.State.DONE, CampaignSite.State.FAILED]).exists():
        campaign.state = Campaign.State.FINISHED
        campaign.finished = timezone.now()
        campaign.save(update_fields=["state", "finished"])
    return campaign


def start_in_background(campaign: Campaign, config: EngineConfig, concurrency: int = 4) -> bool:
    """Run ``campaign`` in a thread of this process unless this process already runs it.
    A campaign left "running" by a process that died is resumed: its unfinished sites are
    scanned again. Returns whether a run was started."""
    with _active_lock:
        if campaign.pk in _active:
            return False
        _active.add(campaign.pk)
    threading.Thread(target=_run_and_release, args=(campaign.pk, config, concurrency), daemon=True).start()
    return True


def is_running_here(campaign: Campaign) -> bool:
    with _active_lock:
        return campaign.pk in _active


def _run_and_release(pk: int, config: EngineConfig, concurrency: int) -> None:
    try:
        run_campaign(Campaign.objects.get(pk=pk), config, concurrency=concurrency)
    except Exception:  # the campaign stays resumable: its unfinished sites are scanned on the next start
        log.exception("campaign %s stopped", pk)
    finally:
        with _active_lock:
            _active.discard(pk)
        connections.close_all()


def _mark_running(entry: CampaignSite) -> None:
    entry.state = CampaignSite.State.RUNNING
    entry.started = timezone.now()
    entry.error = ""
    entry.save(update_fields=["state", "started", "error"])


def _mark_failed(entry: CampaignSite, error: str) -> None:
    entry.state = CampaignSite.State.FAILED
    entry.error = error[:2000]
    entry.finished = timezone.now()
    entry.save(update_fields=["state", "error", "finished"])


def _save(entry: CampaignSite, result: ScanResult, warc: Path) -> None:
    data: Any = dump(result)
    entry.state = CampaignSite.State.DONE
    entry.verdict = entry.final_verdict = result.verdict
    entry.score = entry.final_score = result.score
    entry.result = data
    entry.warc = str(warc)
    entry.finished = timezone.now()
    entry.save(
        update_fields=["state", "verdict", "score", "final_verdict", "final_score", "result", "warc", "finished"]
    )
