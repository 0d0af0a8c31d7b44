"""The automatic re-check (复核): the task's site scanned again, as the executor scans it
(``govsite.engine.scan`` with the campaign's frozen profile, evidence in a WARC file of
its own), then each finding the task still holds is matched (``matching.match``) as
fixed or still present, and what the re-scan found beside them as new.

``run_recheck`` is a plain function safe to run twice (a thread today, a Celery task
tomorrow): it claims the re-check in the database first, and a finished one is never
scanned or applied again."""

from __future__ import annotations

import asyncio
import logging
import threading
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone

from govsite.engine import EngineConfig, ScanResult, scan
from govsite.platform.rectification.matching import FIXED, NEW, Key, match
from govsite.platform.rectification.models import Recheck, Task, TaskFinding
from govsite.platform.registry import leaders
from govsite.platform.review.actions import reviewed_findings

log = logging.getLogger(__name__)
_active: set[int] = set()  # re-checks this process is running now
_active_lock = threading.Lock()


def evidence_path(recheck: Recheck) -> Path:
    return Path(settings.DATA_DIR) / "warc" / f"recheck-{recheck.pk}.warc.gz"


def run_recheck(recheck: Recheck, config: EngineConfig) -> Recheck:
    """Scan the task's site now and apply the outcome; returns the re-check refreshed.
    Does nothing to a re-check another run holds or has finished."""
    if not _claim(recheck, timedelta(seconds=2 * config.max_seconds + 60)):
        recheck.refresh_from_db()
        return recheck
    task = Task.objects.select_related("site", "entry__campaign").get(pk=recheck.task_id)
    site = task.site
    warc = evidence_path(recheck)
    warc.parent.mkdir(parents=True, exist_ok=True)
    as_of = timezone.now()
    try:
        result = asyncio.run(scan(site.url, replace(config, as_of=as_of), kind=site.kind, site_code=site.code,
                                  profile=task.entry.campaign.profile(), warc=warc,
                                  leaders=leaders.current()))  # fmt: skip
    except Exception as exc:  # kept, marked failed with the reason; asking again scans again
        Recheck.objects.filter(pk=recheck.pk, state=Recheck.State.RUNNING).update(
            state=Recheck.State.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000], finished=timezone.now()
        )
        recheck.refresh_from_db()
        return recheck
    _apply(recheck.pk, result, warc, as_of)
    recheck.refresh_from_db()
    return recheck


def _claim(recheck: Recheck, stale: timedelta) -> bool:
    now = timezone.now()
    open_now = Recheck.objects.filter(pk=recheck.pk).exclude(state=Recheck.State.DONE)
    taken = open_now.exclude(state=Recheck.State.RUNNING, started__gt=now - stale)
    return bool(taken.update(state=Recheck.State.RUNNING, started=now, error=""))


@transaction.atomic
def _apply(pk: int, result: ScanResult, warc: Path, as_of: datetime) -> None:
    recheck = Recheck.objects.select_for_update().get(pk=pk)
    if recheck.state != Recheck.State.RUNNING:
        return  # another run finished it meanwhile
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
    now = timezone.now()
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
    recheck.state, recheck.finished, recheck.as_of = Recheck.State.DONE, now, as_of
    recheck.result, recheck.warc, recheck.outcomes = result.to_data(), str(warc), outcomes
    recheck.verdict, recheck.score = result.verdict, result.score
    recheck.save()
    if task.findings.exclude(status=TaskFinding.Status.FIXED).exists():
        task.state, task.closed = Task.State.OPEN, None  # reopened: what is not fixed waits for new feedback
    else:
        task.state, task.closed = Task.State.CLOSED, now
    task.save(update_fields=["state", "closed"])


def start_in_background(recheck: Recheck, config: EngineConfig) -> bool:
    """Run ``recheck`` in a thread of this process unless this process runs it already or
    it is done. Returns whether a run was started."""
    if recheck.state == Recheck.State.DONE:
        return False
    with _active_lock:
        if recheck.pk in _active:
            return False
        _active.add(recheck.pk)
    threading.Thread(target=_run_and_release, args=(recheck.pk, config), daemon=True).start()
    return True


def is_running_here(recheck: Recheck) -> bool:
    with _active_lock:
        return recheck.pk in _active


def _run_and_release(pk: int, config: EngineConfig) -> None:
    try:
        run_recheck(Recheck.objects.get(pk=pk), config)
    except Exception:  # the re-check stays resumable: asking again claims it
        log.exception("re-check %s stopped", pk)
    finally:
        connections.close_all()
        with _active_lock:
            _active.discard(pk)
