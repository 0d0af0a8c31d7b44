"""The automatic re-check (复核): the task's site scanned again, as the executor scans it
(``govsite.engine.scan`` with the campaign's frozen profile, evidence in a WARC file of
its own), then each finding the task still holds is matched (``matching.match``) as
fixed or still present, and what the re-scan found beside them as new.

``run_recheck`` is a plain function safe to run twice (a thread today, a Celery task
tomorrow): the re-check is claimed as a campaign's site is (``campaigns.claims``: a token
per claim, a heartbeat while it scans, a hard time limit, a WARC file per attempt, one of
the process's scan slots and its shared per-host limiter), the outcome is applied only
under the run's own claim, and a finished re-check is never scanned or applied again."""

from __future__ import annotations

import asyncio
import threading
import uuid
from dataclasses import replace
from datetime import datetime

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from govsite.engine import EngineConfig, ScanResult, scan
from govsite.platform import storage
from govsite.platform.campaigns import screenshots
from govsite.platform.campaigns.claims import held, run_claimed
from govsite.platform.campaigns.executor import host_limiter, in_background
from govsite.platform.rectification.matching import FIXED, NEW, Key, match
from govsite.platform.rectification.models import Recheck, Task, TaskFinding
from govsite.platform.registry import leaders
from govsite.platform.review.actions import reviewed_findings

_active: set[int] = set()  # re-checks this process is running now
_active_lock = threading.Lock()


def run_recheck(recheck: Recheck, config: EngineConfig, token: str = "") -> Recheck:
    """Scan the task's site now and apply the outcome; returns the re-check refreshed.
    Does nothing to a re-check another run holds or has finished. ``token`` names the
    claim (a fresh one when empty), as a Celery task's id would."""
    task = Task.objects.select_related("site", "entry__campaign").get(pk=recheck.task_id)
    site, campaign = task.site, task.entry.campaign
    profile = campaign.profile()
    kept = storage.store()  # where the campaigns' evidence is kept: the shared directory, or a bucket
    key = f"campaign-{campaign.pk}/recheck-{recheck.pk}-{uuid.uuid4().hex[:12]}.warc.gz"  # this attempt's own file
    warc = kept.staging(key)
    folder = warc.parent
    as_of = timezone.now()

    limit = config.max_seconds + settings.SCAN_GRACE_SECONDS
    with screenshots.staging(kept, key) as shots:

        async def scanning() -> ScanResult:
            nonlocal as_of
            as_of = timezone.now()  # when the scan starts, not when it was queued for a slot
            folder.mkdir(parents=True, exist_ok=True)
            people = await sync_to_async(leaders.current)()  # the office's list as it stands now
            return await scan(site.url, replace(config, as_of=as_of), kind=site.kind, site_code=site.code,
                              profile=profile, warc=warc, limiter=host_limiter(config), leaders=people,
                              screenshots=shots)  # fmt: skip

        def save(result: ScanResult) -> bool:
            screenshots.keep(kept, key, shots, result)
            ref = kept.keep(key, warc)
            applied = False
            try:
                applied = _apply(recheck, result, ref, as_of)
            finally:
                if not applied:  # not applied, or the database refused it: nothing refers to the file
                    storage.delete(ref)
            return applied

        asyncio.run(run_claimed(recheck, token, warc, limit, scanning, save))
    recheck.refresh_from_db()
    return recheck


@transaction.atomic
def _apply(recheck: Recheck, result: ScanResult, warc: str, as_of: datetime) -> bool:
    """Store the re-scan and match it against the task, if this run still holds ``recheck``
    (the conditional update is the arbiter: a run taken for gone, or a second apply, finds
    nothing to update and changes nothing); returns whether it was applied."""
    now = timezone.now()
    stored = held(recheck).update(state=Recheck.State.DONE, finished=now, as_of=as_of, result=result.to_data(),
                                  warc=str(warc), verdict=result.verdict, score=result.score)  # fmt: skip
    if not stored:
        return False
    task = Task.objects.select_for_update().select_related("entry").get(pk=recheck.task_id)
    holding = list(task.findings.exclude(status=TaskFinding.Status.FIXED))
    after = result.findings
    covered = {(f.check_id, f.subject) for f in task.findings.all()}
    known: list[Key] = [
        (r.finding.check, r.finding.subject)
        for r in reviewed_findings(task.entry)
        if (r.finding.check, r.finding.subject) not in covered
    ]  # seen at the first scan but not the task's (dismissed, or a doubt nobody confirmed)
    outcomes = []
    for m in match([(f.check_id, f.subject) for f in holding], [(f.check, f.subject) for f in after], known):
        if m.status == NEW:
            assert m.after is not None  # a new finding comes from ``after``
            f = after[m.after]
            if f.severity == "suspected":
                continue  # a machine's doubt is not a new problem until a person confirms it
            made = TaskFinding.objects.create(task=task, check_id=f.check, subject=f.subject, url=f.url,
                                              severity=f.severity, message=f.message, found_by=recheck)  # fmt: skip
            outcomes.append(
                {"check": m.check, "subject": m.subject, "status": NEW, "finding": made.pk, "after": m.after}
            )
            continue
        assert m.before is not None  # fixed and still present findings come from ``holding``
        finding = holding[m.before]
        finding.status = TaskFinding.Status.FIXED if m.status == FIXED else TaskFinding.Status.STILL_PRESENT
        finding.fixed = now if m.status == FIXED else None
        finding.save(update_fields=["status", "fixed"])
        outcomes.append({"check": m.check, "subject": m.subject, "status": m.status, "finding": finding.pk,
                         "after": m.after})  # fmt: skip
    Recheck.objects.filter(pk=recheck.pk).update(outcomes=outcomes)
    if task.findings.exclude(status=TaskFinding.Status.FIXED).exists():
        task.state, task.closed = Task.State.OPEN, None  # reopened: what is not fixed waits for new feedback
    else:
        task.state, task.closed = Task.State.CLOSED, now
    task.save(update_fields=["state", "closed"])
    return True


def start_in_background(recheck: Recheck, config: EngineConfig) -> bool:
    """With the Celery executor, queue ``recheck`` for a worker (``queue.recheck_site``;
    the workers' settings decide how it scans). In process: run it in a thread of this
    process unless this process runs it already. Nothing for a done re-check. Returns
    whether a run was started (or queued)."""
    if recheck.state == Recheck.State.DONE:
        return False
    if settings.EXECUTOR == "celery":
        from govsite.platform.rectification.queue import recheck_site  # Celery is loaded in distributed mode only

        recheck_site.delay(recheck.pk)
        return True
    with _active_lock:
        if recheck.pk in _active:
            return False
        _active.add(recheck.pk)
    in_background(f"re-check {recheck.pk}", _run_and_release, recheck.pk, config)
    return True


def is_running_here(recheck: Recheck) -> bool:
    with _active_lock:
        return recheck.pk in _active


def _run_and_release(pk: int, config: EngineConfig) -> None:
    """A re-check that stops on an error stays resumable: asking again claims it."""
    try:
        run_recheck(Recheck.objects.get(pk=pk), config)
    finally:
        with _active_lock:
            _active.discard(pk)
