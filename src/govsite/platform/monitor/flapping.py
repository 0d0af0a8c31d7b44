"""Down/up alerts with flap suppression, as a pure state machine.

A site's public state follows its probes: ``up`` or ``down`` (blocked probes and our
own errors say nothing about the public and change nothing). Each change is alerted,
except the first probe's ``up``. When a site changes state ``limit`` times within
``window``, one ``flapping`` alert goes out and further changes stay quiet until the
site has held one state for ``window``; then its state is alerted if it differs from
the last one alerted.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

UNKNOWN, UP, DOWN = "unknown", "up", "down"


@dataclass(frozen=True)
class Rules:
    window: timedelta = timedelta(hours=6)
    limit: int = 4  # changes within the window that make a site flapping


@dataclass(frozen=True)
class WatchState:
    state: str = UNKNOWN
    alerted: str = UNKNOWN
    flips: tuple[datetime, ...] = ()
    quiet: bool = False


def step(watch: WatchState, result: str, now: datetime, rules: Rules) -> tuple[WatchState, str | None]:
    """The watch after one probe's ``result`` (up/down/blocked/error) at ``now``, and the
    alert to send (``down``, ``up``, ``flapping``) or None."""
    if result not in (UP, DOWN):
        return watch, None
    flips = tuple(t for t in watch.flips if now - t < rules.window)
    if result == watch.state:
        settled = watch.quiet and not flips
        if settled and result != watch.alerted:
            return replace(watch, flips=flips, quiet=False, alerted=result), result
        return replace(watch, flips=flips, quiet=watch.quiet and not settled), None
    if watch.state == UNKNOWN:
        new = replace(watch, state=result, alerted=result)
        return new, (DOWN if result == DOWN else None)
    flips = (*flips, now)
    if watch.quiet:
        return replace(watch, state=result, flips=flips), None
    if len(flips) >= rules.limit:
        return replace(watch, state=result, flips=flips, quiet=True), "flapping"
    return replace(watch, state=result, flips=flips, alerted=result), result
