"""Registry pages: the sites a user may see (filtered, imported, exported), one site with
its history and, for its operator, a self-check; and the registry against reality."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govsite.engine import LexiconError
from govsite.platform.accounts.access import (
    can_manage_registry,
    can_self_check,
    registry_scope,
    visible_campaigns,
    visible_sites,
)
from govsite.platform.campaigns.executor import engine_config, is_running_here, start_in_background
from govsite.platform.campaigns.models import Campaign, CampaignSite
from govsite.platform.campaigns.sampling import create_campaign
from govsite.platform.registry import closed_probe, leaders
from govsite.platform.registry.mismatches import CLOSED, Mismatch, from_scans, two_portals
from govsite.platform.registry.models import Leader, Region, Site
from govsite.platform.registry.tabular import ImportRejected, RowError, export_bytes, import_file

#: Mismatches per page (a province's registry against its census is thousands of rows).
PAGE_SIZE = 200
#: What the mismatches page reads of each scanned site (never the result itself).
SCANNED = ("site__code", "site__url", "homepage_url")

EXPORT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def _filtered(request: HttpRequest) -> QuerySet[Site]:
    found = visible_sites(request.user).select_related("region").order_by("code")
    query = request.GET.get("q", "").strip()
    if query:
        found = found.filter(Q(code__icontains=query) | Q(name__icontains=query) | Q(url__icontains=query))
    if request.GET.get("status") in Site.Status.values:
        found = found.filter(status=request.GET["status"])
    if request.GET.get("level") in Site.Level.values:
        found = found.filter(level=request.GET["level"])
    region = request.GET.get("region", "")
    if region and Region.objects.filter(code=region).exists():
        found = found.filter(region__code__in=Region.objects.get(code=region).descendant_codes())
    return found


@login_required
def sites(request: HttpRequest) -> HttpResponse:
    return _sites_page(request)


def _sites_page(
    request: HttpRequest, errors: list[RowError] | None = None, report: Any = None, status: int = 200
) -> HttpResponse:
    context = {
        "sites": _filtered(request),
        "can_manage": can_manage_registry(request.user),
        "statuses": Site.Status.choices,
        "levels": Site.Level.choices,
        "filters": request.GET,
        "query": request.GET.urlencode(),
        "errors": errors,
        "report": report,
        "max_mb": settings.REGISTRY_UPLOAD_MAX_BYTES // 1024 // 1024,
    }
    return render(request, "registry/sites.html", context, status=status)


@login_required
@require_POST
def import_sites(request: HttpRequest) -> HttpResponse:
    """A registry file uploaded in the page: checked whole, written whole or not at all."""
    if not can_manage_registry(request.user):
        raise PermissionDenied(_("You may not change the registry"))
    upload = request.FILES.get("file")
    if upload is None:
        return _sites_page(request, [RowError(0, _("file"), _("Choose an .xlsx or .csv file"))], status=400)
    if upload.size is not None and upload.size > settings.REGISTRY_UPLOAD_MAX_BYTES:  # refused before it is read
        too_big = _("The file is larger than %(mb)d MB") % {"mb": settings.REGISTRY_UPLOAD_MAX_BYTES // 1024 // 1024}
        return _sites_page(request, [RowError(0, _("file"), too_big)], status=400)
    try:
        report = import_file(upload.name or "upload", upload.read(), request.user, scope=registry_scope(request.user))
    except ImportRejected as rejected:
        return _sites_page(request, rejected.errors, status=400)
    return _sites_page(request, report=report)


def _may_replace_leaders(user: Any) -> bool:
    """The list is one for the whole office: administrators and national supervisors
    replace it (a regional supervisor's upload would replace every other region's)."""
    return can_manage_registry(user) and registry_scope(user) is None


@login_required
def leaders_page(request: HttpRequest) -> HttpResponse:
    """The leaders' names and posts every campaign scan checks wording against; an
    upload (CSV: name, post, region) replaces the list whole, or changes nothing."""
    may_replace = _may_replace_leaders(request.user)
    error, replaced, status = None, None, 200
    if request.method == "POST":
        if not may_replace:
            raise PermissionDenied(_("You may not change the leaders list"))
        upload = request.FILES.get("file")
        if upload is None:
            error, status = _("Choose a .csv file"), 400
        elif upload.size is not None and upload.size > settings.REGISTRY_UPLOAD_MAX_BYTES:
            mb = settings.REGISTRY_UPLOAD_MAX_BYTES // 1024 // 1024
            error, status = _("The file is larger than %(mb)d MB") % {"mb": mb}, 400
        else:
            try:
                replaced = leaders.replace_all(upload.name or "upload", upload.read())
            except LexiconError as exc:
                error, status = str(exc), 400
    context = {"leaders": Leader.objects.all(), "may_replace": may_replace, "error": error, "replaced": replaced}
    return render(request, "registry/leaders.html", context, status=status)


@login_required
def export_sites(request: HttpRequest, fmt: str) -> HttpResponse:
    """The sites this user sees (with the page's filters) in the import layout."""
    if fmt not in EXPORT_TYPES:
        raise Http404(fmt)
    data, _count = export_bytes(f".{fmt}", _filtered(request))
    response = HttpResponse(data, content_type=EXPORT_TYPES[fmt])
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="govsite-sites-{stamp}.{fmt}"'
    return response


@login_required
def site(request: HttpRequest, code: str) -> HttpResponse:
    found = visible_sites(request.user).select_related("region").filter(code=code).first()
    if found is None:
        raise Http404(_("No such site, or not yours to see"))
    entries = found.campaign_entries.filter(campaign__in=visible_campaigns(request.user))
    context = {
        "site": found,
        "changes": found.changes.all()[:200],
        "entries": entries.select_related("campaign").order_by("-campaign__as_of", "-pk"),
        "can_self_check": can_self_check(request.user, found),
    }
    return render(request, "registry/site.html", context)


@login_required
@require_POST
def self_check(request: HttpRequest, code: str) -> HttpResponse:
    """An operator's self-check (自查) of their own site: a one-site campaign scanned now.
    While one is unfinished, asking again opens it instead of starting another."""
    found = visible_sites(request.user).filter(code=code).first()
    if found is None:
        raise Http404(_("No such site, or not yours to see"))
    if not can_self_check(request.user, found):
        raise PermissionDenied(_("Only the site's operator may self-check it"))
    pending = CampaignSite.objects.filter(
        site=found,
        campaign__kind=Campaign.Kind.SELF_CHECK,
        state__in=[CampaignSite.State.PENDING, CampaignSite.State.RUNNING],
    ).first()
    if pending is not None:  # resumed if the process that ran it has stopped
        if not is_running_here(pending.campaign):
            start_in_background(pending.campaign, engine_config())
        return redirect("campaigns:detail", pending.campaign_id)
    now = timezone.now()
    name = _("%(site)s self-check %(when)s") % {
        "site": found.name[:150],  # the campaign name's limit leaves room for the rest
        "when": timezone.localtime(now).strftime("%Y-%m-%d %H:%M"),
    }
    campaign = create_campaign(name=name, kind="self_check", region=found.region, as_of=now, user=request.user,
                               site=found)  # fmt: skip
    start_in_background(campaign, engine_config())
    return redirect("campaigns:detail", campaign.pk)


@login_required
def mismatches(request: HttpRequest) -> HttpResponse:
    """Registry against reality: what the latest scans show, and the latest probe of the
    closed sites (a POST starts one in the background and returns at once)."""
    if not can_manage_registry(request.user):
        raise PermissionDenied(_("Only supervisors see registry mismatches"))
    if request.method == "POST":
        closed_probe.start(request.user)
        return redirect("registry:mismatches")
    mine = visible_sites(request.user)
    latest: dict[int, CampaignSite] = {}
    done = CampaignSite.objects.filter(
        campaign__in=visible_campaigns(request.user), site__in=mine, state=CampaignSite.State.DONE
    )
    for entry in done.select_related("site").only(*SCANNED).order_by("campaign__as_of", "pk"):
        latest[entry.site_id] = entry  # the last one wins
    names = dict(mine.values_list("code", "name"))
    probe = closed_probe.latest(request.user)
    found: list[Mismatch] = from_scans(latest.values())
    found += [m for m in two_portals() if m.site in names]
    found += [m for m in closed_probe.mismatches(probe) if m.site in names]
    rows = [(m, names.get(m.site, "")) for m in sorted(found, key=lambda m: (m.kind, m.site))]
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"rows": page.object_list, "page": page, "found": len(rows), "scanned": len(latest),
               "closed": mine.filter(status__in=CLOSED).count(), "probe": probe,
               "probing": probe is not None and closed_probe.is_alive(probe)}  # fmt: skip
    return render(request, "registry/mismatches.html", context)
