"""Dashboard pages (统计分析): one campaign's figures, one site's history, two campaigns
compared. The counting is ``stats``, the drawing ``figures``; who sees what is
``accounts.access`` (through ``stats``), here only asked which campaign or site."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from govsite.platform.accounts.access import visible_sites, visible_tasks
from govsite.platform.campaigns.models import Campaign
from govsite.platform.dashboards import figures, stats
from govsite.platform.dashboards.stats import BLANK_COLUMNS, BROKEN_LINKS
from govsite.platform.rectification.figures import campaign_rectification, pass_streak

#: How many campaigns the overview lists.
LATEST = 10
#: Sites per page of the overview's table of every site (the figures count them all).
SITES_PAGE = 200


def _chosen(campaigns: QuerySet[Campaign], raw: str | None, default: Campaign | None) -> Campaign | None:
    """The campaign ``?name=pk`` asks for (404 when it is not one the user may see), else ``default``."""
    if not raw:
        return default
    try:
        return campaigns.get(pk=int(raw))
    except (ValueError, Campaign.DoesNotExist) as exc:
        raise Http404(_("No such campaign, or you may not see it")) from exc


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    campaigns = stats.supervision_campaigns(request.user)
    latest = stats.latest_finished(campaigns, 1)
    campaign = _chosen(campaigns, request.GET.get("campaign"), latest[0] if latest else None)
    context: dict[str, object] = {
        "dash_page": "overview",
        "campaigns": campaigns,
        "campaign": campaign,
        "latest": stats.summaries(campaigns[:LATEST], request.user),
    }
    if campaign is not None:
        data = stats.overview(campaign, request.user)
        context |= {
            "data": data,
            "sites_page": Paginator(data.outcomes, SITES_PAGE).get_page(request.GET.get("page")),
            "page_query": f"campaign={campaign.pk}&",
            "region_chart": figures.pass_rates(data.regions, _("Pass rate by region")),
            "level_chart": figures.pass_rates(data.levels, _("Pass rate by level")),
            "problem_chart": figures.problems(data.problems),
            "rectification": campaign_rectification(campaign, visible_tasks(request.user)),
        }
    return render(request, "dashboards/overview.html", context)


@login_required
def site(request: HttpRequest, code: str) -> HttpResponse:
    found = visible_sites(request.user).select_related("region").filter(code=code).first()
    if found is None:
        raise Http404(_("No such site, or you may not see it"))
    history = stats.site_history(found, request.user)
    finished = [o.campaign for o in history.outcomes if o.campaign.state == Campaign.State.FINISHED]
    seen = stats.supervision_campaigns(request.user)
    context = {
        "dash_page": "site",
        "site": found,
        "history": history,
        "streak": pass_streak(found, finished[-1], seen) if finished else 0,  # 连续N个季度合格
        "score_chart": figures.site_scores(history),
        "findings_chart": figures.site_findings(history),
    }
    return render(request, "dashboards/site.html", context)


@login_required
def trends(request: HttpRequest) -> HttpResponse:
    campaigns = stats.supervision_campaigns(request.user)
    latest = stats.latest_finished(campaigns, 2)
    after = _chosen(campaigns, request.GET.get("after"), latest[0] if latest else None)
    before = _chosen(campaigns, request.GET.get("before"), latest[1] if len(latest) > 1 else None)
    context: dict[str, object] = {"dash_page": "trends", "campaigns": campaigns, "before": before, "after": after}
    if before is not None and after is not None and before.pk != after.pk:  # a campaign against itself says nothing
        comparison = stats.compare(before, after, request.user)
        context |= {
            "comparison": comparison,
            "rate_chart": figures.trend_pass_rates(comparison),
            "blank_chart": figures.trend_per_site(comparison, BLANK_COLUMNS, _("Blank columns per site")),
            "broken_chart": figures.trend_per_site(comparison, BROKEN_LINKS, _("Broken links per site")),
            "top_sites": figures.TOP_SITES,
        }
    return render(request, "dashboards/trends.html", context)
