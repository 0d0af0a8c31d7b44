"""The public side (no login): find the site, send a report, follow it. Each site's
找错 entrance points at ``/jiucuo/?site=<网站标识码>``."""

from __future__ import annotations

import functools
import json
import time
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from govsite.platform.jiucuo import challenge, intake
from govsite.platform.jiucuo.forms import ReportForm, TrackForm
from govsite.platform.jiucuo.models import Report, Step
from govsite.platform.jiucuo.privacy import client_key
from govsite.platform.jiucuo.screenshots import CappedUpload, too_large
from govsite.platform.registry.models import Site

#: Search results shown at most.
SEARCH_LIMIT = 20
#: The form's fields besides the screenshot, bytes at most (the request may be this much larger).
FIELDS_ALLOWANCE = 64 * 1024
#: The page address an entrance may pass, characters at most (the form's field takes as many).
PAGE_ADDRESS_MAX = 500
#: The embed script's source (served by ``embed_script``).
EMBED = Path(__file__).parent / "embed" / "jiucuo.js"
#: Steps the public sees (with their notes only for a reason the sender should know).
PUBLIC_STEPS = {Step.Action.SUBMITTED, Step.Action.IMPORTED, Step.Action.ACCEPTED, Step.Action.CLOSED,
                Step.Action.REASSIGNED, Step.Action.RETURNED, Step.Action.INVALIDATED}  # fmt: skip


def search(query: str) -> QuerySet[Site]:
    query = query.strip()[:100]
    if not query:
        return Site.objects.none()
    found = Q(name__icontains=query) | Q(url__icontains=query) | Q(code=query)
    return Site.objects.filter(found).exclude(status=Site.Status.CLOSED).select_related("region")[:SEARCH_LIMIT]


#: Registered sites by code, as the form and the receipt show them: every form and every
#: post names its site, so each process reads a site at most once per ``SITE_CACHE_SECONDS``
#: (a site saved or deleted in this process is read afresh at once: ``forget_sites``, connected
#: in apps.py; the other serving processes follow within that time). Codes not registered are
#: not kept, and the cache is emptied when it holds ``SITE_CACHE_SIZE`` sites.
SITE_CACHE_SECONDS = 60.0
SITE_CACHE_SIZE = 20_000
_sites: dict[str, tuple[float, Site]] = {}


def open_site(code: str) -> Site | None:
    """The open site with this 网站标识码 (None when unknown or closed), with the fields the
    form and the receipt show."""
    cached = _sites.get(code)
    if cached is None or time.monotonic() - cached[0] > SITE_CACHE_SECONDS:
        found = Site.objects.filter(code=code).order_by().only("code", "name", "url", "status", "region_id")
        site = next(iter(found[:1]), None)
        if site is None:
            return None
        if len(_sites) >= SITE_CACHE_SIZE:
            _sites.clear()
        cached = _sites[code] = (time.monotonic(), site)
    return None if cached[1].status == Site.Status.CLOSED else cached[1]


def forget_sites(**_: object) -> None:
    """Read every site afresh next time (connected to the registry's save and delete signals)."""
    _sites.clear()


def page_address(given: str) -> str:
    """The page address an entrance passed (``?url=``, see ``embed_script``) when the form
    would accept it, else nothing: it only fills in the form's field, shown escaped."""
    given = given.strip()
    try:
        URLValidator(schemes=["http", "https"])(given)
    except ValidationError:
        return ""
    return given if len(given) <= PAGE_ADDRESS_MAX else ""


@functools.lru_cache(maxsize=len(settings.LANGUAGES))
def _embed_source(language: str) -> str:
    label = json.dumps(_("Report an error on a government website"), ensure_ascii=False)
    return EMBED.read_text(encoding="utf-8").replace("link.textContent = LABEL;", f"link.textContent = {label};")


def embed_script(request: HttpRequest) -> HttpResponse:
    """The 找错 entrance a government website includes: ``<script src=".../jiucuo/jiucuo.js"
    data-site="<网站标识码>">`` (``embed/jiucuo.js``, bundled: it loads nothing from elsewhere),
    a link to this site's form with the page's address filled in. The label is in the
    request's language (Chinese unless chosen otherwise)."""
    response = HttpResponse(_embed_source(translation.get_language()), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "public, max-age=3600"
    return response


def _form_page(request: HttpRequest, site: Site, form: ReportForm, status: int = 200, error: str = "") -> HttpResponse:
    """The form with a fresh question; a bound form keeps its idempotency key (a retry after
    a correction still makes one ticket) and its field errors."""
    key = str(form.cleaned_data.get("form_key") or "") if form.is_bound and hasattr(form, "cleaned_data") else ""
    key = key or str(uuid.uuid4())
    question, token = challenge.issue(key)
    context = {"site": site, "form": form, "form_key": key, "token": token, "question": question, "error": error,
               "kinds": Report.Kind.choices, "max_description": intake.MAX_DESCRIPTION,
               "max_mb": settings.JIUCUO_SCREENSHOT_MAX_BYTES // 1024 // 1024}  # fmt: skip
    return render(request, "jiucuo/form.html", context, status=status)


@csrf_exempt  # checked below, after the capped upload handler is in place
def report(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        length = request.META.get("CONTENT_LENGTH") or "0"
        if not length.isdigit() or int(length) > settings.JIUCUO_SCREENSHOT_MAX_BYTES + FIELDS_ALLOWANCE:
            return render(request, "jiucuo/refused.html", {"message": too_large()}, status=413)
        request.upload_handlers = [CappedUpload(request)]
    return _report(request)


@csrf_protect
def _report(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("site", "").strip()
    site = open_site(code) if code else None
    if site is None:
        query = request.GET.get("q", "")
        context = {"query": query, "found": search(query), "unknown": code}
        return render(request, "jiucuo/search.html", context, status=404 if code else 200)
    if request.method != "POST":
        return _form_page(request, site, ReportForm(initial={"page_url": page_address(request.GET.get("url", ""))}))
    form = ReportForm(request.POST, request.FILES)
    capped: Any = request.upload_handlers[0]
    if getattr(capped, "too_large", False):
        return render(request, "jiucuo/refused.html", {"message": too_large()}, status=413)
    if not form.is_valid():
        return _form_page(request, site, form, 400)
    data = form.cleaned_data
    try:
        challenge.verify(data["challenge"], str(data["form_key"]), data["answer"])
    except challenge.ChallengeFailed as exc:
        return _form_page(request, site, form, 400, str(exc))
    try:
        receipt = intake.submit(
            site=site,
            kind=data["kind"],
            page_url=data["page_url"],
            description=data["description"],
            contact=data["contact"],
            picture=data["screenshot"],
            form_key=data["form_key"],
            client=client_key(request.META.get("REMOTE_ADDR", "")),
        )
    except intake.RateLimited:
        count, seconds = settings.JIUCUO_RATE_LIMIT
        message = _("Too many reports from your address: at most %(n)s in %(m)s minutes. Please try again later.") % {
            "n": count,
            "m": max(1, seconds // 60),
        }
        return render(request, "jiucuo/refused.html", {"message": message}, status=429)
    return render(request, "jiucuo/receipt.html", {"receipt": receipt, "site": site})


def track(request: HttpRequest) -> HttpResponse:
    """Follow a report with its ticket number and query code (sent by POST, so the code
    stays out of addresses and logs)."""
    form = TrackForm(request.POST or None)
    context: dict[str, object] = {"form": form}
    if request.method == "POST" and form.is_valid():
        pk = Report.pk_of(form.cleaned_data["number"])
        found = Report.objects.select_related("site").filter(pk=pk).first() if pk else None
        if found is None or not intake.code_matches(found, form.cleaned_data["code"]):
            context["error"] = _("No report matches this ticket number and query code.")
            return render(request, "jiucuo/track.html", context, status=404)
        context |= {"report": found, "steps": [s for s in found.steps.all() if s.action in PUBLIC_STEPS]}
    return render(request, "jiucuo/track.html", context, status=400 if form.errors else 200)
