"""Accuracy on the sample fleet, held at what it is: a regression fails CI."""

from __future__ import annotations

from govsite.samples import evaluate
from govsite.samples.generate import build_world
from govsite.samples.testing import TEST_AS_OF, TEST_SEED

MIN_PRECISION = 1.0
MIN_RECALL = 1.0
MIN_AGREEMENT = 1.0


def test_every_check_id_is_precise_and_complete_on_the_fleet() -> None:
    result = evaluate.run(build_world(TEST_SEED, TEST_AS_OF), homepage_timeout=2.0, slow_seconds=3.0)
    print(evaluate.table(result))
    for check, score in result.checks.items():
        assert score.tp + score.undecided > 0, f"{check}: the fleet does not exercise it"
        assert score.precision >= MIN_PRECISION, (check, score.misses)
        assert score.recall >= MIN_RECALL, (check, score.misses)
    assert result.agreement >= MIN_AGREEMENT, [v for v in result.verdicts if v[1] != v[2]]
    assert sum(s.undecided for s in result.checks.values()) <= 5  # only the site whose homepage never opens
