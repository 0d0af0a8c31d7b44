from __future__ import annotations

from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "govsite.platform.review"
    label = "review"
    verbose_name = "人工核查"
    default_auto_field = "django.db.models.BigAutoField"
