"""From findings to a verdict, against a profile, every point traced to its findings.

1. Single-veto indicators (单项否决): ``any`` fires on one scored finding of its
   checks; ``columns`` applies the three column thresholds to the profile's stale and
   blank column checks; ``services`` fires on a
   missing service, or when more than the profile's share (and at least its minimum)
   of the 办事指南 read lack key elements (both check ids are the profile's); ``availability`` fires
   only when the profile lets one scan decide (a week of monitoring is the rule),
   and otherwise sends its findings to 待核查.
2. Deductions: each indicator loses ``per_finding`` points a finding (all its points
   at the first when ``per_finding`` is 0), capped at its points.
3. Verdict: a fired veto fails the site (不合格, no score); an undecided veto, or a
   score that undecided deductions could still pull under the pass mark, is 待核查;
   else the score decides (合格 at or above ``pass_score``). Bonus points need a
   person and are not given by a scan.

Suspected findings are listed but not scored until a person confirms them.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from govsite.engine.checks.base import Finding
from govsite.engine.profile import Indicator, Profile

PASS, FAIL, REVIEW = "合格", "不合格", "待核查"
SCORED = ("serious", "normal")


@dataclass(frozen=True)
class CheckRun:
    """How one registry check went: pass, fail, undecided, or error (our bug)."""

    name: str
    ids: tuple[str, ...]
    status: str
    reason: str | None
    findings: int

    @property
    def open(self) -> bool:
        """The run decided nothing (it could not, or our code failed): a person must look."""
        return self.status in ("undecided", "error")


@dataclass(frozen=True)
class IndicatorResult:
    id: str
    name: str
    kind: str  # veto | deduction
    status: str  # pass | fail | undecided
    points: float  # deductions: points lost; vetoes: 0
    max_points: float
    findings: tuple[int, ...]  # indexes into the result's findings
    reason: str | None
    official: bool


@dataclass(frozen=True)
class Verdict:
    verdict: str
    score: float | None
    base: float | None
    bonus: float
    reasons: tuple[str, ...]
    indicators: tuple[IndicatorResult, ...]


def score(
    profile: Profile, findings: Sequence[Finding], runs: Sequence[CheckRun], confirmed: Collection[int] = ()
) -> Verdict:
    """``confirmed``: indexes of ``findings`` a person confirmed (review, ``engine.review``)."""
    undecided = {i: r.reason or r.status for r in runs if r.open for i in r.ids}
    results = [_veto(profile, v, findings, undecided, confirmed) for v in profile.vetoes]
    results += [_deduction(d, findings, undecided) for d in profile.deductions]
    fired = [r for r in results if r.kind == "veto" and r.status == "fail"]
    open_vetoes = [r for r in results if r.kind == "veto" and r.status == "undecided"]
    if fired:
        vetoed = tuple(f"单项否决：{r.name}" + (f"（{r.reason}）" if r.reason else "") for r in fired)
        return Verdict(FAIL, None, None, 0.0, vetoed, tuple(results))
    base = profile.total - sum(r.points for r in results if r.kind == "deduction")
    at_risk = sum(r.max_points - r.points for r in results if r.kind == "deduction" and r.status == "undecided")
    bonus = 0.0
    reasons: list[str] = [f"待核查：{r.name}（{r.reason}）" for r in open_vetoes]
    if open_vetoes:
        verdict = REVIEW
    elif base < profile.pass_score:
        verdict = FAIL
        reasons.append(f"得分 {base:g} 低于 {profile.pass_score:g} 分")
    elif base - at_risk < profile.pass_score:
        verdict = REVIEW
        reasons += [
            f"待核查：{r.name}（{r.reason}）" for r in results if r.kind == "deduction" and r.status == "undecided"
        ]
    else:
        verdict = PASS
    return Verdict(verdict, base + bonus, base, bonus, tuple(reasons), tuple(results))


def _mine(indicator: Indicator, findings: Sequence[Finding]) -> list[int]:
    return [i for i, f in enumerate(findings) if f.check in indicator.checks and f.severity in SCORED]


def _open(indicator: Indicator, undecided: dict[str, str]) -> str | None:
    reasons = [undecided[c] for c in indicator.checks if c in undecided]
    return "；".join(dict.fromkeys(reasons)) if reasons else None


def _veto(
    profile: Profile, v: Indicator, findings: Sequence[Finding], undecided: dict[str, str], confirmed: Collection[int]
) -> IndicatorResult:
    mine = _mine(v, findings)
    status, reason = ("fail" if mine else "pass"), None
    if v.rule == "availability":
        seen = [i for i, f in enumerate(findings) if f.check in v.checks]
        mine = seen
        # a week of monitoring, or a person's confirmation, decides it; one scan does not
        by_person = any(i in confirmed or findings[i].data.get("monitored") for i in seen)
        single = profile.single_scan_veto and any(findings[i].severity == "serious" for i in seen)
        if seen and not (by_person or single):
            status = "undecided"
            f = findings[seen[0]]
            reason = (
                f"本次扫描首页 {f.data.get('failures')}/{f.data.get('probes')} 次探测失败；"
                f"该指标须连续监测 {profile.monitor_days} 天、每天不少于 {profile.probes_per_day} 次，"
                f"失败率达 {profile.failure_ratio:.0%} 即否决，请以监测数据核定"
            )
        elif seen:
            reason = findings[seen[0]].message
    elif v.rule == "columns" and mine:
        stale = [findings[i] for i in mine if findings[i].check == profile.stale_check]
        blank = [findings[i] for i in mine if findings[i].check == profile.blank_check]
        first = [f for f in stale if f.data.get("level") == 1 and f.data.get("class") in profile.first_level_classes]
        parts = []
        if len(first) >= profile.stale_first_level_min:
            parts.append(f"{len(first)} 个一级栏目未按时更新")
        if len(stale) >= profile.unupdated_min:
            parts.append(f"未按时更新栏目数量>={profile.unupdated_min}（{len(stale)}个栏目未按时更新）")
        if len(blank) >= profile.blank_min:
            parts.append(f"空白栏目 {len(blank)} 个")
        status = "fail" if parts else "pass"
        reason = "；".join(parts) or None
    elif v.rule == "services" and mine:
        status, reason, mine = _services(profile, [(i, findings[i]) for i in mine])
    elif mine:
        reason = findings[mine[0]].message
    if status == "pass" and (open_reason := _open(v, undecided)):
        status, reason = "undecided", open_reason
    return IndicatorResult(v.id, v.name, "veto", status, 0.0, 0.0, tuple(mine), reason, v.official)


def _services(profile: Profile, mine: list[tuple[int, Finding]]) -> tuple[str, str | None, list[int]]:
    """服务不实用: no online services, or key elements missing from most guides read."""
    missing = [(i, f) for i, f in mine if f.check == profile.service_missing_check]
    if missing:
        return "fail", missing[0][1].message, [i for i, _ in missing]
    incomplete = [(i, f) for i, f in mine if f.check == profile.guide_incomplete_check]
    read = max((int(f.data.get("guides_checked") or 0) for _, f in incomplete), default=0)
    share = len(incomplete) / read if read else 0.0
    if len(incomplete) >= profile.guides_incomplete_min and share > profile.guides_incomplete_share:
        reason = (
            f"抽查的 {read} 个办事指南中 {len(incomplete)} 个缺少关键要素（超过 {profile.guides_incomplete_share:.0%}）"
        )
        return "fail", reason, [i for i, _ in incomplete]
    return "pass", None, []


def _deduction(d: Indicator, findings: Sequence[Finding], undecided: dict[str, str]) -> IndicatorResult:
    mine = _mine(d, findings)
    lost = min(d.points, d.per_finding * len(mine)) if d.per_finding else (d.points if mine else 0.0)
    status, reason = ("fail" if mine else "pass"), None
    open_reason = _open(d, undecided)
    if open_reason and lost < d.points:
        status, reason = "undecided", open_reason
    return IndicatorResult(d.id, d.name, "deduction", status, lost, d.points, tuple(mine), reason, d.official)
