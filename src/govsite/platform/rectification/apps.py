from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RectificationConfig(AppConfig):
    name = "govsite.platform.rectification"
    label = "rectification"
    verbose_name = _("Rectification and self-inspection")
    default_auto_field = "django.db.models.BigAutoField"
