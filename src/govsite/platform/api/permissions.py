"""Who may do what through the API: each rule asks ``accounts/access.py``."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from govsite.platform.accounts.access import can_run_campaigns, owns_campaign


class CreatesCampaigns(BasePermission):
    """Anyone logged in may read the list; creating a campaign needs ``can_run_campaigns``."""

    message = _("You may not create campaigns.")

    def has_permission(self, request: Any, view: Any) -> bool:
        return request.method in SAFE_METHODS or can_run_campaigns(request.user)


class RunsCampaign(BasePermission):
    """Starting a campaign needs ``owns_campaign``; asked after the campaign was found
    among those the user may see, so a campaign out of sight stays a 404."""

    message = _("You may not run campaigns.")

    def has_object_permission(self, request: Any, view: Any, obj: Any) -> bool:
        return owns_campaign(request.user, obj)
