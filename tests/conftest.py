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
