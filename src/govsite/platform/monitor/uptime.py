"""The uptime page's figures over the last 7 days (today so far and the 6 days before it,
China Standard Time days as in the 站点无法访问 rule) for the sites a user may see: per
region (summed in the database) and per site for one page of the site table. They are
read from the daily rollups (``ProbeDay``) alone: 7 rows a site instead of 168 hourly
tallies, and Python sees one row per region and per listed site."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Case, IntegerField, QuerySet, Sum, Value, When

from govsite.engine import CST
from govsite.platform.monitor.models import Alert, ProbeDay, Watch
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
    """The probes of ``sites`` on the 7 days to ``now``'s (CST) day, summed per ``by``
    (fields reached from a tally, e.g. ``site`` or ``site__region__code``)."""
    today = now.astimezone(CST).date()
    days = ProbeDay.objects.filter(site__in=sites, day__gt=today - WEEK, day__lte=today)
    totals: dict[tuple[Any, ...], list[int]] = {}
    for row in days.values(*by).annotate(**{f"n_{k}": Sum(k) for k in COUNTS}).order_by():
        totals[tuple(row[b] for b in by)] = [int(row[f"n_{k}"] or 0) for k in COUNTS]
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
