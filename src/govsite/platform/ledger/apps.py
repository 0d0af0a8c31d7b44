from __future__ import annotations

from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "govsite.platform.ledger"
    label = "ledger"
    verbose_name = "Deduction ledger"
    default_auto_field = "django.db.models.BigAutoField"
