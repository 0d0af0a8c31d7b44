"""Rectification (整改): a reviewed site becomes a task, its unit files feedback, and a
re-check (``recheck.run_recheck``) decides which findings are fixed. A unit may ask to
close the site instead (申请关停): a registry status change with its date."""

from __future__ import annotations

import re
import uuid
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govsite.engine import FAIL
from govsite.platform import storage
from govsite.platform.accounts.access import can_answer_rectification, can_assign_rectification
from govsite.platform.campaigns.models import CampaignSite
from govsite.platform.jiucuo.workdays import CalendarGap
from govsite.platform.rectification.deadlines import due_date
from govsite.platform.rectification.models import Feedback, Recheck, Task, TaskFinding
from govsite.platform.registry.models import Site
from govsite.platform.review.actions import Reviewed, reviewed_findings


def coverable(entry: CampaignSite) -> list[Reviewed]:
    """The findings a task for ``entry`` covers: every counted finding of an unqualified
    site; only the confirmed (and manual) findings of a qualified one."""
    found = reviewed_findings(entry) if entry.result else []
    if entry.final_verdict == FAIL:
        return [r for r in found if r.counted]
    return [r for r in found if r.state in ("confirmed", "manual")]


@transaction.atomic
def create_task(
    entry: CampaignSite,
    user: Any,
    *,
    days: int | None = None,
    unit: str = "",
    note: str = "",
    start: date | None = None,
) -> Task:
    """A rectification task for ``entry`` due ``days`` after ``start`` (today)."""
    if not can_assign_rectification(user, entry.campaign):
        raise PermissionDenied(_("You may not assign rectification for this campaign"))
    entry = CampaignSite.objects.select_for_update().select_related("site", "campaign").get(pk=entry.pk)
    if entry.state != CampaignSite.State.DONE or not entry.result:
        raise ValidationError(_("This site has no scan result yet: there is nothing to rectify"))
    if Task.objects.filter(entry=entry).exists():
        raise ValidationError(_("This site already has a rectification task in this campaign"))
    covered = coverable(entry)
    if not covered:
        raise ValidationError(_("Nothing to rectify: the site passed and no finding was confirmed"))
    try:
        deadline = due_date(start or timezone.localdate(), days)
    except CalendarGap as gap:
        raise ValidationError(
            _("No holiday calendar covers %(year)s: enter the State Council's arrangement first (docs/jiucuo.md)")
            % {"year": gap.year}
        ) from gap
    except ValueError as exc:
        raise ValidationError(_("The deadline must be at least one day away")) from exc
    task = Task.objects.create(entry=entry, site=entry.site, unit=(unit.strip() or entry.site.organizer)[:200],
                               deadline=deadline, note=note.strip(), created_by=user)  # fmt: skip
    TaskFinding.objects.bulk_create(
        TaskFinding(
            task=task,
            check_id=r.finding.check,
            subject=r.finding.subject,
            url=r.finding.url,
            severity=r.finding.severity,
            message=r.finding.message,
            index=r.index,
        )
        for r in covered
    )
    return task


def _safe_name(name: str) -> str:
    stem = re.sub(r"[^\w.\-]+", "_", Path(name).name)[-100:].lstrip(".")
    return stem or "attachment"


@transaction.atomic
def file_feedback(task: Task, user: Any, text: str, attachment: tuple[str, bytes] | None = None) -> Recheck:
    """The unit's feedback (整改反馈); returns the re-check it asks for (pending: start it
    with ``recheck.start_in_background`` or run ``recheck.run_recheck``)."""
    if not can_answer_rectification(user, task.site):
        raise PermissionDenied(_("Only the site's operator files its rectification feedback"))
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.state != Task.State.OPEN:
        raise ValidationError(_("This task is not awaiting feedback"))
    if not text.strip():
        raise ValidationError(_("Say what was rectified"))
    stored, name = "", ""
    if attachment is not None:
        name, data = attachment
        if len(data) > settings.RECTIFICATION_ATTACHMENT_MAX_BYTES:
            raise ValidationError(
                _("The attachment is larger than %(mb)d MB")
                % {"mb": settings.RECTIFICATION_ATTACHMENT_MAX_BYTES // 1024 // 1024}
            )
        name = _safe_name(name)
        stored = storage.store().keep_bytes(f"rectification/task-{task.pk}/{uuid.uuid4().hex}-{name}", data)
    try:  # the file stays only if the rows are written
        feedback = Feedback.objects.create(task=task, user=user, text=text.strip(), attachment=stored,
                                           attachment_name=name)  # fmt: skip
        recheck = Recheck.objects.create(task=task, feedback=feedback)
        task.state = Task.State.RECHECKING
        task.save(update_fields=["state"])
    except Exception:
        if stored:
            storage.delete(stored)
        raise
    return recheck


@transaction.atomic
def request_recheck(task: Task, user: Any) -> Recheck:
    """A re-check without new feedback (the supervisor's, or again after a failed scan).
    Returns the re-check already waiting or running, if there is one."""
    if not (can_answer_rectification(user, task.site) or can_assign_rectification(user, task.entry.campaign)):
        raise PermissionDenied(_("You may not order a re-check of this site"))
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.state in (Task.State.CLOSED, Task.State.CLOSURE):
        raise ValidationError(_("This task is finished"))
    waiting = task.rechecks.filter(state__in=[Recheck.State.PENDING, Recheck.State.RUNNING, Recheck.State.FAILED])
    recheck = waiting.order_by("pk").first() or Recheck.objects.create(task=task)
    if task.state != Task.State.RECHECKING:
        task.state = Task.State.RECHECKING
        task.save(update_fields=["state"])
    return recheck


@transaction.atomic
def request_closure(task: Task, user: Any, when: date, reason: str) -> Task:
    """Close the site instead of rectifying it (申请关停): the registry records the status
    change with its date; the task ends."""
    if not can_answer_rectification(user, task.site):
        raise PermissionDenied(_("Only the site's operator requests its closure"))
    task = Task.objects.select_for_update().select_related("site").get(pk=task.pk)
    if task.state not in (Task.State.OPEN, Task.State.RECHECKING):
        raise ValidationError(_("This task is finished"))
    if not reason.strip():
        raise ValidationError(_("Give the reason for the closure"))
    task.site.apply({"status": Site.Status.CLOSURE_REQUESTED, "status_since": when}, user, reason.strip())
    task.state, task.closed = Task.State.CLOSURE, timezone.now()
    task.save(update_fields=["state", "closed"])
    return task
