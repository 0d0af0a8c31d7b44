"""Scoring: vetoes, the three column thresholds, availability to 待核查, deductions
with caps, suspected findings unscored, undecided checks that could change the result."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from govsite.engine.checks.base import Finding
from govsite.engine.checks.registry import CHECKS
from govsite.engine.profile import load
from govsite.engine.score import FAIL, PASS, REVIEW, CheckRun, score

PROFILE = load("inspection-2019")


def f(check: str, severity: str = "normal", **data: Any) -> Finding:
    return Finding(check, "http://x.gov.cn/", "http://x.gov.cn/", severity, "…", data)


def runs(**statuses: str) -> list[CheckRun]:
    return [CheckRun(c.name, c.ids, statuses.get(c.name, "pass"), statuses.get(c.name) and "原因", 0) for c in CHECKS]


def stale(n: int, level: int = 1, cls: str = "news") -> list[Finding]:
    return [f("update.column_stale", **{"level": level, "class": cls, "column": f"栏目{i}"}) for i in range(n)]


def test_a_clean_site_passes_with_full_marks() -> None:
    v = score(PROFILE, [], runs())
    assert (v.verdict, v.score, v.reasons) == (PASS, 100, ())


def test_any_veto_fails_the_site_without_a_score() -> None:
    v = score(PROFILE, [f("wording.serious_error", "serious")], runs())
    assert v.verdict == FAIL and v.score is None and "严重表述错误" in v.reasons[0]


def test_column_thresholds() -> None:
    assert score(PROFILE, stale(4), runs()).verdict == PASS  # 4 first-level: deductions only
    assert score(PROFILE, stale(5), runs()).verdict == FAIL  # 5 first-level
    assert score(PROFILE, stale(9, level=2, cls="plan"), runs()).verdict == PASS
    assert score(PROFILE, stale(10, level=2, cls="plan"), runs()).verdict == FAIL  # 10 in all
    blanks = [f("update.column_blank", column=f"空{i}") for i in range(5)]
    v = score(PROFILE, blanks, runs())
    assert v.verdict == FAIL and "空白栏目 5 个" in v.reasons[0]


def test_deductions_are_per_finding_and_capped() -> None:
    links = [f("links.broken", status=404) for _ in range(14)]
    v = score(PROFILE, links, runs())
    broken = next(i for i in v.indicators if i.id == "broken_links")
    assert (broken.points, broken.max_points, len(broken.findings)) == (10, 10, 14)
    assert v.score == 90 and v.verdict == PASS
    v = score(PROFILE, [f("interpretation.missing")], runs())
    assert v.score == 94  # all 6 points at the first finding


def test_suspected_findings_are_listed_but_not_scored() -> None:
    v = score(PROFILE, [f("links.broken", "suspected", status=None)], runs())
    assert v.score == 100 and v.verdict == PASS


def test_a_failing_homepage_waits_for_the_weeks_monitoring_unless_the_profile_says_otherwise() -> None:
    down = [f("availability.homepage_down", "serious", failures=4, probes=4)]
    v = score(PROFILE, down, runs(homepage_stale="undecided"))
    assert v.verdict == REVIEW and "连续监测 7 天" in v.reasons[0]
    strict = replace(PROFILE, single_scan_veto=True)
    assert score(strict, down, runs()).verdict == FAIL
    flaky = [f("availability.homepage_down", "suspected", failures=1, probes=4)]
    assert score(strict, flaky, runs()).verdict == REVIEW


def test_undecided_checks_hold_the_verdict_only_when_they_could_change_it() -> None:
    assert score(PROFILE, [], runs(unanswered="undecided")).verdict == REVIEW  # a veto could fire
    assert score(PROFILE, [], runs(links="undecided")).verdict == PASS  # 10 points cannot fail 100
    poor = [f("interpretation.missing"), f("annual_report.missing"), f("domain.nonconforming")]
    poor += [f("links.broken", status=404)] * 10 + [f("service.guide_incomplete")] * 10
    v = score(PROFILE, poor, runs())
    assert v.score == 64 and v.verdict == PASS
    v = score(PROFILE, poor, runs(search="undecided"))
    assert v.verdict == REVIEW  # the 5 search points could take it to 59
    assert score(PROFILE, [*poor, f("search.missing"), *stale(4)], runs()).verdict == FAIL  # 55


def test_a_person_confirming_the_availability_finding_decides_the_veto() -> None:
    down = [f("links.broken", status=404, confirmed=True), f("availability.homepage_down", "serious", failures=4)]
    assert score(PROFILE, down, runs()).verdict == REVIEW  # the links check's own "confirmed" is no person's
    assert score(PROFILE, down, runs(), confirmed=[1]).verdict == FAIL


def guides(incomplete: int, read: int) -> list[Finding]:
    return [f("service.guide_incomplete", missing=["设定依据"], guides_checked=read) for _ in range(incomplete)]


def test_most_guides_lacking_key_elements_is_services_useless() -> None:
    # docs/checks.md: 服务不实用 names missing key elements of 办事指南; more than half of
    # the guides read, and at least two, is the configurable threshold
    v = score(PROFILE, guides(3, 4), runs())
    assert v.verdict == FAIL and "服务不实用" in v.reasons[0] and "4 个办事指南中 3 个" in v.reasons[0]
    assert score(PROFILE, guides(1, 4), runs()).verdict == PASS  # one guide: a deduction
    assert score(PROFILE, guides(2, 4), runs()).verdict == PASS  # half is not most
    assert score(PROFILE, guides(1, 1), runs()).verdict == PASS  # one guide read is too few to veto


def test_the_guide_threshold_is_the_profiles() -> None:
    strict = replace(PROFILE, guides_incomplete_share=0.25, guides_incomplete_min=1)
    assert score(strict, guides(2, 5), runs()).verdict == FAIL
