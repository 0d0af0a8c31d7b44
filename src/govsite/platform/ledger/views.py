"""Deduction ledger pages: create one from a shipped rule set, add the quarterly
campaigns it counts and the self-inspection rounds whose missing reports it charges,
enter lines (inputs handled outside the platform, other deductions, bonuses), see the
ranked tables, publish them."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from govsite.platform.accounts.access import campaign_regions, can_manage_ledger, visible_campaigns
from govsite.platform.ledger import compute, rules
from govsite.platform.ledger.models import Ledger, LedgerCampaign, LedgerLine
from govsite.platform.ledger.verdicts import Unreviewed
from govsite.platform.public.publish import publish_ledger
from govsite.platform.rectification.models import SelfInspectionRound

#: The form's fields for the period whose overdue error reports count.
PERIOD = ("reports_from", "reports_to")


@login_required
def ledgers(request: HttpRequest) -> HttpResponse:
    regions = campaign_regions(request.user)
    if request.method == "POST":
        region = regions.filter(code=request.POST.get("region", "")).first()
        name = request.POST.get("name", "").strip()[:200]
        try:
            loaded = rules.load(request.POST.get("rules", "")) if request.POST.get("rules") in rules.shipped() else None
        except rules.RulesError as exc:
            loaded = None
            messages.error(request, str(exc))
        try:
            period = [date.fromisoformat(v) if v else None for v in (request.POST.get(k, "") for k in PERIOD)]
        except ValueError:
            period = []
        if region is None or loaded is None or not name or len(period) != 2:
            messages.error(request, _("Give a name, a region of yours and a rule set (dates as YYYY-MM-DD)"))
            return redirect("ledger:list")
        made = Ledger.objects.create(name=name, region=region, rules_name=loaded.name, rules_text=loaded.text,
                                     reports_from=period[0], reports_to=period[1], created_by=request.user)  # fmt: skip
        return redirect("ledger:detail", made.pk)
    context = {
        "ledgers": Ledger.objects.filter(region__in=regions).select_related("region"),
        "regions": regions.filter(level__in=("province", "city")),
        "shipped": rules.shipped(),
    }
    return render(request, "ledger/list.html", context)


def _line(request: HttpRequest, ledger: Ledger) -> None:
    kind, unit_type = request.POST.get("kind", ""), request.POST.get("unit_type", "")
    unit, reason = request.POST.get("unit", "").strip()[:200], request.POST.get("reason", "").strip()[:500]
    count, points = request.POST.get("count", "1"), request.POST.get("points", "")
    known = {t.id for t in ledger.rules().unit_types}
    if kind not in LedgerLine.Kind.values or unit_type not in known or not unit or not reason:
        raise ValueError(_("Choose the kind and unit type, and give the unit and the reason"))
    if not count.isdigit() or not 0 < int(count) < 10_000:
        raise ValueError(_("The count is a whole number from 1 to 9999"))
    if kind == LedgerLine.Kind.MISSING_REPORT:
        charged = {line.unit for line in compute.missing_report_lines(ledger, ledger.rules())}
        if compute.known_unit(unit_type, unit) in charged:
            raise ValueError(_("%(unit)s is already charged for a missing report by a self-inspection round")
                             % {"unit": unit})  # fmt: skip
    priced = kind in (LedgerLine.Kind.MANUAL, LedgerLine.Kind.BONUS)
    if priced and (not points.isdigit() or not 0 < int(points) <= 100):
        raise ValueError(_("Other deductions and bonuses need their points (1–100)"))
    LedgerLine.objects.create(ledger=ledger, unit_type=unit_type, unit=unit, kind=kind, count=int(count),
                              points=int(points) if priced else None, reason=reason, user=request.user)  # fmt: skip


def _quarter(request: HttpRequest, ledger: Ledger) -> None:
    campaign = visible_campaigns(request.user).filter(pk=request.POST.get("campaign") or 0).first()
    quarter = request.POST.get("quarter", "").strip()[:20]
    try:
        published = date.fromisoformat(request.POST.get("results_published", ""))
    except ValueError as exc:
        raise ValueError(_("The publication date must read YYYY-MM-DD")) from exc
    if campaign is None or not quarter:
        raise ValueError(_("Choose the campaign and name its quarter as the rules do"))
    LedgerCampaign.objects.update_or_create(ledger=ledger, campaign=campaign,
                                            defaults={"quarter": quarter, "results_published": published})  # fmt: skip


def _round(request: HttpRequest, ledger: Ledger) -> None:
    found = SelfInspectionRound.objects.filter(pk=request.POST.get("round") or 0).first()
    if found is None or found.region_id != ledger.region_id:  # its units are then the ledger's units
        raise ValueError(_("Choose a self-inspection round over the ledger's region"))
    ledger.rounds.add(found)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    ledger = get_object_or_404(Ledger.objects.select_related("region"), pk=pk)
    if not can_manage_ledger(request.user, ledger.region):
        raise PermissionDenied(_("You may not see this ledger"))
    scan_verdicts = request.POST.get("scan_verdicts") == "1"
    if request.method == "POST":
        step = request.POST.get("step", "")
        try:
            if step == "line":
                _line(request, ledger)
            elif step == "quarter":
                _quarter(request, ledger)
            elif step == "round":
                _round(request, ledger)
            elif step == "publish":
                publish_ledger(ledger, request.user, scan_verdicts)
                messages.success(request, _("Published in the public section"))
        except (ValueError, Unreviewed) as exc:
            messages.error(request, str(exc))
        return redirect("ledger:detail", pk)
    loaded = ledger.rules()
    try:
        ranked, problem = compute.rows(ledger), ""
    except Unreviewed as exc:
        ranked, problem = compute.rows(ledger, use_scan_verdicts=True), str(exc)
    tables = [(t, ranked[t.id]) for t in loaded.unit_types]
    context = {
        "ledger": ledger,
        "rules": loaded,
        "tables": tables,
        "problem": problem,
        "quarters": ledger.campaigns.select_related("campaign"),
        "campaigns": visible_campaigns(request.user).filter(kind__in=("census", "spot_check")),
        "rounds": ledger.rounds.all(),
        "other_rounds": SelfInspectionRound.objects.filter(region=ledger.region).exclude(ledgers=ledger),
        "lines": ledger.lines.all(),
        "kinds": LedgerLine.Kind.choices,
    }
    return render(request, "ledger/detail.html", context)
