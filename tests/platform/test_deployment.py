"""Deployment defaults: DEBUG off, a stored random key, password rules, and a demo that
will not reset passwords in a real database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from govsite.platform.demo import PEOPLE, DemoRefused, refuse_real_databases


def test_debug_is_off_and_the_secret_key_is_random_and_kept(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GOVSITE_", "DJANGO_"))}
    env["GOVSITE_DATA_DIR"] = str(tmp_path)
    code = "from govsite.platform import settings as s; print(s.DEBUG, s.SECRET_KEY, s.SESSION_COOKIE_AGE)"
    runs = [subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout.split()
            for _ in range(2)]  # fmt: skip
    assert runs[0] == runs[1] and runs[0][0] == "False" and len(runs[0][1]) > 50 and runs[0][2] == "28800"
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0  # readable by its owner only


def test_weak_passwords_are_refused() -> None:
    for weak in ("12345678", "password123", "govsite"):
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("a long pass phrase 14")


@pytest.mark.django_db
def test_the_demo_refuses_a_database_with_other_users() -> None:
    for name in PEOPLE:
        User.objects.create_user(name)
    refuse_real_databases()  # its own logins only: a demo database
    User.objects.create_user("zhang.wei")
    with pytest.raises(DemoRefused, match=r"zhang\.wei"):
        refuse_real_databases()


def test_a_task_time_limit_shorter_than_a_scan_is_refused_at_startup(tmp_path: Path) -> None:
    """A Celery task killed before the executor cuts its scan would be delivered again and
    killed again: the settings refuse such a limit, naming both figures."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GOVSITE_", "DJANGO_"))}
    env |= {"GOVSITE_DATA_DIR": str(tmp_path), "GOVSITE_SCAN_GRACE_SECONDS": "60"}
    code = "from govsite.platform.bootstrap import setup; setup(migrate=False); print('started')"

    def start(limit: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-c", code], env={**env, "GOVSITE_TASK_TIME_LIMIT": limit},
                              capture_output=True, text=True, check=False)  # fmt: skip

    refused = start("660")  # the engine's 600 s budget + 60 s of grace: not more
    assert refused.returncode != 0 and "ImproperlyConfigured" in refused.stderr
    assert "GOVSITE_TASK_TIME_LIMIT (660 s)" in refused.stderr and "(660 s)" in refused.stderr.split("plus")[-1]
    assert start("661").stdout.strip() == "started"
