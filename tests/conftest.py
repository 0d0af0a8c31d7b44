import os
from typing import Any

import pytest

pytest_plugins = ["govsite.samples.testing"]


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings: Any) -> None:
    """Tests log people in by the thousand: a weak, fast hash is enough here (never in settings.py)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


#: Seconds a test reading the session's stored scans may take: the first to ask pays for
#: the region's scan (about 35 CPU seconds), which on a loaded machine can outlast the
#: default 120 s; a test that sets its own limit keeps it.
SCANS_TIMEOUT = 600


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "sample_scans" in getattr(item, "fixturenames", ()) and item.get_closest_marker("timeout") is None:
            item.add_marker(pytest.mark.timeout(SCANS_TIMEOUT))
    spread_long_tests(items)


def spread_long_tests(items: list[pytest.Item]) -> None:
    """Deal the tests marked ``long`` (each holds a worker for tens of seconds) out in turn
    to the workers' shares, at the front of each: pytest-xdist's worksteal gives each
    worker one contiguous stretch of the run and lets a worker that runs out take the
    back half of what the other has queued. Long tests side by side would run one after
    the other on one worker; long tests left in the middle of a share are what the other
    worker takes late, and then runs alone at the end."""
    long = [item for item in items if item.get_closest_marker("long")]
    if not long or len(long) == len(items):
        return
    rest = [item for item in items if not item.get_closest_marker("long")]
    workers = max(1, int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")))
    stretch = len(items) // workers
    places = {(n % workers) * stretch + n // workers: item for n, item in enumerate(long)}
    ordered = iter(rest)
    items[:] = [places[n] if n in places else next(ordered) for n in range(len(items))]
