from __future__ import annotations

from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "govsite.platform.public"
    label = "public"
    verbose_name = "Public supervision pages"
    default_auto_field = "django.db.models.BigAutoField"
