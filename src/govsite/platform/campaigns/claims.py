"""Claims on the rows a scan fills in: a campaign's site (``CampaignSite``) and a
rectification re-check (``Recheck``), both with ``state`` (pending, running, done,
failed), ``claim``, ``heartbeat``, ``started``, ``finished`` and ``error``.

A run takes a row under a token of its own, refreshes its heartbeat while it scans, and
writes (saves or fails) only while the row still runs under that token, so a run that
was taken for gone never overwrites the result of the run that took its row over.
:func:`run_claimed` is the one way a scan runs under a claim: in one of the process's
scan slots (``GOVSITE_MAX_SCANS``), with the heartbeat, a hard time limit around the
whole scan, and the attempt's own WARC file removed unless its result was saved.
"""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import InterfaceError, OperationalError, models
from django.db.models import Q
from django.utils import timezone

from govsite.engine import ScanResult, Slots

RUNNING, DONE, FAILED = "running", "done", "failed"  # the states every claimable row shares
#: Failures of our own side worth another try (the database or the network briefly gone):
#: a Celery task retries them (``campaigns/tasks.py``), and a result that could not be
#: saved for one of them leaves its row to be taken back, never failed.
TRANSIENT = (OperationalError, InterfaceError, ConnectionError)
_scan_slots: dict[int, Slots] = {}  # the process-wide cap on scans at once, by GOVSITE_MAX_SCANS
_slots_lock = threading.Lock()


def scan_slots() -> Slots:
    """This process's cap on scans running at once (``GOVSITE_MAX_SCANS``): one for every
    campaign, task and re-check of the process."""
    with _slots_lock:
        return _scan_slots.setdefault(settings.MAX_SCANS, Slots(settings.MAX_SCANS))


def stale_after() -> timedelta:
    """How old a running row's heartbeat may be before its run counts as gone: several
    missed beats, so a busy database or a slow save never loses a live claim."""
    return timedelta(seconds=4 * settings.SCAN_HEARTBEAT_SECONDS)


def claim(row: models.Model, stale: timedelta, token: str = "") -> bool:
    """Take ``row`` for this run under ``token`` (a fresh one when none is given): pending,
    failed, running but without a heartbeat for longer than ``stale`` (its run is gone),
    or running under this same ``token`` (a task delivered again after its worker died).
    A done row is never taken."""
    now = timezone.now()
    token = token or uuid.uuid4().hex
    open_now = type(row)._default_manager.filter(pk=row.pk).exclude(state=DONE)
    gone = Q(heartbeat__lte=now - stale) | Q(heartbeat__isnull=True, started__lte=now - stale)
    takeable = ~Q(state=RUNNING) | gone | Q(claim=token)
    taken = open_now.filter(takeable).update(state=RUNNING, started=now, heartbeat=now, error="", claim=token)
    if not taken:
        return False
    for name, value in {"state": RUNNING, "started": now, "heartbeat": now, "error": "", "claim": token}.items():
        setattr(row, name, value)
    return True


def held(row: Any) -> Any:
    """``row``'s row while it still runs under ``row``'s claim: the one condition of every
    write a run makes, so a run that lost its claim never overwrites the new holder's."""
    return type(row)._default_manager.filter(pk=row.pk, state=RUNNING, claim=row.claim)


def heartbeat(row: models.Model) -> bool:
    """Mark ``row``'s run alive now; returns whether it still holds its claim."""
    return bool(held(row).update(heartbeat=timezone.now()))


def mark_failed(row: Any, error: str) -> bool:
    """Keep ``row`` as failed with ``error`` if this run still holds it; returns whether it was stored."""
    row.state, row.error, row.finished = FAILED, error[:2000], timezone.now()
    return bool(held(row).update(state=row.state, error=row.error, finished=row.finished))


async def keep_claim(row: models.Model) -> None:
    """Refresh ``row``'s heartbeat until cancelled or until the claim is lost."""
    while True:
        await asyncio.sleep(settings.SCAN_HEARTBEAT_SECONDS)
        if not await sync_to_async(heartbeat)(row):
            return


async def run_claimed(
    row: models.Model,
    token: str,
    warc: Path,
    limit: float,
    scanning: Callable[[], Awaitable[ScanResult]],
    save: Callable[[ScanResult], bool],
) -> ScanResult | str | None:
    """Claim ``row`` under ``token`` (fresh when empty) in one of the process's scan slots,
    run ``scanning()`` (which writes ``warc``, this attempt's own file) with the heartbeat
    kept and cut after ``limit`` seconds, then ``save(result)``, which must write only
    under the claim (:func:`held`) and say whether it did.

    Returns None when the row was not taken (another run holds it or it is done), the
    reason when the scan failed or its result could not be saved (the row is kept failed
    with it: a result the database refuses would be refused again, and a row left running
    would keep its campaign open for ever), else the result. A transient failure to save
    (:data:`TRANSIENT`) is raised, for the caller to try again under the same token. The
    WARC file of an attempt that failed or whose result was not saved is removed: nothing
    refers to it."""
    async with scan_slots().held():  # a row waits for a slot before it is claimed
        if not await sync_to_async(claim)(row, stale_after(), token):
            return None
        beating = asyncio.create_task(keep_claim(row))
        try:
            async with asyncio.timeout(limit):
                result = await scanning()
        except Exception as exc:  # the row is kept, marked failed, never dropped
            reason = f"扫描超过时限 {limit:g} 秒" if isinstance(exc, TimeoutError) else f"{type(exc).__name__}: {exc}"
            await sync_to_async(mark_failed)(row, reason)
            warc.unlink(missing_ok=True)
            return reason
        finally:
            beating.cancel()
        try:
            saved = await sync_to_async(save)(result)
        except TRANSIENT:
            warc.unlink(missing_ok=True)
            raise
        except Exception as exc:
            reason = f"结果无法保存 {type(exc).__name__}: {exc}"
            await sync_to_async(mark_failed)(row, reason)
            warc.unlink(missing_ok=True)
            return reason
        if not saved:
            warc.unlink(missing_ok=True)
        return result
