"""The uptime page (可用性监测): the week's uptime per region (a chart) and per site
(a page of the sites at a time, those down first), the current state of each, and the
latest alerts; scope from accounts.access."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from govsite.platform.accounts.access import visible_sites
from govsite.platform.dashboards.charts import Bar, bar_chart
from govsite.platform.dashboards.formatting import percent
from govsite.platform.monitor import uptime


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    data = uptime.week(visible_sites(request.user), timezone.now(), page=request.GET.get("page"))
    bars = [
        Bar(r.label, 100 * (r.uptime or 0), percent(r.uptime), "passed" if (r.failure_share or 0) < 0.05 else "failed")
        for r in data.regions
    ]  # fmt: skip
    context = {
        "data": data,
        "chart": bar_chart(bars, title=_("Uptime by region, last 7 days"), maximum=100),
        "options": settings.MONITOR,
    }
    return render(request, "monitor/uptime.html", context)
