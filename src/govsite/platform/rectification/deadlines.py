"""When a rectification task falls due. The one place that counts the days: today in
calendar days; the error-report issue's working-day calendar (法定工作日, with the
State Council's adjusted weekends) replaces the body of :func:`due_date` when it lands,
and nothing else changes."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings


def due_date(start: date, days: int | None = None) -> date:
    """The deadline ``days`` days after ``start`` (``RECTIFICATION_DAYS`` by default).
    Calendar days for now: see the module's note."""
    days = settings.RECTIFICATION_DAYS if days is None else days
    if days < 1:
        raise ValueError("a rectification deadline is at least one day away")
    return start + timedelta(days=days)
