"""Probing on schedule: which sites are due, one round of probes through the engine,
the tallies, the watch and its alerts. The same functions serve the embedded
scheduler thread (scheduler.py) and the Celery beat task (tasks.py)."""

from __future__ import annotations

import asyncio
import zlib
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from govsite.engine import CST, EngineConfig, Monitoring, ProbeResult, monitor_homepages
from govsite.platform.monitor import alerts, flapping
from govsite.platform.monitor.models import Alert, ProbeDay, ProbeHour, Watch
from govsite.platform.monitor.window import Tally, monitoring
from govsite.platform.registry.models import Site

COUNTERS = {"up": "up", "down": "down", "blocked": "blocked", "error": "errors"}


def interval() -> timedelta:
    return timedelta(seconds=86400 / settings.MONITOR["probes_per_day"])


def next_slot(code: str, after: datetime) -> datetime:
    """The site's next probe time after ``after``: every site has a fixed offset within
    the interval (from its code), so probes spread evenly over the hour."""
    step = interval().total_seconds()
    offset = zlib.crc32(code.encode()) % int(step)
    now = after.timestamp()
    k = (now - offset) // step + 1
    return datetime.fromtimestamp(offset + k * step, tz=after.tzinfo)


def engine_config() -> EngineConfig:
    """The campaigns' engine settings (proxy, politeness) with the monitor's timeout."""
    from govsite.platform.campaigns.executor import engine_config as campaigns_config  # (it imports this module)

    return campaigns_config(homepage_timeout=settings.MONITOR["timeout"])


def watch_new_sites(now: datetime) -> int:
    """Put every running site without a watch under watch, due at its next slot."""
    fresh = Site.objects.filter(status=Site.Status.RUNNING, watch__isnull=True)
    made = [Watch(site=s, next_probe=now) for s in fresh.only("pk", "code")]
    Watch.objects.bulk_create(made, ignore_conflicts=True)
    return len(made)


def claim_due(now: datetime, limit: int | None = None) -> list[Watch]:
    """Take the watches due at ``now`` (each moved to its next slot first, so two
    schedulers never probe one site twice in a slot)."""
    due = Watch.objects.filter(next_probe__lte=now, site__status=Site.Status.RUNNING).select_related("site")
    taken = []
    for w in due.order_by("next_probe")[:limit]:
        following = next_slot(w.site.code, now)
        if Watch.objects.filter(pk=w.pk, next_probe=w.next_probe).update(next_probe=following):
            w.next_probe = following
            taken.append(w)
    return taken


def run_due(now: datetime | None = None, limit: int | None = None) -> int:
    """One round: watch new sites, probe every due one, record the results. Returns the
    number of sites probed."""
    now = now or timezone.now()
    watch_new_sites(now)
    watches = claim_due(now, limit)
    if not watches:
        return 0
    from govsite.platform.campaigns.executor import host_limiter  # (it imports this module)

    options = settings.MONITOR
    config = engine_config()  # the process's one limiter: its probes and scans of a host keep to its limits together
    results = asyncio.run(
        monitor_homepages([w.site.url for w in watches], config, second_proxy=options["second_proxy"],
                          concurrency=options["concurrency"], limiter=host_limiter(config))
    )  # fmt: skip
    for w, result in zip(watches, results, strict=True):
        record(w, result, now)
    return len(watches)


def record(watch: Watch, result: ProbeResult, now: datetime) -> Alert | None:
    """Count ``result`` in its hour, move the watch's state and send the alert it calls for."""
    hour = now.replace(minute=0, second=0, microsecond=0)
    counter = COUNTERS[result.state.value]
    with transaction.atomic():  # the hour and its day's rollup move together
        tally, _ = ProbeHour.objects.get_or_create(site_id=watch.site_id, hour=hour)
        changes: dict[str, Any] = {counter: F(counter) + 1}
        if result.state.value != "up":
            changes["last_outcome"] = result.outcome
        ProbeHour.objects.filter(pk=tally.pk).update(**changes)
        day, _ = ProbeDay.objects.get_or_create(site_id=watch.site_id, day=hour.astimezone(CST).date())
        ProbeDay.objects.filter(pk=day.pk).update(**{counter: F(counter) + 1})
    options = settings.MONITOR
    rules = flapping.Rules(timedelta(hours=options["flap_window_hours"]), options["flap_limit"])
    before = flapping.WatchState(watch.state, watch.alerted, tuple(datetime.fromisoformat(t) for t in watch.flips),
                                 watch.quiet)  # fmt: skip
    after, alert = flapping.step(before, result.state.value, now, rules)
    if after.state != before.state:
        watch.since = now
    watch.state, watch.alerted, watch.quiet = after.state, after.alerted, after.quiet
    watch.flips = [t.isoformat() for t in after.flips]
    watch.last_probe, watch.last_result, watch.last_outcome = now, result.state.value, result.outcome
    watch.save()
    if alert is None:
        return None
    return alerts.send(watch.site, alert, now, result)


def prune(now: datetime | None = None) -> int:
    """Delete tallies older than the retention (hours, and the days that ended before
    it); returns how many hourly tallies."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.MONITOR["retention_days"])
    deleted, _ = ProbeHour.objects.filter(hour__lt=cutoff).delete()
    ProbeDay.objects.filter(day__lt=cutoff.astimezone(CST).date()).delete()
    return deleted


def tallies(site: Site, start: datetime, end: datetime) -> list[Tally]:
    rows = ProbeHour.objects.filter(site=site, hour__gte=start, hour__lt=end)
    return [Tally(r.hour, r.up, r.down, r.blocked, r.errors) for r in rows]


def week_for(site: Site, as_of: datetime, days: int) -> Monitoring | None:
    """The site's monitoring for the ``days`` days before ``as_of`` (the availability
    check's input), or None when the site was never probed in them."""
    start = as_of - timedelta(days=days + 1)
    found = tallies(site, start, as_of)
    if not found:
        return None
    week = monitoring(found, as_of, days)
    return week if week.days and any(d.probes for d in week.days) else None
