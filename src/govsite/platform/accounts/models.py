"""A person's role (角色) and scope: supervisors see their region and below, inspectors
their assigned campaigns, site operators their own sites, administrators everything."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from govsite.platform.registry.models import Region, Site


class Role(models.TextChoices):
    ADMIN = "admin", "系统管理员"
    NATIONAL = "national", "国家级监管人员"
    PROVINCIAL = "provincial", "省级监管人员"
    MUNICIPAL = "municipal", "市级监管人员"
    INSPECTOR = "inspector", "检查人员"
    OPERATOR = "operator", "网站运维人员"


SUPERVISORS = (Role.NATIONAL, Role.PROVINCIAL, Role.MUNICIPAL)


class Membership(models.Model):
    """The role and scope of one user."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="membership")
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    region = models.ForeignKey(Region, models.PROTECT, null=True, blank=True, verbose_name="管辖范围")
    sites = models.ManyToManyField(Site, blank=True, related_name="operators", verbose_name="负责的网站")

    class Meta:
        verbose_name = verbose_name_plural = "角色"

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


def membership(user: Any) -> Membership | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Membership.objects.filter(user=user).select_related("region").first()
