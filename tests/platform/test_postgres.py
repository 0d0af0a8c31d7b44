"""The platform's tests again on PostgreSQL, the database a province runs. Skipped,
with the reason, where no PostgreSQL answers on 127.0.0.1:5432."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

POSTGRES = os.environ.get("GOVSITE_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/govsite")
HERE = Path(__file__).parent


def reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.skipif(os.environ.get("GOVSITE_DATABASE_URL", "").startswith("postgres"), reason="already on PostgreSQL")
@pytest.mark.skipif(not reachable(), reason="no PostgreSQL on 127.0.0.1:5432")
def test_platform_tests_pass_on_postgresql() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            str(HERE),
            "-q",
            "-p",
            "no:cacheprovider",
            "-k",
            "not postgresql and not readme",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "GOVSITE_DATABASE_URL": POSTGRES},
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert " passed" in done.stdout
