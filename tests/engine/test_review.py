"""Review rules without a database: dismissing, confirming, manual findings, resolved
checks, and a check's own data left as the check wrote it."""

from __future__ import annotations

from dataclasses import replace

from govsite.engine import FAIL, PASS, REVIEW, CheckRun, Finding, ScanResult, load_profile, rescore, reviewed
from govsite.engine.checks.registry import CHECKS
from govsite.engine.scan import evaluate

from .snapshots import snapshot

PROFILE = load_profile("inspection-2019")
URL = "http://www.example.gov.cn/"


def finding(check: str, severity: str, **data: object) -> Finding:
    return Finding(check, URL, URL, severity, "…", data)


def result(findings: list[Finding], **statuses: str) -> ScanResult:
    runs = tuple(CheckRun(c.name, c.ids, statuses.get(c.name, "pass"), statuses.get(c.name), 0) for c in CHECKS)
    return replace(evaluate(snapshot(), PROFILE), findings=tuple(findings), checks=runs)


BLANKS = [finding("update.column_blank", "normal", column=f"空{i}") for i in range(5)]


def test_dismissing_lifts_a_veto_and_manual_findings_join() -> None:
    scanned = result(BLANKS)
    assert rescore(scanned, {}, [], (), PROFILE).verdict == FAIL
    assert rescore(scanned, {0: "dismissed"}, [], (), PROFILE).verdict == PASS
    manual = [finding("wording.serious_error", "serious", manual=True)]
    assert rescore(scanned, {0: "dismissed"}, manual, (), PROFILE).verdict == FAIL
    states = [(r.index, r.state, r.counted) for r in reviewed(scanned, {0: "dismissed"}, manual)]
    assert (
        states[0] == (0, "dismissed", False)
        and states[1] == (1, "pending", True)
        and states[-1] == (None, "manual", True)
    )


def test_a_confirmed_doubt_counts_and_the_checks_data_is_untouched() -> None:
    dead = finding("links.broken", "normal", status=404, confirmed=True)  # the HTTP status proves it dead
    doubt = finding("links.broken", "suspected", status=None, confirmed=False)
    scanned = result([dead, doubt])
    pending = reviewed(scanned, {}, [])
    assert [r.finding.data["confirmed"] for r in pending] == [True, False]  # not overwritten by "no person yet"
    assert [r.counted for r in pending] == [True, False]
    after = reviewed(scanned, {1: "confirmed"}, [])
    assert after[1].finding.severity == "normal" and after[1].counted and after[1].finding.data == doubt.data
    assert rescore(scanned, {1: "confirmed"}, [], (), PROFILE).score == rescore(scanned, {}, [], (), PROFILE).score - 1


def test_only_a_persons_confirmation_decides_availability() -> None:
    scanned = result([finding("availability.homepage_down", "serious", failures=4, probes=4)])
    assert rescore(scanned, {}, [], (), PROFILE).verdict == REVIEW
    assert rescore(scanned, {0: "confirmed"}, [], (), PROFILE).verdict == FAIL


def test_resolving_every_id_of_an_open_check_passes_it() -> None:
    scanned = result([], unanswered="undecided")
    assert rescore(scanned, {}, [], (), PROFILE).verdict == REVIEW
    assert rescore(scanned, {}, [], ("interaction.unanswered",), PROFILE).verdict == PASS


def test_a_stored_result_reads_back_typed() -> None:
    scanned = result([finding("links.broken", "normal", status=404)])
    again = ScanResult.from_data(scanned.to_data())
    assert again == scanned and again.findings[0].data["status"] == 404
