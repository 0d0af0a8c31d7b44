"""Every model change has its migration: a branch that changes a model (a label, a choice, a
field) and forgets `makemigrations` fails here, not on a province's first deployment."""

from __future__ import annotations

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_the_models_and_their_migrations_agree() -> None:
    try:
        call_command("makemigrations", "--check", "--dry-run", verbosity=0)
    except SystemExit as exit_:  # --check exits non-zero when a migration is missing
        pytest.fail(f"a model change has no migration (govsite manage makemigrations): exit {exit_.code}")
