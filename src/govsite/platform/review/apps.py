from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "govsite.platform.review"
    label = "review"
    verbose_name = _("Human review")
    default_auto_field = "django.db.models.BigAutoField"
