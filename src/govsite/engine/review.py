"""Review (人工核查): a scan's findings as people judged them, and the verdict that follows.

Pure functions, no storage: the platform keeps the decisions and passes them in, and
the accuracy evaluation uses the same rules.

- a dismissed finding drops out;
- a confirmed ``suspected`` finding counts as ``normal`` (a person confirmed the doubt);
- a confirmed availability finding decides its veto (one scan alone does not);
- manual findings (a person's own) join as given;
- an open check run (``CheckRun.open``) whose every check id a person resolved passes.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace

from govsite.engine.checks.base import Finding
from govsite.engine.profile import Profile
from govsite.engine.scan import ScanResult
from govsite.engine.score import CheckRun, Verdict, score

#: A person's decision on one of the scan's findings.
DECISIONS = ("confirmed", "dismissed")
#: How a reviewed finding stands: not yet decided, one of ``DECISIONS``, or made by a person.
STATES = ("pending", *DECISIONS, "manual")


@dataclass(frozen=True)
class Reviewed:
    """A finding as the review sees it."""

    index: int | None  # the scan's index; None for a manual finding
    finding: Finding  # severity as reviewed; ``data`` exactly as the check wrote it
    state: str  # one of STATES
    counted: bool  # whether it counts in the reviewed verdict


def reviewed(result: ScanResult, decisions: Mapping[int, str], manual: Sequence[Finding]) -> list[Reviewed]:
    """The scan's findings with the decisions on them (by index), then the manual ones."""
    out: list[Reviewed] = []
    for i, f in enumerate(result.findings):
        state = decisions.get(i, "pending")
        if state == "confirmed" and f.severity == "suspected":
            f = replace(f, severity="normal")
        out.append(Reviewed(i, f, state, state != "dismissed" and f.severity != "suspected"))
    out += [Reviewed(None, m, "manual", True) for m in manual]
    return out


def rescore(
    result: ScanResult,
    decisions: Mapping[int, str],
    manual: Sequence[Finding],
    resolved: Collection[str],
    profile: Profile,
) -> Verdict:
    """The verdict after review: ``decisions`` by finding index (``DECISIONS``), the
    ``manual`` findings people added, and the check ids people ``resolved`` as passing."""
    kept = [r for r in reviewed(result, decisions, manual) if r.state != "dismissed"]
    confirmed = [i for i, r in enumerate(kept) if r.state == "confirmed"]
    return score(profile, [r.finding for r in kept], _runs(result, resolved), confirmed)


def _runs(result: ScanResult, resolved: Collection[str]) -> list[CheckRun]:
    out = []
    for run in result.checks:
        left = tuple(i for i in run.ids if i not in resolved)
        if run.open and left != run.ids:
            run = replace(run, ids=left) if left else replace(run, status="pass", reason=None)
        out.append(run)
    return out
