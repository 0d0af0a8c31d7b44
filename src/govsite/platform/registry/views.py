"""Registry pages: the sites a user may see, and one site with its history."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from govsite.platform.accounts.access import visible_sites


@login_required
def sites(request: HttpRequest) -> HttpResponse:
    found = visible_sites(request.user).select_related("region").order_by("code")
    return render(request, "registry/sites.html", {"sites": found})


@login_required
def site(request: HttpRequest, code: str) -> HttpResponse:
    found = visible_sites(request.user).select_related("region").filter(code=code).first()
    if found is None:
        raise Http404("没有这个网站，或无权查看")
    entries = found.campaign_entries.select_related("campaign").order_by("-campaign__as_of")
    return render(
        request, "registry/site.html", {"site": found, "changes": found.changes.all()[:200], "entries": entries}
    )
