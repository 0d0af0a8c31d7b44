"""The uptime page's figures over the last week (rolling, 168 hours to now) for the
sites a user may see: per region (summed in the database) and per site for one page of
the site table. The week is read from the daily rollups (``ProbeDay``) of its whole UTC
days plus the hourly tallies of the part-days at either end, so the database reads about
30 rows a site (6 days and 24 hours) instead of 168, and Python sees one row per region
and per listed site, never an hour."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Case, IntegerField, QuerySet, Sum, Value, When

from govsite.platform.monitor.models import Alert, ProbeDay, ProbeHour, Watch
from govsite.platform.monitor.window import uptime
from govsite.platform.registry.models import Site

WEEK = timedelta(days=7)
SITES_PER_PAGE = 100
COUNTS = ("up", "down", "blocked", "errors")


@dataclass(frozen=True)
class Row:
    label: str
    up: int
    down: int
    blocked: int
    errors: int
    site: Site | None = None
    watch: Watch | None = None

    @property
    def uptime(self) -> float | None:
        return uptime(self.up, self.down)

    @property
    def failure_share(self) -> float | None:
        counted = self.up + self.down
        return self.down / counted if counted else None

    @property
    def probes(self) -> int:
        return self.up + self.down + self.blocked + self.errors


@dataclass(frozen=True)
class Uptime:
    sites: list[Row]  # the listed page of sites, those down first
    page: Page[Site]
    regions: list[Row]
    alerts: list[Alert]


def week_sums(sites: QuerySet[Site], now: datetime, *by: str) -> dict[tuple[Any, ...], list[int]]:
    """The probes of ``sites`` in the 168 hours before ``now``, summed per ``by`` (fields
    reached from a tally, e.g. ``site`` or ``site__region__code``): the whole UTC days
    between from their rollups, the part-days at either end from their hours."""
    start = now - WEEK
    first = start.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    if first < start:
        first += timedelta(days=1)  # the first whole day
    last = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)  # today, a part-day
    hours = ProbeHour.objects.filter(site__in=sites)
    parts = (
        hours.filter(hour__gte=start, hour__lt=first),
        ProbeDay.objects.filter(site__in=sites, day__gte=first.date(), day__lt=last.date()),
        hours.filter(hour__gte=last, hour__lt=now),
    )
    totals: dict[tuple[Any, ...], list[int]] = {}
    for part in parts:
        for row in part.values(*by).annotate(**{f"n_{k}": Sum(k) for k in COUNTS}).order_by():
            total = totals.setdefault(tuple(row[b] for b in by), [0, 0, 0, 0])
            for i, k in enumerate(COUNTS):
                total[i] += int(row[f"n_{k}"] or 0)
    return totals


def week(sites: QuerySet[Site], now: datetime, page: int | str | None = 1, alerts: int = 20) -> Uptime:
    """The week's uptime per region and, for page ``page`` of the watched sites (those
    down first, then by region and code), per site."""
    watched = sites.filter(watch__isnull=False)
    by_region = week_sums(watched, now, "site__region__code", "site__region__name")
    regions = [Row(name, c[0], c[1], c[2], c[3]) for (_, name), c in sorted(by_region.items())]
    down_first = Case(When(watch__state=Watch.State.DOWN, then=Value(0)), default=Value(1), output_field=IntegerField())
    listed = Paginator(
        watched.select_related("region", "watch").order_by(down_first, "region__code", "code"), SITES_PER_PAGE
    ).get_page(page)
    by_site = week_sums(Site.objects.filter(pk__in=[s.pk for s in listed]), now, "site")
    rows = []
    for s in listed:
        c = by_site.get((s.pk,), [0, 0, 0, 0])
        rows.append(Row(s.name, c[0], c[1], c[2], c[3], site=s, watch=s.watch))
    recent = list(Alert.objects.filter(site__in=sites).select_related("site")[:alerts])
    return Uptime(rows, listed, regions, recent)
