"""When a rectification task falls due: in working days (工作日) on the State Council's
holiday calendar, adjusted working weekends included — the error-report app's calendar
(``jiucuo.workdays``, docs/jiucuo.md). The one place that counts a task's days."""

from __future__ import annotations

from datetime import date

from django.conf import settings

from govsite.platform.jiucuo.workdays import add_working_days


def due_date(start: date, days: int | None = None) -> date:
    """The ``days``-th working day after ``start`` (``RECTIFICATION_DAYS`` by default).
    ``ValueError`` for fewer than one day; ``workdays.CalendarGap`` (a ``ValueError``) when no
    holiday calendar covers the way — the deadline is not guessed."""
    days = settings.RECTIFICATION_DAYS if days is None else days
    if days < 1:
        raise ValueError("a rectification deadline is at least one day away")
    return add_working_days(start, days)
