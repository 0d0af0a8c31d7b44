"""Campaign pages: the list, one campaign with live progress, one site's review."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from govsite.engine import CHECK_IDS, Finding, ProfileError
from govsite.platform.accounts.access import (
    campaign_regions,
    can_assign_rectification,
    can_edit_bulletin,
    can_review,
    can_run_campaigns,
    owns_campaign,
    visible_campaigns,
    visible_entries,
    visible_tasks,
)
from govsite.platform.campaigns import archive, screenshots
from govsite.platform.campaigns.executor import engine_config, is_running_here, start_in_background
from govsite.platform.campaigns.models import Campaign, CampaignSite
from govsite.platform.campaigns.progress import progress_of
from govsite.platform.campaigns.sampling import create_campaign
from govsite.platform.review import actions
from govsite.platform.review.models import AuditEntry

#: Sites per page of a campaign (a census is thousands; the page reloads every 2 s while it runs).
PAGE_SIZE = 100


def _campaign(request: HttpRequest, pk: int) -> Campaign:
    found = visible_campaigns(request.user).select_related("region").filter(pk=pk).first()
    if found is None:
        raise Http404(_("No such campaign, or you may not see it"))
    return found


@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    """The campaigns a user may see; supervisors also create one here."""
    error = ""
    if request.method == "POST":
        if not can_run_campaigns(request.user):
            raise PermissionDenied(_("You may not create campaigns"))
        try:
            made = _create(request)
            return redirect("campaigns:detail", made.pk)
        except (ValidationError, ValueError, ProfileError) as exc:
            error = pgettext("between messages", "; ").join(getattr(exc, "messages", [str(exc)]))
    context = {
        "campaigns": visible_campaigns(request.user).select_related("region"),
        "can_create": can_run_campaigns(request.user),
        "regions": campaign_regions(request.user).order_by("code"),
        "error": error,
    }
    return render(request, "campaigns/list.html", context)


def _create(request: HttpRequest) -> Campaign:
    code = request.POST.get("region", "")
    region = campaign_regions(request.user).filter(code=code).first()
    if region is None:
        raise ValidationError(_("Choose a division within your jurisdiction"))
    name = request.POST.get("name", "").strip()
    if not name:
        raise ValidationError(_("Enter the campaign's name"))
    kind = request.POST.get("kind", "spot_check")
    if kind not in (Campaign.Kind.CENSUS, Campaign.Kind.SPOT_CHECK):
        raise ValidationError(_("Choose a census or a spot check"))
    try:
        ratio = Decimal(request.POST.get("ratio") or "0.3")
        seed = int(request.POST["seed"]) if request.POST.get("seed") else None
        if not (ratio.is_finite() and Decimal("0.001") <= ratio <= 1 and (seed is None or 0 <= seed < 2**63)):
            raise ValueError(ratio, seed)
    except (ArithmeticError, ValueError) as exc:
        raise ValidationError(_("The ratio must be a decimal between 0 and 1, the seed a whole number")) from exc
    return create_campaign(name=name, kind=kind, region=region,
                           as_of=timezone.now(), ratio=ratio, seed=seed, user=request.user)  # fmt: skip


#: What the campaign page shows of each site (never the result itself).
LISTED = ("site__code", "site__name", "state", "error", "verdict", "final_verdict", "final_score")


@login_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    entries = visible_entries(request.user, campaign)
    can_run = (
        owns_campaign(request.user, campaign)
        and not is_running_here(campaign)
        and campaign.sites.exclude(state=CampaignSite.State.DONE).exists()
    )  # failed ones may be tried again
    listed = entries.select_related("site").only(*LISTED).order_by("site__code")
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"campaign": campaign, "entries": page.object_list, "page": page,
               "progress": progress_of(entries), "can_run": can_run,
               "can_bulletin": can_edit_bulletin(request.user, campaign)}  # fmt: skip
    return render(request, "campaigns/detail.html", context)


@login_required
def campaign_progress(request: HttpRequest, pk: int) -> JsonResponse:
    campaign = _campaign(request, pk)
    return JsonResponse({"state": campaign.state, **progress_of(visible_entries(request.user, campaign))})


@login_required
@require_POST
def campaign_run(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    if not owns_campaign(request.user, campaign):
        raise PermissionDenied(_("You may not run campaigns"))
    start_in_background(campaign, engine_config())
    return redirect("campaigns:detail", pk)


@login_required
def entry_detail(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    entry = visible_entries(request.user, campaign).select_related("site", "campaign").filter(pk=entry_pk).first()
    if entry is None:
        raise Http404(_("This site is not in the campaign"))
    error = ""
    if request.method == "POST":
        try:
            _review(request, entry)
            return redirect("campaigns:entry", pk, entry_pk)
        except ValidationError as exc:
            error = pgettext("between messages", "; ").join(exc.messages)
    context = {
        "campaign": campaign,
        "entry": entry,
        "findings": actions.reviewed_findings(entry),
        "result": entry.scan_result,
        "undecided": [c for c in entry.scan_result.checks if c.open] if entry.scan_result else [],
        "audit": AuditEntry.objects.filter(entry=entry).select_related("user"),
        "can_review": can_review(request.user, campaign),
        "check_ids": CHECK_IDS,
        "error": error,
        "task": visible_tasks(request.user).filter(entry=entry).first(),
        "can_assign": entry.result is not None and can_assign_rectification(request.user, campaign),
    }
    return render(request, "campaigns/entry.html", context)


def _review(request: HttpRequest, entry: CampaignSite) -> None:
    action = request.POST.get("action", "")
    reason = request.POST.get("reason", "")
    if action in ("confirmed", "dismissed"):
        index = request.POST.get("index", "")
        actions.decide(entry, int(index) if index.lstrip("-").isdigit() else -1, action, request.user, reason)
    elif action == "manual":
        actions.add_manual(entry, request.user, check=request.POST.get("check", ""), subject=entry.site.url,
                           url=request.POST.get("url", "") or entry.site.url, severity=request.POST.get("severity", ""),
                           message=request.POST.get("message", ""))  # fmt: skip
    elif action == "resolve":
        actions.resolve(entry, request.POST.get("check", ""), request.user, reason)
    else:
        raise ValidationError(_("Unknown action"))


@login_required
def archived(request: HttpRequest, pk: int, entry_pk: int, index: int) -> HttpResponseBase:
    """The page a finding was seen on, as captured, clearly marked as an archived copy;
    the copy itself comes from the archive origin (``archive.py``)."""
    campaign = _campaign(request, pk)
    entry = visible_entries(request.user, campaign).filter(pk=entry_pk).first()
    result = entry.scan_result if entry else None
    findings = result.findings if result else ()
    if entry is None or not 0 <= index < len(findings):
        raise Http404(_("No archived copy"))
    return serve_archived(request, entry.warc, findings[index], reverse("campaigns:entry", args=[pk, entry_pk]))


def serve_archived(request: HttpRequest, warc: str, finding: Finding, back: str) -> HttpResponseBase:
    """A finding's archived page from the scan's WARC file ``warc``: the framing page (with
    the finding's screenshots beside the copy), with ``?raw=1`` the record itself, sandboxed
    (from the archive origin when there is one: ``archive.py``), with ``?shot=NAME`` one of
    its screenshots. The re-check pages (复核) use it too."""
    evidence = finding.evidence
    if evidence is None or not evidence.record_id:
        raise Http404(_("No archived copy"))
    shot = request.GET.get("shot")
    if shot is not None:  # one of the finding's own screenshots, nothing else of the folder
        picture = screenshots.read(warc, shot) if shot in evidence.screenshots else None
        if picture is None:  # from the store: the shared directory, or a bucket
            raise Http404(_("No such screenshot"))
        response = HttpResponse(picture, content_type="image/png")
        response["X-Content-Type-Options"] = "nosniff"
        return response
    if request.GET.get("raw") == "1":
        if settings.ARCHIVE_ORIGIN:  # never served from the platform's own origin
            return redirect(archive.frame_src(warc, evidence.record_id))
        return archive.copy_response(warc, evidence.record_id)
    found = archive.load(warc, evidence.record_id)
    context = {"evidence": evidence, "finding": finding, "back": back,
               "frame_src": archive.frame_src(warc, evidence.record_id),
               "problem": found if isinstance(found, str) else found.damaged,
               "too_large": not isinstance(found, str) and found.too_large,
               "shown": not isinstance(found, str) and not found.too_large}  # fmt: skip
    return render(request, "campaigns/archived.html", context)
