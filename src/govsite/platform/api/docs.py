"""The human docs (Swagger UI) and the schema, served offline: Swagger UI's files come
from the drf-spectacular-sidecar package, through this app (no CDN, no collectstatic)."""

from __future__ import annotations

import mimetypes
from pathlib import Path

import drf_spectacular_sidecar
from django.http import FileResponse, Http404, HttpRequest
from django.urls import reverse
from drf_spectacular.views import SpectacularSwaggerView

SWAGGER_UI = Path(drf_spectacular_sidecar.__file__).parent / "static" / "drf_spectacular_sidecar" / "swagger-ui-dist"
ASSETS = frozenset(
    name
    for stem in ("swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js")
    for name in (stem, f"{stem}.map")
) | {"favicon-32x32.png"}


class Docs(SpectacularSwaggerView):
    """Swagger UI over ``api:schema``; "Try it out" uses the browser's session (with its CSRF token)."""

    url_name = "api:schema"

    @staticmethod
    def _swagger_ui_resource(filename: str) -> str:
        return reverse("api:asset", args=[filename])

    @staticmethod
    def _swagger_ui_favicon() -> str:
        return reverse("api:asset", args=["favicon-32x32.png"])


def asset(request: HttpRequest, name: str) -> FileResponse:
    """One of Swagger UI's files, by name from a fixed list."""
    if name not in ASSETS:
        raise Http404(name)
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if name.endswith(".map"):
        content_type = "application/json"
    response = FileResponse((SWAGGER_UI / name).open("rb"), content_type=content_type)
    response["Cache-Control"] = "public, max-age=86400"
    return response
