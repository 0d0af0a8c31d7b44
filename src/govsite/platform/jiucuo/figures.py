"""The figures bulletins quote (seed 000: received, valid, 办结率, 按期办结率) per unit
(the site's 主办单位), region (city level) or site, over a period of receipt — and the
overdue reports the deduction ledger reads (seed 004: −5 a message).

Definitions (docs/jiucuo.md):
- received: reports received in the period (by the day, China time);
- valid: received minus those marked invalid;
- 办结率: valid reports closed (办结) ÷ valid;
- 按期办结率: reports closed on or before their deadline ÷ valid reports whose outcome
  is known (closed, or still open past the deadline) — one still open within its
  deadline counts for neither;
- overdue: valid reports closed after their deadline or open past it on ``today``; days
  overdue are working days past the deadline (until closing, or ``today``);
- no deadline: valid reports whose deadline could not be set (no calendar for the year).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

from govsite.platform.jiucuo.deadlines import days_overdue, finished_on
from govsite.platform.jiucuo.models import Report
from govsite.platform.jiucuo.workdays import WorkCalendar, load_calendar
from govsite.platform.registry.models import Region

GROUPS = ("unit", "region", "site")


@dataclass
class Tally:
    key: str
    label: str
    received: int = 0
    valid: int = 0
    closed: int = 0
    on_time: int = 0
    decided: int = 0  # closed, or open past the deadline
    overdue: int = 0
    overdue_days: int = 0
    undated: int = 0

    @property
    def closed_rate(self) -> Decimal | None:
        return _rate(self.closed, self.valid)

    @property
    def on_time_rate(self) -> Decimal | None:
        return _rate(self.on_time, self.decided)


@dataclass(frozen=True)
class OverdueReport:
    """One overdue report, as the deduction ledger reads it."""

    unit: str  # the site's 主办单位
    region_code: str
    site_code: str
    site_name: str
    number: str
    national_id: str
    received: date
    due: date
    closed: date | None  # None: still open
    days_overdue: int


def _rate(part: int, whole: int) -> Decimal | None:
    return (Decimal(100 * part) / whole).quantize(Decimal("0.1")) if whole else None


def in_period(reports: QuerySet[Report], start: date, end: date) -> QuerySet[Report]:
    """The reports received from ``start`` to ``end`` inclusive (China time)."""
    low = timezone.make_aware(datetime.combine(start, time(0)))
    high = timezone.make_aware(datetime.combine(end + timedelta(days=1), time(0)))
    return reports.filter(received__gte=low, received__lt=high).select_related("site", "site__region")


def _group(report: Report, by: str, regions: dict[str, str]) -> tuple[str, str]:
    site = report.site
    if by == "unit":
        return site.organizer, site.organizer
    if by == "region":
        code = Region.city_level(site.region.code)
        return code, regions.get(code, code)
    return site.code, site.name


def tallies(reports: QuerySet[Report], start: date, end: date, by: str = "unit",
            today: date | None = None, calendar: WorkCalendar | None = None) -> tuple[list[Tally], Tally]:  # fmt: skip
    """(one tally per group, sorted by label; the total) for the reports received in the period."""
    if by not in GROUPS:
        raise ValueError(f"by must be one of {GROUPS}")
    today, calendar = today or timezone.localdate(), calendar or load_calendar()
    regions = dict(Region.objects.values_list("code", "name"))
    groups: dict[str, Tally] = {}
    total = Tally("", "")
    for report in in_period(reports, start, end):
        key, label = _group(report, by, regions)
        for tally in (groups.setdefault(key, Tally(key, label)), total):
            _count(tally, report, today, calendar)
    return sorted(groups.values(), key=lambda t: (t.label, t.key)), total


def _count(tally: Tally, report: Report, today: date, calendar: WorkCalendar) -> None:
    tally.received += 1
    if report.state == Report.State.INVALID:
        return
    tally.valid += 1
    if report.due is None:
        tally.undated += 1
        return
    closed = finished_on(report)
    late = days_overdue(report, today, calendar)
    if closed is not None:
        tally.closed += 1
        tally.decided += 1
        tally.on_time += late == 0
    elif late:
        tally.decided += 1
    if late:
        tally.overdue += 1
        tally.overdue_days += late


def overdue_reports(reports: QuerySet[Report], start: date, end: date,
                    today: date | None = None, calendar: WorkCalendar | None = None) -> list[OverdueReport]:  # fmt: skip
    """The overdue reports received in the period, by unit then number: the ledger's input
    (pass ``Report.objects.all()`` or a region's reports)."""
    today, calendar = today or timezone.localdate(), calendar or load_calendar()
    found = []
    for r in in_period(reports, start, end).exclude(state=Report.State.INVALID).exclude(due__isnull=True):
        late = days_overdue(r, today, calendar)
        if late and r.due is not None:
            found.append(OverdueReport(r.site.organizer, r.site.region.code, r.site.code, r.site.name, r.number,
                                       r.national_id or "", timezone.localdate(r.received), r.due,
                                       finished_on(r), late))  # fmt: skip
    return sorted(found, key=lambda o: (o.unit, o.number))


def quarter_of(day: date) -> tuple[date, date]:
    first = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    last = (first + timedelta(days=95)).replace(day=1) - timedelta(days=1)
    return first, last
