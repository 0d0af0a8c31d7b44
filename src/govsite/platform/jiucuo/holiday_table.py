"""Editing the holiday table (``CalendarDay``, ``CalendarYear``) that extends and corrects
chinese-calendar (``workdays.py``): each change checked, written with its audit entry
(``CalendarChange``) in one transaction, and the deadlines that waited for a calendar set
at once. The page (``views.calendar_page``) and ``govsite manage jiucuo_calendar load`` both
write through here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govsite.platform.jiucuo.deadlines import refresh_missing
from govsite.platform.jiucuo.models import CalendarChange, CalendarDay, CalendarYear
from govsite.platform.jiucuo.workdays import forget_calendar, package_says, package_years

#: 休 (a day off) and 班 (a working day), the words of the State Council's notices.
KINDS = {"休": False, "班": True}
#: Years the table accepts: from the first the package knows to a few ahead (a notice comes a year before).
YEARS_AHEAD = 3


class Refused(ValueError):
    """The change was not made; the message says why."""


def parse_day(text: str) -> date:
    """A date typed as YYYY-MM-DD within the years the table accepts, else ``Refused``."""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise Refused(_("Enter the date as YYYY-MM-DD, e.g. 2027-02-06.")) from None
    first, last = package_years()[0], timezone.localdate().year + YEARS_AHEAD
    if not first <= day.year <= last:
        raise Refused(_("Dates from %(first)s to %(last)s only.") % {"first": first, "last": last})
    return day


def _word(working: bool) -> str:
    return "班" if working else "休"


def set_day(day: date, working: bool, name: str, user: Any, source: str = "") -> CalendarDay:
    """Enter ``day`` as a working day or a day off (replacing what the table said of it)."""
    name = name.strip()[:50]
    with transaction.atomic():
        before = CalendarDay.objects.filter(day=day).first()
        entry, _created = CalendarDay.objects.update_or_create(day=day, defaults={"working": working, "name": name})
        was = f"（原为{_word(before.working)}）" if before is not None and before.working != working else ""
        _audit("set_day", user, f"{day.isoformat()} {_word(working)} {name}{was}".strip(), source)
    _changed()
    return entry


def remove_day(day: date, user: Any, source: str = "") -> None:
    with transaction.atomic():
        entry = CalendarDay.objects.filter(day=day).first()
        if entry is None:
            raise Refused(_("The table has no entry for %(day)s.") % {"day": day.isoformat()})
        entry.delete()
        _audit("remove_day", user, f"{day.isoformat()} {_word(entry.working)} {entry.name}", source)
    _changed()


def declare_year(year: int, user: Any, source: str) -> None:
    """Declare ``year``'s arrangement entered: its days not in the table follow the weekend
    rule. Refused for a year the package covers (the declaration would change nothing),
    without a source, or before any holiday of that year is in the table."""
    first, last = package_years()
    if first <= year <= last:
        raise Refused(
            _("chinese-calendar already covers %(year)s: enter only the days where it is wrong.") % {"year": year}
        )
    if not timezone.localdate().year - 1 <= year <= timezone.localdate().year + YEARS_AHEAD:
        raise Refused(_("Declare only a year from last year to %(years)s years ahead.") % {"years": YEARS_AHEAD})
    if not source.strip():
        raise Refused(_("Name the notice the year's arrangement comes from (e.g. 国办发明电〔2026〕N号)."))
    if not CalendarDay.objects.filter(day__year=year, working=False).exists():
        raise Refused(
            _(
                "Enter %(year)s's holidays first: declared without them, the Spring Festival would count as working days."
            )
            % {"year": year}
        )
    with transaction.atomic():
        CalendarYear.objects.update_or_create(year=year, defaults={"source": source.strip()[:200]})
        _audit("declare_year", user, str(year), source.strip())
    _changed()


def remove_year(year: int, user: Any) -> None:
    with transaction.atomic():
        deleted, _rows = CalendarYear.objects.filter(year=year).delete()
        if not deleted:
            raise Refused(_("%(year)s is not declared complete.") % {"year": year})
        _audit("remove_year", user, str(year), "")
    _changed()


def load(days: list[tuple[date, bool, str]], user: Any, source: str, file_name: str) -> tuple[list[int], int]:
    """Replace the table's entries for every year ``days`` names and declare those years
    complete (``govsite manage jiucuo_calendar load``); (years, deadlines set)."""
    years = sorted({d.year for d, _w, _n in days})
    with transaction.atomic():
        for year in years:
            CalendarDay.objects.filter(day__year=year).delete()
            CalendarYear.objects.update_or_create(year=year, defaults={"source": source})
        CalendarDay.objects.bulk_create(CalendarDay(day=d, working=w, name=n) for d, w, n in days)
        detail = f"{file_name}: {len(days)} 天，{'、'.join(map(str, years))} 年"
        _audit("load", user, detail[:300], source)
    return years, _changed()


def _audit(action: str, user: Any, detail: str, source: str) -> None:
    """Record the change (``action``: a value of ``CalendarChange.Action``)."""
    assert action in CalendarChange.Action.values
    CalendarChange.objects.create(
        action=action, user=user if getattr(user, "is_authenticated", False) else None, detail=detail[:300],
        source=source[:200],
    )  # fmt: skip


def _changed() -> int:
    """After a change: the next read takes the table afresh (in this process at once, in
    other serving processes within ``workdays.CACHE_SECONDS``), and deadlines that waited
    for a calendar are set; the number set."""
    forget_calendar()  # bulk_create and queryset deletes send no signal
    return refresh_missing()


@dataclass(frozen=True)
class Entry:
    """A day of the table and what it does to the package's answer."""

    day: CalendarDay
    effect: str  # "extends" (a year the package does not cover), "overrides" (it says otherwise), "agrees"


@dataclass(frozen=True)
class YearState:
    year: int
    covered: bool  # by chinese-calendar
    declared: CalendarYear | None
    entries: list[Entry]

    @property
    def usable(self) -> bool:
        """Deadlines can be counted through this year."""
        return self.covered or self.declared is not None


def overview(today: date) -> list[YearState]:
    """Every year the table mentions, with last year to next year always shown, newest first."""
    first, last = package_years()
    days = list(CalendarDay.objects.all())
    declared = {y.year: y for y in CalendarYear.objects.all()}
    years = {d.day.year for d in days} | set(declared) | {today.year - 1, today.year, today.year + 1}
    states = []
    for year in sorted(years, reverse=True):
        entries = []
        for entry in (d for d in days if d.day.year == year):
            by_package = package_says(entry.day)
            effect = "extends" if by_package is None else "agrees" if by_package == entry.working else "overrides"
            entries.append(Entry(entry, effect))
        states.append(YearState(year, first <= year <= last, declared.get(year), entries))
    return states


def first_gap(today: date, states: list[YearState]) -> date | None:
    """The first day from today, this year or next, that no calendar covers: a deadline
    reaching it cannot be counted (the report waits without one). None when both are covered."""
    usable = {s.year for s in states if s.usable}
    year = next((y for y in (today.year, today.year + 1) if y not in usable), None)
    return None if year is None else max(today, date(year, 1, 1))
