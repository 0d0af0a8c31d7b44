from __future__ import annotations

from django.apps import AppConfig


class BulletinsConfig(AppConfig):
    name = "govsite.platform.bulletins"
    label = "bulletins"
    verbose_name = "Bulletins"
    default_auto_field = "django.db.models.BigAutoField"
