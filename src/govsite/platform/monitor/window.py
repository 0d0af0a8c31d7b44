"""The monitoring arithmetic, plain functions over hourly tallies: the days of a week
(China Standard Time), the failure share of the 5 % rule, uptime."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from govsite.engine import CST, MonitorDay, Monitoring


@dataclass(frozen=True)
class Tally:
    """Probes of one hour (``hour``: its start, timezone-aware)."""

    hour: datetime
    up: int = 0
    down: int = 0
    blocked: int = 0
    errors: int = 0


def week_before(as_of: datetime, days: int) -> tuple[datetime, datetime]:
    """The ``days`` whole China Standard Time days before ``as_of``'s day: [start, end)."""
    end = datetime.combine(as_of.astimezone(CST).date(), time(), CST)
    return end - timedelta(days=days), end


def monitoring(tallies: Iterable[Tally], as_of: datetime, days: int) -> Monitoring:
    """The week the availability check reads: one :class:`MonitorDay` per day of
    :func:`week_before`, days without a probe included (with zero probes)."""
    start, end = week_before(as_of, days)
    per_day: dict[date, list[int]] = {(start + timedelta(days=i)).date(): [0, 0, 0, 0] for i in range(days)}
    for t in tallies:
        if not start <= t.hour < end:
            continue
        row = per_day[t.hour.astimezone(CST).date()]
        row[0] += t.up + t.down + t.blocked + t.errors
        row[1] += t.down
        row[2] += t.blocked
        row[3] += t.errors
    return Monitoring(tuple(MonitorDay(day, *row) for day, row in sorted(per_day.items())))


def uptime(up: int, down: int) -> float | None:
    """Share of counted probes (blocked and our errors left out) that opened the homepage."""
    return up / (up + down) if up + down else None


def vetoed(week: Monitoring, days: int, per_day: int, ratio: float) -> bool | None:
    """The 5 % rule: True or False once the week meets the rule's frequency, else None."""
    if not week.complete(days, per_day):
        return None
    return (week.failure_share or 0.0) >= ratio
