"""Accuracy of the checks on the sample fleet: per check id, precision and recall of
the findings against the manifest, and how often the verdict agrees with the verdict
the manifest's defects deserve under the same profile.

A site where a check could not decide (its homepage never opened) is counted apart,
as undecided, not as a miss: the scan said so instead of passing it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from typing import Any

from govsite.engine import CHECK_IDS, EngineConfig, Finding, Profile, ScanResult, load_profile, rescore, scan
from govsite.engine.checks.links import CONFIRMED
from govsite.samples.manifest import manifest
from govsite.samples.server import FleetOptions, FleetServer
from govsite.samples.world import World

#: The severity each check gives its findings, to score the manifest's defects alike.
SERIOUS = {
    "update.homepage_stale",
    "wording.serious_error",
    "content.forged_date",
    "interaction.channel_missing",
    "interaction.unanswered",
    "service.missing",
}


@dataclass
class CheckScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    undecided: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@dataclass
class Evaluation:
    checks: dict[str, CheckScore]
    verdicts: list[tuple[str, str, str]]  # (host, expected, got)

    @property
    def agreement(self) -> float:
        return sum(e == g for _, e, g in self.verdicts) / len(self.verdicts)


def expected_findings(entries: list[dict[str, Any]]) -> list[Finding]:
    """The manifest's defects as findings, with the severity the checks would give."""
    out = []
    for entry in entries:
        check, data = entry["check"], entry["data"]
        if check == "links.broken":
            severity = "normal" if data.get("status") in CONFIRMED else "suspected"
        elif check == "availability.homepage_down":
            severity = "suspected" if data.get("failure") == "intermittent" else "serious"
        else:
            severity = "serious" if check in SERIOUS else "normal"
        out.append(Finding(check, entry["subject"], entry["url"], severity, "", dict(data)))
    return out


def evaluate_results(truth: dict[str, Any], results: dict[str, ScanResult], profile: Profile) -> Evaluation:
    by_site: dict[str, list[dict[str, Any]]] = {host: [] for host in results}
    for check, entries in truth["defects"].items():
        for entry in entries:
            by_site[entry["site"]].append({**entry, "check": check})
    scores = {check: CheckScore() for check in CHECK_IDS}
    verdicts = []
    for host, result in results.items():
        open_ids = {i for run in result.checks if run.open for i in run.ids}
        found = {(f.check, f.subject) for f in result.findings}
        wanted = {(e["check"], e["subject"]) for e in by_site[host]}
        for check in CHECK_IDS:
            got = {s for c, s in found if c == check}
            want = {s for c, s in wanted if c == check}
            s = scores[check]
            if check in open_ids:
                s.undecided += len(want)
                continue
            s.tp += len(got & want)
            s.fp += len(got - want)
            s.fn += len(want - got)
            s.misses += [f"FP {u}" for u in sorted(got - want)] + [f"FN {u}" for u in sorted(want - got)]
        # the verdict a reviewer reaches who dismisses every machine finding and adds the
        # manifest's defects; what the scan could not decide stays undecided, as a person
        # would have to look at the same things
        dismissed = dict.fromkeys(range(len(result.findings)), "dismissed")
        expected = rescore(result, dismissed, expected_findings(by_site[host]), (), profile).verdict
        verdicts.append((host, expected, result.verdict))
    return Evaluation(scores, verdicts)


async def scan_fleet(
    world: World, config: EngineConfig, profile: Profile, progress: Callable[[str], None] | None = None
) -> dict[str, ScanResult]:
    gate = asyncio.Semaphore(8)

    async def one(host: str) -> tuple[str, ScanResult]:
        site = world.sites[host]
        async with gate:
            result = await scan(site.url, config, kind=site.kind, site_code=site.code, profile=profile)
        if progress:
            progress(f"{host}: {result.verdict}")
        return host, result

    return dict(await asyncio.gather(*(one(h) for h in world.sites)))


def run(
    world: World,
    profile_name: str = "inspection-2019",
    homepage_timeout: float = 15.0,
    slow_seconds: float = 20.0,
    progress: Callable[[str], None] | None = None,
) -> Evaluation:
    """Serve ``world``, scan every site through it, and score the scans."""
    profile = load_profile(profile_name)
    as_of = world.as_of
    config = EngineConfig(
        as_of=datetime(as_of.year, as_of.month, as_of.day, 10, tzinfo=timezone(timedelta(hours=8))),
        min_interval=0,
        per_host_concurrency=8,
        retries=(0.05,),
        homepage_timeout=homepage_timeout,
        probe_interval=0.2,
    )
    server = FleetServer(world, 0, FleetOptions(slow_seconds=slow_seconds)).start_in_thread()
    try:
        results = asyncio.run(
            scan_fleet(world, replace(config, proxy=server.proxy, proxy_resolves_safely=True), profile, progress)
        )
    finally:
        server.stop_thread()
    return evaluate_results(manifest(world), results, profile)


def table(evaluation: Evaluation) -> str:
    lines = [f"{'check':<38} {'TP':>4} {'FP':>4} {'FN':>4} {'undecided':>9} {'precision':>9} {'recall':>7}"]
    for check, s in evaluation.checks.items():
        lines.append(f"{check:<38} {s.tp:>4} {s.fp:>4} {s.fn:>4} {s.undecided:>9} {s.precision:>9.1%} {s.recall:>7.1%}")
    total = CheckScore(
        *(sum(getattr(s, k) for s in evaluation.checks.values()) for k in ("tp", "fp", "fn", "undecided"))
    )
    lines.append(
        f"{'all':<38} {total.tp:>4} {total.fp:>4} {total.fn:>4} {total.undecided:>9} {total.precision:>9.1%} {total.recall:>7.1%}"
    )
    agree = sum(e == g for _, e, g in evaluation.verdicts)
    lines.append(f"verdict agreement: {agree}/{len(evaluation.verdicts)} = {evaluation.agreement:.1%}")
    for host, expected, got in evaluation.verdicts:
        if expected != got:
            lines.append(f"  {host}: expected {expected}, scan said {got}")
    for check, s in evaluation.checks.items():
        lines += [f"  {check} {m}" for m in s.misses]
    return "\n".join(lines)
