"""The platform's database-heavy tests again on PostgreSQL, the database a province runs:
the registry (import, history), campaigns (sampling, the executor and its claims),
review (locked, audited transactions), the API (grouped counts, scope filters), error reports
(idempotent intake, locked handling steps, all-or-nothing national imports) and
rectification (locked tasks, re-check claims).
Skipped, with the reason, where no PostgreSQL answers.

The files run in two halves, each a test of its own, so the two pytest-xdist workers
share them; tests marked ``own_database`` (a child process on an embedded database of
its own) would only repeat themselves here and are left out."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from govsite.samples.services import answers
from govsite.samples.testing import Scans

#: Each run gets its own database (the test database is ``test_<name>``), so two runs never collide.
POSTGRES = os.environ.get("GOVSITE_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/govsite") + f"_{os.getpid()}"
HERE = Path(__file__).parent
#: The files, in two halves of about equal time (one run at load 5, with the region stored:
#: campaigns 27 s, jiucuo 22 s, registry 6 s; rectification 22 s, api 18 s, review 5 s).
ON_POSTGRES = [
    ("test_registry.py", "test_campaigns.py", "test_jiucuo.py"),
    ("test_api.py", "test_review.py", "test_rectification.py"),
]
#: A test database is thrown away: its commits need not wait for the disk.
NOT_DURABLE = "-c synchronous_commit=off"


@pytest.mark.skipif(os.environ.get("GOVSITE_DATABASE_URL", "").startswith("postgres"), reason="already on PostgreSQL")
@pytest.mark.skipif(not answers(POSTGRES, 5432), reason=f"no PostgreSQL answers at {urlsplit(POSTGRES).netloc}")
@pytest.mark.timeout(600)
@pytest.mark.long
@pytest.mark.parametrize("half", range(len(ON_POSTGRES)))
def test_platform_tests_pass_on_postgresql(sample_scans: Scans, half: int) -> None:
    files = [str(HERE / name) for name in ON_POSTGRES[half]]
    pgoptions = f"{os.environ.get('PGOPTIONS', '')} {NOT_DURABLE}".strip()
    env = {
        "GOVSITE_DATABASE_URL": f"{POSTGRES}_{half}",
        "GOVSITE_TEST_SCANS": str(sample_scans.shared),
        "PGOPTIONS": pgoptions,
    }
    done = subprocess.run(
        [sys.executable, "-m", "pytest", *files, "-q", "-p", "no:cacheprovider", "-m", "not own_database"],
        capture_output=True,
        text=True,
        timeout=580,
        env={**os.environ, **env},
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert " passed" in done.stdout and " skipped" not in done.stdout
