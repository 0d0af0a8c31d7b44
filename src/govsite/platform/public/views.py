"""The public, login-free section (监管专题): what supervisors published, nothing else.
Every view reads ``Publication`` rows that are not withdrawn; a bulletin's files are
the exports kept at publication; the registry is searched and downloaded from the
frozen public columns."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govsite.platform.accounts.access import campaign_regions, can_publish
from govsite.platform.bulletins.assemble import from_json
from govsite.platform.bulletins.views import serve_export
from govsite.platform.bulletins.writers.html import chart
from govsite.platform.exports import csv_bytes
from govsite.platform.public.models import Publication
from govsite.platform.public.publish import publish_registry, withdraw
from govsite.platform.registry.models import Region

PAGE = 50
QUERY_MAX = 100


def live() -> QuerySet[Publication]:
    return Publication.objects.filter(withdrawn__isnull=True).select_related("region")


def index(request: HttpRequest) -> HttpResponse:
    found = live()
    context = {
        "groups": [(label, found.filter(kind=kind)) for kind, label in Publication.Kind.choices],
        "regions": campaign_regions(request.user).filter(level__in=("province", "city")),  # none when anonymous
    }
    return render(request, "public/index.html", context)


def publication(request: HttpRequest, pk: int) -> HttpResponse:
    shown = get_object_or_404(live(), pk=pk)
    context: dict[str, object] = {"publication": shown, "can_withdraw": can_publish(request.user, shown.region)}
    if shown.kind == Publication.Kind.BULLETIN:
        doc = from_json(shown.content)
        context.update(doc=doc, chart=chart(doc), files=shown.files.all())
    elif shown.kind == Publication.Kind.REGISTRY:
        query = request.GET.get("q", "").strip()[:QUERY_MAX]
        rows = shown.content["rows"]
        if query:
            rows = [r for r in rows if any(query.lower() in cell.lower() for cell in r)]
        context.update(query=query, columns=shown.content["columns"], found=len(rows),
                       page=Paginator(rows, PAGE).get_page(request.GET.get("page")))  # fmt: skip
    return render(request, f"public/{shown.kind}.html", context)


def bulletin_file(request: HttpRequest, pk: int, export_id: int) -> FileResponse:
    shown = get_object_or_404(live().filter(kind=Publication.Kind.BULLETIN), pk=pk)
    made = shown.files.filter(pk=export_id).first()
    if made is None:
        raise Http404
    return serve_export(made)


def registry_csv(request: HttpRequest, pk: int) -> HttpResponse:
    shown = get_object_or_404(live().filter(kind=Publication.Kind.REGISTRY), pk=pk)
    data = csv_bytes([shown.content["columns"], *shown.content["rows"]])
    response = HttpResponse(data, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="registry-{shown.pk}.csv"'
    return response


@login_required
@require_POST
def publish_registry_view(request: HttpRequest) -> HttpResponse:
    region = Region.objects.filter(code=request.POST.get("region", "")).first()
    if region is None or not can_publish(request.user, region):
        raise PermissionDenied(_("You may not publish for this region"))
    made = publish_registry(region, request.user)
    return redirect("public:publication", made.pk)


@login_required
@require_POST
def withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    shown = get_object_or_404(live(), pk=pk)
    if not can_publish(request.user, shown.region):
        raise PermissionDenied(_("You may not withdraw this publication"))
    withdraw(shown)
    return redirect("public:index")
