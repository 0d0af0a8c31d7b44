from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JiucuoConfig(AppConfig):
    """我为政府网站找错: the public's error reports and their handling on time."""

    name = "govsite.platform.jiucuo"
    label = "jiucuo"
    verbose_name = _("Error reports")
