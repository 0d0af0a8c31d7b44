"""Who may see and do what. Every view and API call asks these functions; a test walks
every role against them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet

from govsite.platform.accounts.models import SUPERVISORS, Role, membership
from govsite.platform.campaigns.models import Campaign, CampaignSite
from govsite.platform.jiucuo.models import Report
from govsite.platform.rectification.models import SelfInspectionRound, Task
from govsite.platform.registry.models import Region, Site


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
        # their own campaigns, and a higher level's that sampled sites of theirs (they see those sites only)
        codes = m.region.descendant_codes()
        return Campaign.objects.filter(Q(region__code__in=codes) | Q(sites__site__region__code__in=codes)).distinct()
    if m.role == Role.INSPECTOR:
        return Campaign.objects.filter(inspectors=m.user)
    if m.role == Role.OPERATOR:
        return Campaign.objects.filter(sites__site__in=m.sites.all()).distinct()
    return Campaign.objects.none()


def visible_entries(user: Any, campaign: Campaign) -> QuerySet[CampaignSite]:
    """The campaign's sites ``user`` may see (an operator: their own; a city in the
    province's campaign: its own)."""
    return campaign.sites.filter(site__in=visible_sites(user))


def can_manage_registry(user: Any) -> bool:
    """Administrators and supervisors; a provincial or municipal one only with a region."""
    m = membership(user)
    if m is None:
        return False
    return m.role in (Role.ADMIN, Role.NATIONAL) or (m.role in SUPERVISORS and m.region is not None)


def registry_scope(user: Any) -> Region | None:
    """The region whose sites a registry manager may change; None for the whole registry
    (administrators and national supervisors). Ask ``can_manage_registry`` first."""
    m = membership(user)
    if m is None or m.role in (Role.ADMIN, Role.NATIONAL):
        return None
    return m.region


def can_run_campaigns(user: Any) -> bool:
    """Whether the user creates and runs campaigns at all (within ``campaign_regions``)."""
    return can_manage_registry(user)


def owns_campaign(user: Any, campaign: Campaign) -> bool:
    """Administrators, national supervisors, and supervisors whose region holds the
    campaign's: they run and review it (a city does not review the province's inspection).
    Nobody owns an operator's self-check: it is started from the site's page and stays
    read-only, a result for the operator, not an inspection."""
    if campaign.kind == Campaign.Kind.SELF_CHECK:
        return False
    return can_run_campaigns(user) and campaign_regions(user).filter(pk=campaign.region_id).exists()


def can_review(user: Any, campaign: Campaign) -> bool:
    """Inspectors review the campaigns they are assigned; supervisors those in their scope."""
    m = membership(user)
    if m is None:
        return False
    if m.role == Role.INSPECTOR:
        return campaign.inspectors.filter(pk=m.user.pk).exists()
    return owns_campaign(user, campaign)


def can_self_check(user: Any, site: Site) -> bool:
    """Site operators may run a self-check (自查) of their own sites."""
    return operates(user, site)


def campaign_regions(user: Any) -> QuerySet[Region]:
    """The regions a user may create a campaign for: any for administrators and national
    supervisors, their own region and those below it for provincial and municipal ones."""
    if not can_run_campaigns(user):
        return Region.objects.none()
    scope = registry_scope(user)
    return Region.objects.all() if scope is None else Region.objects.filter(code__in=scope.descendant_codes())


# -- error reports (我为政府网站找错) -----------------------------------------------------------


def visible_reports(user: Any) -> QuerySet[Report]:
    """Error reports about the sites a user supervises or operates (inspectors: none)."""
    m = membership(user)
    if m is None or m.role == Role.INSPECTOR:
        return Report.objects.none()
    if m.role in (Role.ADMIN, Role.NATIONAL):
        return Report.objects.all()
    return Report.objects.filter(site__in=visible_sites(user))


def handles_report(user: Any, report: Report) -> bool:
    """The site's unit — its operators (and administrators) — accepts, replies and closes."""
    m = membership(user)
    if m is None:
        return False
    return m.role == Role.ADMIN or (m.role == Role.OPERATOR and m.sites.filter(pk=report.site_id).exists())


def supervises_report(user: Any, report: Report) -> bool:
    """Supervisors whose region holds the report's site (and administrators, national
    supervisors) reassign, return and invalidate it."""
    return can_manage_registry(user) and reassign_targets(user).filter(pk=report.site_id).exists()


def reassign_targets(user: Any) -> QuerySet[Site]:
    """The sites a supervisor may hand a report to (转办): those of their region."""
    if not can_manage_registry(user):
        return Site.objects.none()
    scope = registry_scope(user)
    return Site.objects.all() if scope is None else Site.objects.filter(region__code__in=scope.descendant_codes())


def can_exchange_reports(user: Any) -> bool:
    """Importing the national platform's messages and exporting replies: supervisors."""
    return can_manage_registry(user)


def can_edit_calendar(user: Any) -> bool:
    """The holiday table every working-day deadline counts on: administrators and supervisors."""
    m = membership(user)
    return m is not None and (m.role == Role.ADMIN or m.role in SUPERVISORS)


def can_edit_bulletin(user: Any, campaign: Campaign) -> bool:
    """Bulletins, their text, accountability actions and exports: whoever owns the campaign."""
    return owns_campaign(user, campaign)


def can_manage_ledger(user: Any, region: Region) -> bool:
    """A deduction ledger of ``region``: administrators, national supervisors, and
    supervisors whose region holds it."""
    return campaign_regions(user).filter(pk=region.pk).exists()


def can_publish(user: Any, region: Region) -> bool:
    """Publishing to the public section (监管专题) what concerns ``region``: the same people."""
    return can_manage_ledger(user, region)


# -- rectification (整改) and self-inspection (自查) -----------------------------------------------


def operates(user: Any, site: Site) -> bool:
    """Whether ``user`` is one of the site's operators (网站运维人员: the unit)."""
    m = membership(user)
    return m is not None and m.role == Role.OPERATOR and m.sites.filter(pk=site.pk).exists()


def can_assign_rectification(user: Any, campaign: Campaign) -> bool:
    """Whoever reviews a supervision campaign turns its results into rectification tasks (整改)."""
    return campaign.kind != Campaign.Kind.SELF_CHECK and can_review(user, campaign)


def can_answer_rectification(user: Any, site: Site) -> bool:
    """The unit answers its own tasks: the site's operators (and administrators)."""
    m = membership(user)
    return m is not None and (m.role == Role.ADMIN or operates(user, site))


def visible_tasks(user: Any) -> QuerySet[Task]:
    """Rectification tasks of the campaigns and sites ``user`` may see."""
    return Task.objects.filter(entry__campaign__in=visible_campaigns(user), site__in=visible_sites(user))


def visible_rounds(user: Any) -> QuerySet[SelfInspectionRound]:
    """Self-inspection rounds (自查) ``user`` takes part in: those over their region, above it
    (to report) or below it (to follow); an operator's, those over the regions of their sites."""
    m = membership(user)
    if m is None:
        return SelfInspectionRound.objects.none()
    if m.role in (Role.ADMIN, Role.NATIONAL):
        return SelfInspectionRound.objects.all()
    regions: list[Region] = []
    if m.role in SUPERVISORS and m.region is not None:
        regions = [m.region]
    elif m.role == Role.OPERATOR:
        regions = list(Region.objects.filter(sites__in=m.sites.all()).distinct())
    codes = {r.code for region in regions for r in region.ancestors_and_self()}
    if m.role in SUPERVISORS and m.region is not None:
        codes |= set(m.region.descendant_codes())
    return SelfInspectionRound.objects.filter(region__code__in=codes)


def can_manage_round(user: Any, round: SelfInspectionRound) -> bool:
    """The supervisor whose scope holds the round's region runs it (follows it, re-verifies)."""
    return campaign_regions(user).filter(pk=round.region_id).exists()


def can_report_for(user: Any, region: Region | None, sites: Iterable[Site]) -> bool:
    """A lower level reports its own self-inspection: a region's supervisor, a department's
    site operators (and administrators)."""
    m = membership(user)
    if m is None:
        return False
    if m.role == Role.ADMIN:
        return True
    if region is not None:
        return m.role in SUPERVISORS and m.region_id == region.pk
    return m.role == Role.OPERATOR and m.sites.filter(pk__in=[s.pk for s in sites]).exists()
