"""Homepage probes (首页探测) outside a scan.

:func:`probe_homepages`: does each homepage still answer, and where does it land? The
registry's mismatches page asks this of sites filed as closed.

:func:`monitor_homepages`: the probes of continuous monitoring (7×24 监测). Each
homepage is asked once under the 15 s rule, with the fetch policy of a scan (proxy,
address guard, user agent, redirects). A failure is asked again at once; if it persists
and a second vantage (another proxy) is configured, the second vantage asks too. The
result is one of:

- ``up``: the homepage opened (also when only the first attempt failed);
- ``down``: a confirmed failure — the only kind that counts toward the 5 % rule;
- ``blocked``: we were turned away, not the public: a WAF page, 403 or 429 (a burst
  of them is the same thing), or any failure the second vantage does not see (a
  reset that hits only the scanner);
- ``error``: our own fault (our proxy down, the address guard); never the site's.

:class:`Monitoring` is a week of such probes as plain data, the input the
availability check reads (the platform builds it; the engine never asks a database).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from govsite.engine.config import EngineConfig
from govsite.engine.fetch import Fetched, Fetcher
from govsite.engine.hostlimit import HostLimiter
from govsite.engine.outcome import Outcome
from govsite.engine.profile import homepage_timeout
from govsite.engine.transport import LiveTransport


@dataclass(frozen=True)
class HomepageProbe:
    url: str  # as asked
    ok: bool  # it answered with a page
    final_url: str  # where it landed after every redirect
    outcome: str  # an ``Outcome`` value


async def probe_homepages(urls: Sequence[str], config: EngineConfig) -> list[HomepageProbe]:
    """Probe each homepage once (several at a time, within the engine's politeness
    limits and the homepage timeout), in the order given; nothing is archived."""
    transport = LiveTransport(config, None)
    fetcher = Fetcher(transport, config)
    gate = asyncio.Semaphore(config.global_concurrency)
    timeout = homepage_timeout(config)

    async def probe(url: str) -> HomepageProbe:
        async with gate:
            fetched = await fetcher.get(url, timeout=timeout)
        return HomepageProbe(url, fetched.ok, fetched.final_url, fetched.outcome.value)

    try:
        return list(await asyncio.gather(*(probe(u) for u in urls)))
    finally:
        await transport.close()


BLOCKING_STATUSES = (403, 429)


class ProbeState(StrEnum):
    UP = "up"
    DOWN = "down"
    BLOCKED = "blocked"
    ERROR = "error"


@dataclass(frozen=True)
class Attempt:
    vantage: str  # "primary" or "second"
    outcome: str  # an Outcome value
    status: int | None
    elapsed: float  # seconds


@dataclass(frozen=True)
class ProbeResult:
    url: str
    state: ProbeState
    attempts: tuple[Attempt, ...]

    @property
    def elapsed(self) -> float:
        return self.attempts[0].elapsed

    @property
    def outcome(self) -> str:
        """The failure class that decided the state (the first attempt's when up)."""
        return self.attempts[-1].outcome if self.state is not ProbeState.UP else self.attempts[0].outcome


def classify(attempts: Sequence[Attempt]) -> ProbeState:
    """The state of one probe from its attempts, in the order they were made (see the
    module's description)."""
    first = attempts[0]
    if first.outcome == Outcome.OK:
        return ProbeState.UP
    primary = [a for a in attempts if a.vantage == "primary"]
    second = [a for a in attempts if a.vantage == "second"]
    if any(a.outcome == Outcome.OK for a in primary):
        return ProbeState.UP  # a blip the immediate re-probe did not see: not a confirmed failure
    if all(a.outcome == Outcome.SCANNER_ERROR for a in primary):
        return ProbeState.ERROR
    if second and second[-1].outcome == Outcome.OK:
        return ProbeState.BLOCKED  # only our primary vantage is refused
    if all(_blocking(a) for a in (*primary, *second) if a.outcome != Outcome.SCANNER_ERROR):
        return ProbeState.BLOCKED
    return ProbeState.DOWN


def _blocking(attempt: Attempt) -> bool:
    return attempt.outcome == Outcome.BLOCKED or attempt.status in BLOCKING_STATUSES


async def monitor_homepages(
    urls: Sequence[str],
    config: EngineConfig,
    *,
    second_proxy: str | None = None,
    concurrency: int = 32,
    limiter: HostLimiter | None = None,
) -> list[ProbeResult]:
    """Probe each homepage once (see the module's description), ``concurrency`` at a
    time; results in the order of ``urls``. Each attempt is one request under
    the one homepage timeout (``homepage_timeout``): no retries, no waiting between hosts' probes.
    Every request keeps to the per-host limits of ``limiter`` when given (the one the
    process's scans share, so a probe and a scan never together exceed a host's limits),
    else of a limiter of this round's own."""
    timeout = homepage_timeout(config)
    limiter = limiter or HostLimiter(config.per_host_concurrency, config.min_interval)
    primary = LiveTransport(config, None)
    second = LiveTransport(replace(config, proxy=second_proxy), None) if second_proxy else None
    fetchers = {"primary": Fetcher(primary, config, limiter=limiter)}
    if second is not None:
        fetchers["second"] = Fetcher(second, replace(config, proxy=second_proxy), limiter=limiter)
    gate = asyncio.Semaphore(concurrency)

    async def attempt(vantage: str, url: str) -> Attempt:
        fetched: Fetched = await fetchers[vantage].get(url, timeout=timeout, retry=False)
        return Attempt(vantage, fetched.outcome.value, fetched.status, round(fetched.elapsed, 6))

    async def one(url: str) -> ProbeResult:
        async with gate:
            attempts = [await attempt("primary", url)]
            if attempts[0].outcome != Outcome.OK:
                attempts.append(await attempt("primary", url))
                if attempts[-1].outcome != Outcome.OK and "second" in fetchers:
                    attempts.append(await attempt("second", url))
        return ProbeResult(url, classify(attempts), tuple(attempts))

    try:
        return list(await asyncio.gather(*(one(u) for u in urls)))
    finally:
        await primary.close()
        if second is not None:
            await second.close()


@dataclass(frozen=True)
class MonitorDay:
    """One China Standard Time day of probes of one homepage."""

    day: date
    probes: int  # every probe made
    down: int  # confirmed failures
    blocked: int  # we were refused; not counted
    errors: int  # our own faults; not counted

    @property
    def counted(self) -> int:
        """The probes the 5 % rule counts: those that tell whether the public could open it."""
        return self.probes - self.blocked - self.errors


@dataclass(frozen=True)
class Monitoring:
    """The monitoring of one homepage before a scan's as-of time, day by day (oldest
    first), as the availability check reads it."""

    days: tuple[MonitorDay, ...]

    @property
    def counted(self) -> int:
        return sum(d.counted for d in self.days)

    @property
    def down(self) -> int:
        return sum(d.down for d in self.days)

    @property
    def blocked(self) -> int:
        return sum(d.blocked for d in self.days)

    @property
    def failure_share(self) -> float | None:
        return self.down / self.counted if self.counted else None

    def complete(self, days: int, per_day: int) -> bool:
        """At least ``days`` days, each with ``per_day`` counted probes (the rule's frequency)."""
        full = [d for d in self.days if d.counted >= per_day]
        return len(full) >= days
