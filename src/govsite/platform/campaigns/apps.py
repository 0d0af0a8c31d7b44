from __future__ import annotations

from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "govsite.platform.campaigns"
    label = "campaigns"
    verbose_name = "检查任务"
    default_auto_field = "django.db.models.BigAutoField"
