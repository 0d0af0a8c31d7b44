"""Who may see and do what. Every view and API call asks these functions; a test walks
every role against them."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from govsite.platform.accounts.models import SUPERVISORS, Role, membership
from govsite.platform.campaigns.models import Campaign
from govsite.platform.registry.models import Site


def visible_sites(user: Any) -> QuerySet[Site]:
    m = membership(user)
    if m is None:
        return Site.objects.none()
    if m.role in (Role.ADMIN, Role.NATIONAL):
        return Site.objects.all()
    if m.role in SUPERVISORS and m.region is not None:
        return Site.objects.filter(region__code__in=m.region.descendant_codes())
    if m.role == Role.OPERATOR:
        return m.sites.all()
    if m.role == Role.INSPECTOR:
        return Site.objects.filter(campaign_entries__campaign__inspectors=m.user).distinct()
    return Site.objects.none()


def visible_campaigns(user: Any) -> QuerySet[Campaign]:
    m = membership(user)
    if m is None:
        return Campaign.objects.none()
    if m.role in (Role.ADMIN, Role.NATIONAL):
        return Campaign.objects.all()
    if m.role in SUPERVISORS and m.region is not None:
        return Campaign.objects.filter(region__code__in=m.region.descendant_codes())
    if m.role == Role.INSPECTOR:
        return Campaign.objects.filter(inspectors=m.user)
    if m.role == Role.OPERATOR:
        return Campaign.objects.filter(sites__site__in=m.sites.all()).distinct()
    return Campaign.objects.none()


def can_manage_registry(user: Any) -> bool:
    m = membership(user)
    return m is not None and m.role in (Role.ADMIN, *SUPERVISORS)


def can_run_campaigns(user: Any) -> bool:
    return can_manage_registry(user)


def can_review(user: Any, campaign: Campaign) -> bool:
    """Inspectors review the campaigns they are assigned; supervisors those in their scope."""
    m = membership(user)
    if m is None:
        return False
    if m.role == Role.INSPECTOR:
        return campaign.inspectors.filter(pk=m.user.pk).exists()
    return m.role in (Role.ADMIN, *SUPERVISORS) and visible_campaigns(user).filter(pk=campaign.pk).exists()


def can_self_check(user: Any, site: Site) -> bool:
    """Site operators may run a self-check (自查) of their own sites."""
    m = membership(user)
    return m is not None and m.role == Role.OPERATOR and m.sites.filter(pk=site.pk).exists()
