"""The bulletin page of a campaign: edit the free text, enter accountability actions per
problem site, export in each format (kept with its inputs), download, publish."""

from __future__ import annotations

import io
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from govsite.platform import storage
from govsite.platform.accounts.access import can_edit_bulletin, can_publish, visible_campaigns
from govsite.platform.bulletins.browser import BrowserMissing
from govsite.platform.bulletins.exports import FORMATS, MEDIA_TYPES, export
from govsite.platform.bulletins.models import Accountability, Bulletin, Export, draft
from govsite.platform.dashboards.labels import FAILED
from govsite.platform.dashboards.stats import SUPERVISION, outcome_of, without_result
from govsite.platform.ledger.models import Ledger
from govsite.platform.ledger.rules import RulesError
from govsite.platform.ledger.verdicts import Unreviewed
from govsite.platform.public.publish import publish_bulletin

TEXT_MAX = 20_000


def _bulletin(request: HttpRequest, campaign_id: int) -> Bulletin:
    campaign = get_object_or_404(visible_campaigns(request.user), pk=campaign_id)
    if not can_edit_bulletin(request.user, campaign):
        raise PermissionDenied(_("You may not write this campaign's bulletin"))
    return draft(campaign, request.user)


def _save_text(request: HttpRequest, bulletin: Bulletin) -> None:
    fields = {name: request.POST.get(name, "").strip() for name in ("title", "issuer", "opening", "requirements")}
    if not fields["title"] or not fields["issuer"]:
        raise ValueError(_("Give the title and the issuing office"))
    if any(len(v) > TEXT_MAX for v in fields.values()):
        raise ValueError(_("A text is too long"))
    try:
        issued = date.fromisoformat(request.POST.get("issued", ""))
    except ValueError as exc:
        raise ValueError(_("The date of issue must read YYYY-MM-DD")) from exc
    ledger_id = request.POST.get("ledger") or ""
    ledger = None
    if ledger_id:
        ledger = Ledger.objects.filter(pk=int(ledger_id) if ledger_id.isdigit() else 0).first()
        if ledger is None or not can_publish(request.user, ledger.region):
            raise ValueError(_("No such deduction ledger"))
    more = (
        visible_campaigns(request.user)
        .filter(pk__in=[int(x) for x in request.POST.getlist("more_campaigns") if x.isdigit()], kind__in=SUPERVISION)
        .exclude(pk=bulletin.campaign_id)
    )
    for name, value in fields.items():
        setattr(bulletin, name, value)
    bulletin.issued, bulletin.ledger = issued, ledger
    bulletin.save()
    bulletin.more_campaigns.set(more)


def _accountability(request: HttpRequest, bulletin: Bulletin) -> None:
    entry = bulletin.campaign.sites.filter(pk=request.POST.get("entry") or 0).first()
    action = request.POST.get("action", "")
    people = request.POST.get("people", "")
    if (
        entry is None
        or action not in Accountability.Action.values
        or not people.isdigit()
        or not 0 < int(people) < 1000
    ):
        raise ValueError(_("Choose the site and the action, and give the number of people (1–999)"))
    Accountability.objects.create(bulletin=bulletin, entry=entry, action=action, people=int(people),
                                  note=request.POST.get("note", "")[:500], user=request.user)  # fmt: skip


@login_required
def edit(request: HttpRequest, campaign_id: int) -> HttpResponse:
    bulletin = _bulletin(request, campaign_id)
    if request.method == "POST":
        step = request.POST.get("step", "")
        scan_verdicts = request.POST.get("scan_verdicts") == "1"
        try:
            if step == "text":
                _save_text(request, bulletin)
                messages.success(request, _("Saved"))
            elif step == "accountability":
                _accountability(request, bulletin)
                messages.success(request, _("Accountability action recorded"))
            elif step in FORMATS:
                made = export(bulletin, step, request.user, scan_verdicts, request.POST.get("screenshots") == "1")
                return redirect("bulletins:download", made.export.pk)
            elif step == "publish":
                if not can_publish(request.user, bulletin.campaign.region):
                    raise PermissionDenied
                publish_bulletin(bulletin, request.user, scan_verdicts)
                messages.success(request, _("Published in the public section"))
            else:
                raise ValueError(_("Unknown step"))
        except (ValueError, Unreviewed, RulesError, BrowserMissing) as exc:
            messages.error(request, str(exc))
        return redirect("bulletins:edit", campaign_id)
    problem_entries = [
        o.entry
        for o in map(
            outcome_of,
            without_result(bulletin.campaign.sites.all()),
        )
        if o.outcome == FAILED
    ]
    context = {
        "bulletin": bulletin,
        "campaign": bulletin.campaign,
        "problem_entries": problem_entries,
        "actions": bulletin.actions.select_related("entry__site"),
        "action_choices": Accountability.Action.choices,
        "ledgers": [x for x in Ledger.objects.select_related("region") if can_publish(request.user, x.region)],
        "exports": bulletin.exports.all()[:20],
        "formats": FORMATS,
        "period_campaigns": visible_campaigns(request.user)
        .filter(kind__in=SUPERVISION)
        .exclude(pk=bulletin.campaign_id)
        .order_by("-as_of"),
        "chosen": set(bulletin.more_campaigns.values_list("pk", flat=True)),
    }
    return render(request, "bulletins/edit.html", context)


@login_required
def download(request: HttpRequest, pk: int) -> FileResponse:
    made = get_object_or_404(Export.objects.select_related("bulletin__campaign"), pk=pk)
    if not can_edit_bulletin(request.user, made.bulletin.campaign):
        raise Http404
    return serve_export(made)


def serve_export(made: Export) -> FileResponse:
    try:
        data = storage.read_bytes(made.path)  # the shared directory's file, or a bucket's object
    except FileNotFoundError as exc:
        raise Http404 from exc
    name = f"bulletin-{made.bulletin_id}-{made.created:%Y%m%d%H%M%S}.{made.format}"
    response = FileResponse(io.BytesIO(data), as_attachment=made.format != "html", filename=name,
                            content_type=MEDIA_TYPES[made.format])  # fmt: skip
    if made.format == "html":
        response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    return response
