"""Running the ``govsite`` command as a user does, in a child process; the fleet's fast
engine settings and the tests' time point live with the fixtures (govsite.samples.testing)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from govsite.samples.testing import FAST, TEST_NOW, fast_engine

__all__ = ["FAST", "TEST_NOW", "fast_engine", "govsite"]


def govsite(*args: str, cwd: Path | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "govsite", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        env={**os.environ, **env},
        check=False,
    )
