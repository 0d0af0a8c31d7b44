from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JiucuoConfig(AppConfig):
    """我为政府网站找错: the public's error reports and their handling on time."""

    name = "govsite.platform.jiucuo"
    label = "jiucuo"
    verbose_name = _("Error reports")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from govsite.platform.jiucuo.models import CalendarDay, CalendarYear
        from govsite.platform.jiucuo.public import forget_sites
        from govsite.platform.jiucuo.workdays import forget_calendar
        from govsite.platform.registry.models import Site

        for model in (CalendarDay, CalendarYear):
            post_save.connect(forget_calendar, sender=model, dispatch_uid=f"forget-calendar-{model.__name__}")
            post_delete.connect(forget_calendar, sender=model, dispatch_uid=f"forget-calendar-{model.__name__}-del")
        post_save.connect(forget_sites, sender=Site, dispatch_uid="forget-sites")
        post_delete.connect(forget_sites, sender=Site, dispatch_uid="forget-sites-del")
