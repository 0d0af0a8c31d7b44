"""A person's role (角色) and scope: supervisors see their region and below, inspectors
their assigned campaigns, site operators their own sites, administrators everything."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from govsite.platform.registry.models import Region, Site


class Role(models.TextChoices):
    ADMIN = "admin", _("System administrator")
    NATIONAL = "national", _("National supervisor")
    PROVINCIAL = "provincial", _("Provincial supervisor")
    MUNICIPAL = "municipal", _("Municipal supervisor")
    INSPECTOR = "inspector", _("Inspector")
    OPERATOR = "operator", _("Site operator")


SUPERVISORS = (Role.NATIONAL, Role.PROVINCIAL, Role.MUNICIPAL)


class Membership(models.Model):
    """The role and scope of one user."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="membership")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    region = models.ForeignKey(Region, models.PROTECT, null=True, blank=True, verbose_name=_("jurisdiction"))
    sites = models.ManyToManyField(Site, blank=True, related_name="operators", verbose_name=_("sites in their charge"))

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


def membership(user: Any) -> Membership | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Membership.objects.filter(user=user).select_related("region").first()
