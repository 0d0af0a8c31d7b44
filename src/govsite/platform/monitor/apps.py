from __future__ import annotations

from django.apps import AppConfig


class MonitorConfig(AppConfig):
    name = "govsite.platform.monitor"
    label = "monitor"
    verbose_name = "Monitor"
    default_auto_field = "django.db.models.BigAutoField"
