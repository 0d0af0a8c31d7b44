"""The uptime page's figures: per site and per region over the last week (rolling,
168 hours to now), counted from the hourly tallies of the sites a user may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import QuerySet, Sum

from govsite.platform.monitor.models import Alert, ProbeHour, Watch
from govsite.platform.monitor.window import uptime
from govsite.platform.registry.models import Site

WEEK = timedelta(days=7)


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
    sites: list[Row]
    regions: list[Row]
    alerts: list[Alert]


def week(sites: QuerySet[Site], now: datetime, alerts: int = 20) -> Uptime:
    sums = (
        ProbeHour.objects.filter(site__in=sites, hour__gte=now - WEEK, hour__lt=now)
        .values("site")
        .annotate(up=Sum("up"), down=Sum("down"), blocked=Sum("blocked"), errors=Sum("errors"))
    )
    by_site: dict[int, dict[str, Any]] = {s["site"]: s for s in sums}
    watched = sites.filter(watch__isnull=False).select_related("region", "watch").order_by("region__code", "code")
    rows = []
    regions: dict[str, list[int]] = {}
    for site in watched:
        n = by_site.get(site.pk, {})
        counts = [int(n.get(k) or 0) for k in ("up", "down", "blocked", "errors")]
        rows.append(Row(site.name, counts[0], counts[1], counts[2], counts[3], site=site, watch=site.watch))
        total = regions.setdefault(site.region.name, [0, 0, 0, 0])
        for i, c in enumerate(counts):
            total[i] += c
    region_rows = [Row(name, c[0], c[1], c[2], c[3]) for name, c in regions.items()]
    recent = list(Alert.objects.filter(site__in=sites).select_related("site")[:alerts])
    return Uptime(rows, region_rows, recent)
