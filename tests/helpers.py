"""Running the ``govsite`` command as a user does, in a child process; the fleet's fast
engine settings and the tests' time point live with the fixtures (govsite.samples.testing)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import quote

from govsite.samples.testing import FAST, TEST_NOW, fast_engine

__all__ = ["FAST", "TEST_NOW", "database_url", "fast_engine", "govsite"]


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


def database_url(connection: Any) -> str:
    """The test database as ``GOVSITE_DATABASE_URL`` names it, for a command run in a child
    process against the rows a ``transaction=True`` test committed."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    login = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    return f"postgres://{login}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
