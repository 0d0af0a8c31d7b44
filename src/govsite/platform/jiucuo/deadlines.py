"""A report's deadline and lateness, in working days (``workdays.py``)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.utils import timezone

from govsite.platform.jiucuo.models import Report
from govsite.platform.jiucuo.workdays import CalendarGap, WorkCalendar, load_calendar


def due_after(start: date, step: str, calendar: WorkCalendar | None = None) -> date | None:
    """The deadline of ``step`` (a key of ``JIUCUO_DEADLINE_DAYS``) started on ``start``;
    None when no calendar covers the days on the way (the report is kept, its deadline set
    later by ``refresh_missing``, and the pages say why)."""
    try:
        return (calendar or load_calendar()).add_working_days(start, settings.JIUCUO_DEADLINE_DAYS[step])
    except CalendarGap:
        return None


def finished_on(report: Report) -> date | None:
    """The day a report stopped counting: closed (办结) or marked invalid; None while open."""
    if report.state == Report.State.CLOSED and report.closed_at is not None:
        return timezone.localdate(report.closed_at)
    return None


def days_overdue(report: Report, today: date, calendar: WorkCalendar) -> int:
    """Working days past the deadline: until it was closed, or until ``today`` while open;
    0 for a report on time, invalid, or without a deadline."""
    if report.due is None or report.state == Report.State.INVALID:
        return 0
    end = finished_on(report) or today
    if end <= report.due:
        return 0
    return max(0, calendar.working_days_between(report.due, end))


def is_overdue(report: Report, today: date, calendar: WorkCalendar) -> bool:
    return days_overdue(report, today, calendar) > 0


def refresh_missing() -> int:
    """Set the deadlines left empty for want of a calendar, now that the table has it; the
    number set. Each is counted from the report's last step that set a clock."""
    calendar, count = load_calendar(), 0
    for report in Report.objects.filter(due__isnull=True).exclude(state=Report.State.INVALID):
        step = report.steps.filter(action__in=CLOCK_STEPS).last()
        action = step.action if step else "submitted"
        start = timezone.localdate(report.received if action in ("submitted", "imported") else step.when)
        due = due_after(start, CLOCK_STEPS[action], calendar)
        if due is not None:
            Report.objects.filter(pk=report.pk).update(due=due)
            count += 1
    return count


#: The steps that start a deadline, and which ``JIUCUO_DEADLINE_DAYS`` entry each uses.
CLOCK_STEPS = {"submitted": "received", "imported": "received", "reassigned": "reassigned", "returned": "returned"}
