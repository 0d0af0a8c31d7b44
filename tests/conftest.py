from typing import Any

import pytest

pytest_plugins = ["govsite.samples.testing"]


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings: Any) -> None:
    """Tests log people in by the thousand: a weak, fast hash is enough here (never in settings.py)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
