"""The probe of sites filed as closed (已关停, 申请关停, 已迁移), as background work: the
mismatches page starts it and returns at once, then shows its progress and what it found.

One probe runs per registry scope at a time. It probes the homepages a batch at a time
(``mismatches.closed_but_online``) and saves after each batch, so the page shows how far it
has got, and a probe whose process died (no batch saved for ``STALE_AFTER``) counts as
stopped and may be started again.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from django.db.models import F
from django.utils import timezone

from govsite.platform.accounts.access import registry_scope, visible_sites
from govsite.platform.campaigns.executor import engine_config, in_background
from govsite.platform.registry.mismatches import CLOSED, Mismatch, closed_but_online
from govsite.platform.registry.models import ClosedProbe, Site

#: Homepages probed between two saves of the probe's progress.
BATCH = 20
#: A running probe with no progress saved for this long was left by a process that died.
STALE_AFTER = timedelta(minutes=5)


def latest(user: Any) -> ClosedProbe | None:
    """The latest probe of ``user``'s registry scope (ask ``can_manage_registry`` first)."""
    return ClosedProbe.objects.filter(region=registry_scope(user)).first()


def is_alive(probe: ClosedProbe) -> bool:
    return probe.state == ClosedProbe.State.RUNNING and probe.updated > timezone.now() - STALE_AFTER


def start(user: Any) -> ClosedProbe:
    """Start probing the closed sites of ``user``'s scope in the background, unless a
    probe of that scope is running; returns the running probe."""
    running = latest(user)
    if running is not None and is_alive(running):
        return running
    codes = list(visible_sites(user).filter(status__in=CLOSED).order_by("code").values_list("code", flat=True))
    probe = ClosedProbe.objects.create(region=registry_scope(user), user=user, codes=codes)
    in_background(f"closed-site probe {probe.pk}", run, probe.pk)
    return probe


def run(pk: int) -> None:
    """Probe every site of probe ``pk``, saving after each batch; a probe that stops is
    kept as stopped with the reason."""
    probe = ClosedProbe.objects.get(pk=pk)
    config = engine_config(as_of=timezone.now())
    try:
        for start_at in range(0, len(probe.codes), BATCH):
            codes = probe.codes[start_at : start_at + BATCH]
            batch = list(Site.objects.filter(code__in=codes).order_by("code"))  # a site deleted since is left out
            found: list[Mismatch] = asyncio.run(closed_but_online(batch, config))
            probe.online += [[m.site, m.detail] for m in found]
            ClosedProbe.objects.filter(pk=pk).update(probed=F("probed") + len(codes), online=probe.online,
                                                     updated=timezone.now())  # fmt: skip
    except Exception as exc:
        ClosedProbe.objects.filter(pk=pk).update(state=ClosedProbe.State.FAILED, error=f"{type(exc).__name__}: {exc}",
                                                 finished=timezone.now())  # fmt: skip
        raise
    ClosedProbe.objects.filter(pk=pk).update(state=ClosedProbe.State.FINISHED, finished=timezone.now(),
                                             updated=timezone.now())  # fmt: skip


def mismatches(probe: ClosedProbe | None) -> list[Mismatch]:
    """What ``probe`` found so far."""
    return [Mismatch(code, "closed_but_online", detail) for code, detail in (probe.online if probe else [])]
