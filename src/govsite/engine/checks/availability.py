"""站点无法访问: the homepage must open within 15 s (a probe), and fail fewer than 5 %
of at least 20 probes a day over a week. One scan makes a few probes; a failure of
them is a finding, which the profile turns into a veto or, by default, 待核查."""

from __future__ import annotations

from govsite.engine.checks.base import CheckContext, Finding, Undecided, evidence
from govsite.engine.outcome import Outcome
from govsite.engine.snapshot import Snapshot


def check(snapshot: Snapshot, ctx: CheckContext) -> list[Finding]:
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
