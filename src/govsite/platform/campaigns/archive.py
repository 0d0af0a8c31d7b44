"""Archived copies (存档副本) of scanned pages, served apart from the platform.

A scanned page is hostile: its scripts must never run as the platform. Each copy is
served with a CSP ``sandbox`` (no scripts, no forms, no requests), and — when
``ARCHIVE_ORIGIN`` is set — from that separate origin, which never sees or sets a
cookie, so a browser that ignores the sandbox (an IE-mode browser) still runs the page
as a stranger to the platform. The review page hands the frame a signed, short-lived
link; the archive origin answers nothing else.

The copy is streamed, never held whole: it is read through once first with the
fetcher's size cap, keeping nothing (``engine.read_record``), and only a copy that is
within the cap is then streamed (``engine.record_body``, a piece at a time, stopping at
the cap whatever the file holds by then). So "too large to show" and a missing record
are answered before a byte of the page is sent, never appended to half a page, at the
cost of decoding the copy twice. A damaged file streams what can be read; the framing
page says what cannot (``govsite.engine.evidence``).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt

from govsite.engine import Archived, ArchiveDamaged, read_record, record_body

SALT = "govsite.platform.campaigns.archive"
LINK_SECONDS = 3600  # how long a review page's link to a copy stays valid
SANDBOX = "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'"


def load(warc: str, record_id: str) -> Archived | str:
    """The archived copy, or why there is none to show."""
    if not warc:
        return _("The archive file does not hold this record")
    try:
        found = read_record(Path(warc), record_id)
    except ArchiveDamaged as exc:
        return _("The archive file is damaged and this page cannot be read: %(why)s") % {"why": exc}
    return found if found is not None else _("The archive file does not hold this record")


def frame_src(warc: str, record_id: str) -> str:
    """Where a framing page loads the copy from: a signed link to the archive origin."""
    if not settings.ARCHIVE_ORIGIN:
        return "?raw=1"
    token = signing.dumps([warc, record_id], salt=SALT, compress=True)
    return f"{settings.ARCHIVE_ORIGIN.rstrip('/')}/archive/{token}/"


def copy_response(warc: str, record_id: str) -> HttpResponseBase:
    """The captured page itself, streamed (or a note saying why it is not shown), sandboxed."""
    found = load(warc, record_id)
    response: HttpResponseBase
    if isinstance(found, str):
        response = _note(found, status=404)
    elif found.too_large:
        response = _note(_("Too large to show: the page is over %(mb)d MB once unpacked.") % {"mb": _cap_mb()})
    else:
        response = StreamingHttpResponse(record_body(Path(warc), record_id), content_type=found.content_type)
    response["Content-Security-Policy"] = SANDBOX
    response["X-Content-Type-Options"] = "nosniff"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _cap_mb() -> int:
    from govsite.engine import EngineConfig

    return EngineConfig.max_body_bytes // 1024 // 1024


def _note(text: str, status: int = 200) -> HttpResponse:
    return HttpResponse(f"<!doctype html><meta charset=utf-8><p>{escape(text)}</p>", status=status)


@xframe_options_exempt  # framed by the platform's pages, another origin
def by_link(request: HttpRequest, token: str) -> HttpResponseBase:
    """The archive origin's one page: the copy a signed link names (only a page that
    showed the finding to a user who may see it hands out such a link)."""
    try:
        warc, record_id = signing.loads(token, salt=SALT, max_age=LINK_SECONDS)
    except signing.BadSignature as exc:
        raise Http404(_("This link to an archived copy has expired; open it again from the review page")) from exc
    return copy_response(str(warc), str(record_id))


def archive_host() -> str:
    return urlsplit(settings.ARCHIVE_ORIGIN).netloc.lower() if settings.ARCHIVE_ORIGIN else ""


class ArchiveOriginMiddleware:
    """Requests to ``ARCHIVE_ORIGIN``'s host reach only :func:`by_link`, with their cookies
    dropped before anything reads them and none set on the way out."""

    def __init__(self, get_response: object) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        host = archive_host()
        if not host or request.META.get("HTTP_HOST", "").lower() != host:
            return self.get_response(request)  # type: ignore[operator]
        request.META.pop("HTTP_COOKIE", None)
        request.COOKIES = {}
        request.urlconf = "govsite.platform.campaigns.archive_urls"
        response: HttpResponse = self.get_response(request)  # type: ignore[operator]
        response.cookies.clear()
        return response
