"""Who may do what through the API: each rule asks ``accounts/access.py``."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from govsite.platform.accounts.access import can_run_campaigns
from govsite.platform.accounts.models import Role, membership
from govsite.platform.registry.models import Region


class CreatesCampaigns(BasePermission):
    """Anyone logged in may read the list; creating a campaign needs ``can_run_campaigns``."""

    message = _("You may not create campaigns.")

    def has_permission(self, request: Any, view: Any) -> bool:
        return request.method in SAFE_METHODS or can_run_campaigns(request.user)


class RunsCampaign(BasePermission):
    """Starting a campaign needs ``can_run_campaigns``; asked after the campaign was found
    among those the user may see, so a campaign out of sight stays a 404."""

    message = _("You may not run campaigns.")

    def has_object_permission(self, request: Any, view: Any, obj: Any) -> bool:
        return can_run_campaigns(request.user)


def campaign_regions(user: Any) -> QuerySet[Region]:
    """The regions a user may create a campaign for: any for administrators and national
    supervisors, their own region and those below it for provincial and municipal ones."""
    m = membership(user)
    if m is None or not can_run_campaigns(user):
        return Region.objects.none()
    if m.role in (Role.ADMIN, Role.NATIONAL):
        return Region.objects.all()
    if m.region is None:
        return Region.objects.none()
    return Region.objects.filter(code__in=m.region.descendant_codes())
