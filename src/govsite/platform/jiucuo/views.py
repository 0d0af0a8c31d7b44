"""The handling pages (login): the reports a user may see, one report with its actions
and audit trail, the national platform's import and the replies' export, and the
figures. Who may do what is ``accounts.access``; the work is ``handling``, ``exchange``, ``figures``."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govsite.platform.accounts.access import (
    can_edit_calendar,
    can_exchange_reports,
    handles_report,
    reassign_targets,
    supervises_report,
    visible_reports,
)
from govsite.platform.dashboards.charts import Bar, bar_chart
from govsite.platform.jiucuo import exchange, figures, handling
from govsite.platform.jiucuo.deadlines import days_overdue
from govsite.platform.jiucuo.models import Report
from govsite.platform.jiucuo.privacy import mask_contact
from govsite.platform.jiucuo.workdays import load_calendar
from govsite.platform.registry.tabular import ImportRejected, RowError

LIST_LIMIT = 200
EXPORT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def _found(request: HttpRequest, pk: int) -> Report:
    report = visible_reports(request.user).select_related("site", "site__region").filter(pk=pk).first()
    if report is None:
        raise Http404(_("No such report, or you may not see it"))
    return report


def _filtered(request: HttpRequest) -> list[Report]:
    found = visible_reports(request.user).select_related("site")
    state = request.GET.get("state", "")
    if state in Report.State.values:
        found = found.filter(state=state)
    query = request.GET.get("q", "").strip()
    if query:
        pk = Report.pk_of(query)
        found = found.filter(pk=pk) if pk else found.filter(site__code=query) | found.filter(national_id=query)
    return list(found[:LIST_LIMIT])


@login_required
def reports(request: HttpRequest, errors: list[RowError] | None = None,
            imported: exchange.Imported | None = None, status: int = 200) -> HttpResponse:  # fmt: skip
    today, calendar = timezone.localdate(), load_calendar()
    rows = [(r, days_overdue(r, today, calendar), mask_contact(r.contact)) for r in _filtered(request)]
    if request.GET.get("overdue"):
        rows = [row for row in rows if row[1]]
    context = {"rows": rows, "states": Report.State.choices, "filters": request.GET, "limit": LIST_LIMIT,
               "can_exchange": can_exchange_reports(request.user), "can_edit_calendar": can_edit_calendar(request.user), "errors": errors, "imported": imported,
               "query": request.GET.urlencode()}  # fmt: skip
    return render(request, "jiucuo/reports.html", context, status=status)


@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _found(request, pk))


def _detail(request: HttpRequest, found: Report, error: str = "", status: int = 200) -> HttpResponse:
    unit, supervisor = handles_report(request.user, found), supervises_report(request.user, found)
    context = {
        "report": found,
        "steps": found.steps.select_related("user", "site"),
        "late": days_overdue(found, timezone.localdate(), load_calendar()),
        "unit": unit,
        "supervisor": supervisor,
        "targets": reassign_targets(request.user).exclude(pk=found.site_id).order_by("code") if supervisor else [],
        "has_screenshot": hasattr(found, "screenshot"),
        "error": error,
    }
    return render(request, "jiucuo/report.html", context, status=status)


@login_required
@require_POST
def act(request: HttpRequest, pk: int) -> HttpResponse:
    found = _found(request, pk)
    action = request.POST.get("action", "")
    if action not in handling.ACTIONS:
        return HttpResponse(_("Unknown action."), status=400)
    allowed = handles_report if handling.ACTIONS[action][1] == "unit" else supervises_report
    if not allowed(request.user, found):
        raise PermissionDenied(_("You may not do this to this report."))
    target = None
    if action == "reassign":
        target = reassign_targets(request.user).filter(code=request.POST.get("site", "")).first()
    try:
        handling.act(found, action, request.user, text=request.POST.get("text", ""), site=target)
    except handling.ActionRefused as exc:
        return _detail(request, found, str(exc), 400)
    return redirect("jiucuo:detail", pk=found.pk)


@login_required
def screenshot(request: HttpRequest, pk: int) -> HttpResponse:
    found = _found(request, pk)
    if not hasattr(found, "screenshot"):
        raise Http404(_("This report has no screenshot"))
    response = HttpResponse(bytes(found.screenshot.data), content_type="image/png")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
@require_POST
def import_file(request: HttpRequest) -> HttpResponse:
    if not can_exchange_reports(request.user):
        raise PermissionDenied(_("You may not import reports."))
    upload = request.FILES.get("file")
    if upload is None:
        return reports(request, [RowError(0, "", _("Choose a .csv or .xlsx file."))], status=400)
    if upload.size is not None and upload.size > exchange.MAX_BYTES:
        return reports(request, [RowError(0, "", _("The file is too large."))], status=400)
    try:
        records = exchange.read_file(upload.name or "", upload.read(exchange.MAX_BYTES + 1))
        done = exchange.ingest(records, reassign_targets(request.user), first_row=2)
    except ImportRejected as exc:
        return reports(request, exc.errors, status=400)
    return reports(request, imported=done)


@login_required
def export(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in EXPORT_TYPES:
        raise Http404(_("Unknown file type"))
    if not can_exchange_reports(request.user):
        raise PermissionDenied(_("You may not export reports."))
    chosen = visible_reports(request.user).select_related("site").order_by("pk")
    response = HttpResponse(exchange.export_bytes(chosen.iterator(), kind), content_type=EXPORT_TYPES[kind])
    response["Content-Disposition"] = f'attachment; filename="jiucuo-replies-{timezone.localdate():%Y%m%d}.{kind}"'
    return response


def period(request: HttpRequest) -> tuple[date, date]:
    """``?start=&end=`` (ISO dates), by default the current quarter."""
    start, end = figures.quarter_of(timezone.localdate())
    try:
        start = date.fromisoformat(request.GET["start"]) if request.GET.get("start") else start
        end = date.fromisoformat(request.GET["end"]) if request.GET.get("end") else end
    except ValueError:
        raise Http404(_("Dates are YYYY-MM-DD")) from None
    return start, end


@login_required
def figures_page(request: HttpRequest) -> HttpResponse:
    start, end = period(request)
    by = request.GET.get("by", "unit") if request.GET.get("by") in figures.GROUPS else "unit"
    rows, total = figures.tallies(visible_reports(request.user), start, end, by)
    chart = bar_chart(
        [Bar(t.label, float(t.on_time_rate or 0), f"{t.on_time_rate}%" if t.on_time_rate is not None else "—",
             "passed" if t.on_time_rate == 100 else "failed" if t.overdue else "primary") for t in rows],
        title=_("On-time closing rate"), maximum=100,
    )  # fmt: skip
    context = {"dash_page": "jiucuo", "rows": rows, "total": total, "start": start, "end": end, "by": by, "chart": chart,
               "groups": [("unit", _("by unit")), ("region", _("by region")), ("site", _("by site"))],
               "deadline_days": settings.JIUCUO_DEADLINE_DAYS["received"]}  # fmt: skip
    return render(request, "jiucuo/figures.html", context)
