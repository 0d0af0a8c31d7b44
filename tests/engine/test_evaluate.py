"""Accuracy on the sample fleet, held at what it is: a regression fails CI."""

from __future__ import annotations

from govsite.engine import ScanResult, load_profile
from govsite.samples import evaluate
from govsite.samples.manifest import manifest
from govsite.samples.testing import DEFAULT_PROFILE, Scans

MIN_PRECISION = 1.0
MIN_RECALL = 1.0
MIN_AGREEMENT = 1.0


def test_every_check_id_is_precise_and_complete_on_the_fleet(sample_scans: Scans) -> None:
    results = {host: s.result for host, s in sample_scans.region().items() if isinstance(s.result, ScanResult)}
    assert len(results) == len(sample_scans.world.sites)  # every site was scanned (its homepage may not open)
    result = evaluate.evaluate_results(manifest(sample_scans.world), results, load_profile(DEFAULT_PROFILE))
    print(evaluate.table(result))
    for check, score in result.checks.items():
        assert score.tp + score.undecided > 0, f"{check}: the fleet does not exercise it"
        assert score.precision >= MIN_PRECISION, (check, score.misses)
        assert score.recall >= MIN_RECALL, (check, score.misses)
    assert result.agreement >= MIN_AGREEMENT, [v for v in result.verdicts if v[1] != v[2]]
    assert sum(s.undecided for s in result.checks.values()) <= 5  # only the site whose homepage never opens
