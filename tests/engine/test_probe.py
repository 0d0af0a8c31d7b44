"""The monitor's homepage probes (engine side): down versus blocked, the immediate
re-probe and the second vantage, over real HTTP against the fleet; and the week of
monitoring deciding 站点无法访问 through the availability check and the score."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import date, timedelta

import pytest

from govsite.engine import EngineConfig, MonitorDay, Monitoring, ProbeState, monitor_homepages
from govsite.engine.checks import availability
from govsite.engine.checks.base import CheckContext
from govsite.engine.probe import Attempt, classify
from govsite.engine.profile import load
from govsite.engine.scan import run_checks
from govsite.engine.score import score
from govsite.engine.snapshot import Probe
from govsite.samples.generate import build_world
from govsite.samples.server import FleetOptions, FleetServer
from govsite.samples.world import World

from .snapshots import snapshot

PROFILE = load("inspection-2019")


def a(outcome: str, status: int | None = None, vantage: str = "primary") -> Attempt:
    return Attempt(vantage, outcome, status, 0.1)


@pytest.mark.parametrize(
    ("attempts", "state"),
    [
        ([a("ok", 200)], "up"),
        ([a("http_5xx", 503), a("ok", 200)], "up"),  # a blip the re-probe does not see
        ([a("connect"), a("connect")], "down"),
        ([a("timeout"), a("timeout"), a("timeout", vantage="second")], "down"),
        ([a("connect"), a("connect"), a("ok", 200, "second")], "blocked"),  # a reset only we see
        ([a("blocked", 403), a("blocked", 403)], "blocked"),  # a WAF page
        ([a("http_4xx", 429), a("http_4xx", 429)], "blocked"),
        ([a("http_4xx", 429), a("http_4xx", 429), a("http_4xx", 429, "second")], "blocked"),
        ([a("http_4xx", 429), a("connect")], "down"),  # refused, then not answering at all
        ([a("scanner_error"), a("scanner_error")], "error"),  # our proxy, never the site
    ],
)
def test_down_versus_blocked(attempts: list[Attempt], state: str) -> None:
    assert classify(attempts) == state


def week(down_per_day: list[int], probes: int = 24, blocked: int = 0) -> Monitoring:
    start = date(2026, 11, 16)
    return Monitoring(
        tuple(MonitorDay(start + timedelta(days=i), probes, d, blocked, 0) for i, d in enumerate(down_per_day))
    )


FAIL, PASS, REVIEW = "fail", "pass", "undecided"  # the 站点无法访问 indicator's status


def verdict_with(monitoring: Monitoring | None, probes: tuple[Probe, ...] = ()) -> tuple[str, list]:  # type: ignore[type-arg]
    snap = snapshot(probes=probes)
    ctx = CheckContext(PROFILE, "portal", "3700000046", {}, monitoring)
    found = availability.check(snap, ctx)
    findings, runs = run_checks(snap, ctx)
    [veto] = [i for i in score(PROFILE, findings, runs).indicators if i.id == "site_unreachable"]
    return veto.status, found


def test_the_five_percent_rule_is_inclusive_and_counts_only_confirmed_failures() -> None:
    # 7 days × 24 = 168 probes; 5 % of 168 = 8.4: 9 failures veto, 8 do not
    assert week([2, 1, 1, 1, 1, 1, 1]).failure_share == pytest.approx(8 / 168)
    assert verdict_with(week([2, 1, 1, 1, 1, 1, 1]))[0] != FAIL
    vetoed, [finding] = verdict_with(week([3, 1, 1, 1, 1, 1, 1]))
    assert vetoed == FAIL and finding.severity == "serious" and finding.data["monitored"] is True
    assert finding.data["monitoring"]["down"] == 9 and len(finding.data["monitoring"]["days"]) == 7
    # exactly 5 %: 20 probes a day, 7 failures of 140
    assert verdict_with(week([1, 1, 1, 1, 1, 1, 1], probes=20))[0] == FAIL
    # blocked probes are not counted: 24 a day of which 4 blocked leaves 20 counted
    share = week([1] * 7, blocked=4).failure_share
    assert share == pytest.approx(7 / 140)


def test_a_clean_week_overrules_one_scans_failed_probes() -> None:
    failed = (Probe("timeout", None, 15.0),)
    assert verdict_with(None, failed)[0] == REVIEW  # one scan decides nothing
    verdict, found = verdict_with(week([0] * 7), failed)
    assert found == [] and verdict == PASS


def test_a_short_or_thin_week_decides_nothing() -> None:
    short = week([24] * 6)  # six days, all down
    verdict, [finding] = verdict_with(short)
    assert finding.severity == "suspected" and verdict == REVIEW and "监测不足" in finding.message
    thin = week([10] * 7, probes=19)  # fewer than 20 probes a day
    assert not thin.complete(PROFILE.monitor_days, PROFILE.probes_per_day)
    assert verdict_with(thin)[0] == REVIEW
    assert verdict_with(week([0] * 3))[0] == PASS  # a short clean record adds nothing


@pytest.fixture(scope="module")
def vantages(sample_world: World) -> object:
    second = FleetServer(build_world(1, sample_world.as_of), 0, FleetOptions()).start_in_thread()
    try:
        yield second
    finally:
        second.stop_thread()


def host(world: World, availability_plan: str) -> str:
    return next(s.host for s in world.sites.values() if s.availability == availability_plan)


def test_probes_against_the_fleet(sample_world: World, sample_fleet: FleetServer, vantages: FleetServer) -> None:
    config = EngineConfig(proxy=sample_fleet.proxy, allow_private=True, homepage_timeout=3)
    up, down = host(sample_world, "ok"), host(sample_world, "down")
    waf = next(s.host for s in sample_world.sites.values() if s.availability == "ok" and s.host != up)
    cut = [s.host for s in sample_world.sites.values() if s.availability == "ok"][2]
    sample_fleet.fleet.set_trouble(waf, "blocked")
    sample_fleet.fleet.set_trouble(cut, "down")
    try:
        urls = [f"http://{h}/" for h in (up, down, waf, cut)]
        alone = asyncio.run(monitor_homepages(urls, config))
        both = asyncio.run(monitor_homepages(urls, config, second_proxy=vantages.proxy))
    finally:
        sample_fleet.fleet.set_trouble(waf, None)
        sample_fleet.fleet.set_trouble(cut, None)
    assert [r.state for r in alone] == [ProbeState.UP, ProbeState.DOWN, ProbeState.BLOCKED, ProbeState.DOWN]
    assert [len(r.attempts) for r in alone] == [1, 2, 2, 2]
    # the second vantage still reaches the host only our first vantage cannot: blocked, not down
    assert [r.state for r in both] == [ProbeState.UP, ProbeState.DOWN, ProbeState.BLOCKED, ProbeState.BLOCKED]
    assert both[1].attempts[-1].vantage == "second" and both[1].outcome == "connect"
    ours = asyncio.run(monitor_homepages(urls[:1], replace(config, proxy="http://127.0.0.1:9")))
    assert ours[0].state == ProbeState.ERROR
