"""The sample fleet in a child process, for benchmarks that measure a crawler apart from it.

``govsite samples serve --port 0`` prints its proxy address on a ``Proxy:`` line (English
output); :func:`fleet_process` starts it with the given extra options, waits for that line
and stops the child on exit, so the fleet's CPU never counts as the crawler's.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def fleet_process(*options: str) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """Run ``govsite samples serve --port 0 *options``; yield the process and its proxy URL."""
    command = [sys.executable, "-m", "govsite", "samples", "serve", "--port", "0", *options]
    fleet = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env={**os.environ, "GOVSITE_LANG": "en"})
    try:
        assert fleet.stdout is not None
        proxy = next((line.split()[-1] for line in iter(fleet.stdout.readline, "") if line.startswith("Proxy:")), "")
        if not proxy:
            raise RuntimeError(f"the sample fleet did not start: {' '.join(command)}")
        yield fleet, proxy
    finally:
        fleet.terminate()
        fleet.wait()
