"""站点无法访问: the homepage must open within 15 s (a probe), and fail fewer than 5 %
of at least 20 probes a day over a week. A week of monitoring (``ctx.monitoring``,
the platform's 7×24 probes) that meets the rule's frequency decides the indicator:
its confirmed failures at or above the profile's share are a veto, below it a pass.
Without such a week, one scan's few probes decide nothing: a failure of them is a
finding which the profile turns, by default, into 待核查."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from govsite.engine.checks.base import CheckContext, Finding, Undecided, evidence
from govsite.engine.outcome import Outcome
from govsite.engine.snapshot import Snapshot

if TYPE_CHECKING:  # the probe module reads the profile, which imports the check registry
    from govsite.engine.probe import Monitoring


def check(snapshot: Snapshot, ctx: CheckContext) -> list[Finding]:
    week = ctx.monitoring
    profile = ctx.profile
    if week is not None and week.complete(profile.monitor_days, profile.probes_per_day):
        return _from_week(snapshot, ctx, week)
    found = _from_scan(snapshot, ctx)
    if week is None or not week.counted:
        return found
    data = {"monitoring": monitoring_data(week)}
    if found:
        return [replace(found[0], data={**found[0].data, **data})]
    share = week.failure_share or 0.0
    if share < profile.failure_ratio:
        return []
    return [
        Finding(
            check="availability.homepage_down",
            subject=snapshot.url,
            url=snapshot.url,
            severity="suspected",
            message=f"监测不足 {profile.monitor_days} 天（每天 {profile.probes_per_day} 次）：已有 {week.counted} "
            f"次探测中 {week.down} 次确认失败（{share:.1%}）",
            data={"failure": "monitoring", "failures": week.down, "probes": week.counted, **data},
            evidence=evidence(snapshot, snapshot.homepage, ""),
        )
    ]


def monitoring_data(week: Monitoring) -> dict[str, object]:
    """The week's probes as a finding's evidence: totals and one row per day."""
    return {
        "probes": week.counted,
        "down": week.down,
        "blocked": week.blocked,
        "share": round(week.failure_share or 0.0, 4),
        "days": [
            {"day": d.day.isoformat(), "probes": d.probes, "down": d.down, "blocked": d.blocked, "errors": d.errors}
            for d in week.days
        ],
    }


def _from_week(snapshot: Snapshot, ctx: CheckContext, week: Monitoring) -> list[Finding]:
    share = week.failure_share or 0.0
    if share < ctx.profile.failure_ratio:
        return []
    return [
        Finding(
            check="availability.homepage_down",
            subject=snapshot.url,
            url=snapshot.url,
            severity="serious",
            message=f"连续监测 {len(week.days)} 天，首页 {week.counted} 次探测中 {week.down} 次未能在 "
            f"{ctx.profile.probe_timeout:g} 秒内打开（{share:.1%}，达到 {ctx.profile.failure_ratio:.0%}）",
            data={
                "failure": "monitoring",
                "failures": week.down,
                "probes": week.counted,
                "monitored": True,
                "monitoring": monitoring_data(week),
            },
            evidence=evidence(snapshot, snapshot.homepage, ""),
        )
    ]


def _from_scan(snapshot: Snapshot, ctx: CheckContext) -> list[Finding]:
    probes = [snapshot.homepage.outcome, *(p.outcome for p in snapshot.probes)]
    ours = [p for p in probes if p == Outcome.SCANNER_ERROR.value]
    failed = [p for p in probes if p not in (Outcome.OK.value, Outcome.SCANNER_ERROR.value)]
    if len(ours) == len(probes):
        raise Undecided(f"扫描方自身故障，首页探测未能进行：{snapshot.homepage.error or ''}")
    if not failed:
        return []
    counted = len(probes) - len(ours)
    every = len(failed) == counted
    main = failed[0]
    message = (
        f"首页 {len(failed)}/{counted} 次探测未能在 {ctx.homepage_seconds:g} 秒内打开（{main}）"
        if every
        else f"首页间歇性无法访问：{len(failed)}/{counted} 次探测失败（{main}）"
    )
    return [
        Finding(
            check="availability.homepage_down",
            subject=snapshot.url,
            url=snapshot.url,
            severity="serious" if every else "suspected",
            message=message,
            data={"failure": main, "failures": len(failed), "probes": counted, "outcomes": probes},
            evidence=evidence(snapshot, snapshot.homepage, snapshot.homepage.error or ""),
        )
    ]
