"""Rectification pages: the tasks a user may see, one task (feedback, re-checks, closure),
a re-check's before and after; and self-inspection rounds (自查). Thin: the work is in
``tasks``, ``recheck``, ``selfinspection`` and ``figures``; who may do what is ``access``."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from govsite.platform import storage
from govsite.platform.accounts.access import (
    campaign_regions,
    can_answer_rectification,
    can_assign_rectification,
    can_manage_round,
    can_report_for,
    visible_campaigns,
    visible_entries,
    visible_rounds,
    visible_tasks,
)
from govsite.platform.campaigns.executor import engine_config
from govsite.platform.campaigns.views import serve_archived
from govsite.platform.rectification import figures, recheck, selfinspection, tasks
from govsite.platform.rectification.models import Feedback, Recheck, SelfInspectionRound, Task
from govsite.platform.registry.tabular import ImportRejected, RowError


def _messages(exc: ValidationError) -> str:
    return pgettext("between messages", "; ").join(exc.messages)


def _task(request: HttpRequest, pk: int) -> Task:
    found = visible_tasks(request.user).select_related("site", "entry__campaign").filter(pk=pk).first()
    if found is None:
        raise Http404(_("No such rectification task, or you may not see it"))
    return found


@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    mine = visible_tasks(request.user).select_related("site", "entry__campaign")
    today = timezone.localdate()
    context = {
        "tasks": mine.order_by("state", "deadline", "pk"),
        "overdue": figures.overdue_tasks(today, mine),
        "overdue_units": figures.overdue_units(today, mine),
        "today": today,
    }
    return render(request, "rectification/tasks.html", context)


@login_required
@require_POST
def task_create(request: HttpRequest, campaign_pk: int, entry_pk: int) -> HttpResponse:
    campaign = visible_campaigns(request.user).filter(pk=campaign_pk).first()
    entry = visible_entries(request.user, campaign).filter(pk=entry_pk).first() if campaign else None
    if entry is None:
        raise Http404(_("This site is not in the campaign"))
    try:
        raw = request.POST.get("days", "")
        days = int(raw) if raw.strip() else None
        made = tasks.create_task(entry, request.user, days=days, unit=request.POST.get("unit", ""),
                                 note=request.POST.get("note", ""))  # fmt: skip
    except ValueError:
        return _back_with(request, campaign_pk, entry_pk, _("The number of days must be a whole number"))
    except ValidationError as exc:
        return _back_with(request, campaign_pk, entry_pk, _messages(exc))
    return redirect("rectification:task", made.pk)


def _back_with(request: HttpRequest, campaign_pk: int, entry_pk: int, error: str) -> HttpResponse:
    return render(request, "rectification/error.html", {"error": error,
                  "back": reverse("campaigns:entry", args=[campaign_pk, entry_pk])}, status=400)  # fmt: skip


@login_required
def task_detail(request: HttpRequest, pk: int, error: str = "", status: int = 200) -> HttpResponse:
    task = _task(request, pk)
    rechecks = list(task.rechecks.order_by("-pk"))
    context = {
        "task": task,
        "findings": task.findings.select_related("found_by"),
        "feedback": task.feedback.select_related("user"),
        "rechecks": rechecks,
        "waiting": any(r.state in (Recheck.State.PENDING, Recheck.State.RUNNING) for r in rechecks),
        "can_answer": can_answer_rectification(request.user, task.site),
        "can_order": can_assign_rectification(request.user, task.entry.campaign),
        "overdue": task.state in figures.UNFINISHED and task.deadline < timezone.localdate(),
        "today": timezone.localdate(),
        "error": error,
    }
    return render(request, "rectification/task.html", context, status=status)


@login_required
@require_POST
def task_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    upload = request.FILES.get("attachment")
    if upload is not None and upload.size is not None and upload.size > settings.RECTIFICATION_ATTACHMENT_MAX_BYTES:
        too_big = _("The attachment is larger than %(mb)d MB") % {
            "mb": settings.RECTIFICATION_ATTACHMENT_MAX_BYTES // 1024 // 1024
        }
        return task_detail(request, pk, too_big, 400)
    attachment = (upload.name or "attachment", upload.read()) if upload is not None else None
    try:
        made = tasks.file_feedback(task, request.user, request.POST.get("text", ""), attachment)
    except ValidationError as exc:
        return task_detail(request, pk, _messages(exc), 400)
    recheck.start_in_background(made, engine_config())
    return redirect("rectification:task", pk)


@login_required
@require_POST
def task_recheck(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    try:
        made = tasks.request_recheck(task, request.user)
    except ValidationError as exc:
        return task_detail(request, pk, _messages(exc), 400)
    recheck.start_in_background(made, engine_config())
    return redirect("rectification:task", pk)


@login_required
@require_POST
def task_closure(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    try:
        when = date.fromisoformat(request.POST.get("when", ""))
    except ValueError:
        return task_detail(request, pk, _("Give the closure date as YYYY-MM-DD"), 400)
    try:
        tasks.request_closure(task, request.user, when, request.POST.get("reason", ""))
    except ValidationError as exc:
        return task_detail(request, pk, _messages(exc), 400)
    return redirect("rectification:task", pk)


@login_required
def feedback_attachment(request: HttpRequest, pk: int, feedback_pk: int) -> FileResponse:
    task = _task(request, pk)
    found = Feedback.objects.filter(task=task, pk=feedback_pk).exclude(attachment="").first()
    if found is None:
        raise Http404(_("No such attachment"))
    return _download(found.attachment, found.attachment_name)


def _download(ref: str, name: str) -> FileResponse:
    """A kept upload, streamed from the store (the shared directory or a bucket); one larger
    than any upload accepted is not served."""
    try:
        stream = storage.open_stream(ref, settings.RECTIFICATION_ATTACHMENT_MAX_BYTES)
    except (FileNotFoundError, storage.TooLarge) as exc:
        raise Http404(_("The file is missing")) from exc
    response = FileResponse(stream, as_attachment=True, filename=name, content_type="application/octet-stream")
    response["Content-Length"] = str(stream.size)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _recheck(request: HttpRequest, pk: int) -> Recheck:
    found = Recheck.objects.filter(pk=pk, task__in=visible_tasks(request.user)).select_related(
        "task__site", "task__entry__campaign"
    )
    if not found.exists():
        raise Http404(_("No such re-check, or you may not see it"))
    return found.get()


@login_required
def recheck_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Before and after side by side, with the archived evidence of both scans."""
    made = _recheck(request, pk)
    task = made.task
    first, again = task.entry.scan_result, made.scan_result
    before = first.findings if first else ()
    after = again.findings if again else ()
    by_pk = {f.pk: f for f in task.findings.all()}
    rows = []
    for o in made.outcomes:
        finding = by_pk.get(o["finding"])
        evidence = before[finding.index].evidence if finding is not None and finding.index is not None else None
        rows.append({
            "status": o["status"],
            "check": o["check"],
            "subject": o["subject"],
            "before": finding if finding is not None and finding.found_by_id is None else None,
            "before_archived": evidence is not None and bool(evidence.record_id),
            "after": after[o["after"]] if o["after"] is not None else None,
            "after_index": o["after"],
        })  # fmt: skip
    context = {"recheck": made, "task": task, "rows": rows, "campaign": task.entry.campaign, "entry": task.entry}
    return render(request, "rectification/recheck.html", context)


@login_required
def recheck_archived(request: HttpRequest, pk: int, index: int) -> HttpResponseBase:
    made = _recheck(request, pk)
    result = made.scan_result
    findings = result.findings if result else ()
    if not 0 <= index < len(findings):
        raise Http404(_("No archived copy"))
    return serve_archived(request, made.warc, findings[index], reverse("rectification:recheck", args=[pk]))


# ---- self-inspection (自查) ------------------------------------------------------------------


def _round(request: HttpRequest, pk: int) -> SelfInspectionRound:
    found = visible_rounds(request.user).select_related("region", "campaign").filter(pk=pk).first()
    if found is None:
        raise Http404(_("No such self-inspection round, or you may not see it"))
    return found


@login_required
def round_list(request: HttpRequest) -> HttpResponse:
    error = ""
    regions = campaign_regions(request.user).order_by("code")
    if request.method == "POST":
        try:
            made = _create_round(request, regions)
            return redirect("rectification:round", made.pk)
        except (ValidationError, ValueError) as exc:
            error = _messages(exc) if isinstance(exc, ValidationError) else str(exc)
    context = {
        "rounds": visible_rounds(request.user).select_related("region"),
        "regions": regions,
        "campaigns": visible_campaigns(request.user).filter(kind__in=figures.SUPERVISION),
        "error": error,
    }
    return render(request, "rectification/rounds.html", context)


def _create_round(request: HttpRequest, regions: Any) -> SelfInspectionRound:
    region = regions.filter(code=request.POST.get("region", "")).first()
    if region is None:
        raise ValidationError(_("Choose a division within your jurisdiction"))
    name, period = request.POST.get("name", "").strip(), request.POST.get("period", "").strip()
    if not name or not period:
        raise ValidationError(_("Give the round's name and period"))
    try:
        deadline = date.fromisoformat(request.POST.get("deadline", ""))
        raw = request.POST.get("minimum", "").strip()
        minimum = Decimal(raw) / 100 if raw else None
    except (ValueError, InvalidOperation) as exc:
        raise ValidationError(_("The deadline is a date (YYYY-MM-DD), the minimum coverage a percentage")) from exc
    chosen = request.POST.get("campaign", "")
    campaign = visible_campaigns(request.user).filter(pk=int(chosen)).first() if chosen.isdigit() else None
    return selfinspection.create_round(name=name[:200], period=period[:20], region=region, deadline=deadline,
                                       user=request.user, minimum_coverage=minimum, campaign=campaign)  # fmt: skip


@login_required
def round_detail(
    request: HttpRequest, pk: int, errors: list[RowError] | None = None, status: int = 200
) -> HttpResponse:
    found = _round(request, pk)
    manages = can_manage_round(request.user, found)
    submissions = selfinspection.submissions(found)
    mine = [s.unit for s in submissions if can_report_for(request.user, s.unit.region, s.unit.sites)]
    names = {s.unit.key: s.unit.name for s in submissions}
    reverifications = [
        (r, selfinspection.agreement(r), names.get(r.unit_key, r.unit_key))
        for r in found.reverifications.select_related("campaign")
    ]
    context = {
        "round": found,
        "manages": manages,
        "submissions": submissions if manages else [s for s in submissions if s.unit in mine],
        "coverage": selfinspection.coverage(found) if manages else [],
        "gaps": selfinspection.gaps(found) if manages else [],
        "reverifications": reverifications if manages else [],
        "mine": mine,
        "errors": errors,
        "max_mb": settings.RECTIFICATION_ATTACHMENT_MAX_BYTES // 1024 // 1024,
    }
    return render(request, "rectification/round.html", context, status=status)


def _unit(request: HttpRequest, found: SelfInspectionRound, key: str) -> selfinspection.Unit:
    unit = selfinspection.unit_of(found, key)
    if unit is None or not can_report_for(request.user, unit.region, unit.sites):
        raise PermissionDenied(_("You do not report for this unit"))
    return unit


@login_required
@require_POST
def round_submit(request: HttpRequest, pk: int) -> HttpResponse:
    found = _round(request, pk)
    unit = _unit(request, found, request.POST.get("unit", ""))
    table, report = request.FILES.get("table"), request.FILES.get("report")
    limit = settings.RECTIFICATION_ATTACHMENT_MAX_BYTES
    if table is None or report is None:
        return round_detail(request, pk, [RowError(0, _("file"), _("Choose the results table and the report file"))],
                            400)  # fmt: skip
    if (table.size or 0) > limit or (report.size or 0) > limit:  # refused before they are read
        return round_detail(request, pk, [RowError(0, _("file"), _("A file is larger than %(mb)d MB")
                                                   % {"mb": limit // 1024 // 1024})], 400)  # fmt: skip
    try:
        selfinspection.submit(found, unit, request.user, (table.name or "table", table.read()),
                              (report.name or "report", report.read()))  # fmt: skip
    except ImportRejected as rejected:
        return round_detail(request, pk, rejected.errors, 400)
    return redirect("rectification:round", pk)


@login_required
def round_template(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    found = _round(request, pk)
    unit = _unit(request, found, key)
    response = HttpResponse(
        selfinspection.template(found, unit),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="self-inspection-{found.pk}.xlsx"'
    return response


@login_required
def round_report(request: HttpRequest, pk: int, key: str) -> FileResponse:
    found = _round(request, pk)
    report = found.reports.filter(unit_key=key).first()
    if report is None or not (can_manage_round(request.user, found) or _reports_for(request, found, key)):
        raise Http404(_("No such report"))
    return _download(report.report, report.report_name)


def _reports_for(request: HttpRequest, found: SelfInspectionRound, key: str) -> bool:
    unit = selfinspection.unit_of(found, key)
    return unit is not None and can_report_for(request.user, unit.region, unit.sites)


@login_required
@require_POST
def round_reverify(request: HttpRequest, pk: int) -> HttpResponse:
    found = _round(request, pk)
    if not can_manage_round(request.user, found):
        raise PermissionDenied(_("Only the round's supervisor re-verifies"))
    try:
        ratio = Decimal(request.POST.get("ratio") or "0.3")
        made = selfinspection.draw_reverification(found, request.POST.get("unit", ""), ratio, as_of=timezone.now(),
                                                  user=request.user)  # fmt: skip
    except ValidationError as exc:
        return round_detail(request, pk, [RowError(0, _("Unit"), _messages(exc))], 400)
    except (ValueError, InvalidOperation):
        return round_detail(request, pk, [RowError(0, _("Sampling ratio"), _("A decimal between 0 and 1"))], 400)
    return redirect("campaigns:detail", made.campaign_id)
