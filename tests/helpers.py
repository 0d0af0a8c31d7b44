"""Running the ``govsite`` command as a user does, in a child process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from govsite.engine import EngineConfig


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


#: Engine settings for scanning the local fleet quickly: no pauses, short homepage timeout.
FAST = {
    "proxy_resolves_safely": True,
    "min_interval": 0,
    "per_host_concurrency": 8,
    "retries": (0.05,),
    "homepage_timeout": 2,
    "probe_interval": 0,
}


def fast_engine(proxy: str) -> EngineConfig:
    return EngineConfig(proxy=proxy, **FAST)  # type: ignore[arg-type]
