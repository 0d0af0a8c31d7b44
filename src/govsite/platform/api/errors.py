"""One shape for every API error: ``{"detail", "code"}``, plus ``fields`` for invalid input."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail, ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, in the user's language.")
    code = serializers.CharField(
        help_text="A stable code: not_authenticated, permission_denied, not_found, conflict, …"
    )


class InvalidSerializer(ErrorSerializer):
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Per field (or non_field_errors), its messages.",
    )


def handle(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, with its body reshaped; Django's Http404 and PermissionDenied included."""
    response = exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(exc, ValidationError):
        fields = data if isinstance(data, dict) else {"non_field_errors": data}
        response.data = {"detail": str(_("Some of the input is invalid.")), "code": "invalid", "fields": fields}
    else:
        detail = data.get("detail", "") if isinstance(data, dict) else data
        code = detail.code if isinstance(detail, ErrorDetail) else "error"
        response.data = {"detail": str(detail), "code": code}
    return response


_DESCRIPTIONS = {
    400: "Invalid input: `fields` names each problem.",
    401: "No credentials, or a bad token.",
    403: "The user's role does not allow this (or, for a session, the CSRF token is missing).",
    404: "No such object, or the user may not see it: the two are not told apart.",
    409: "The request conflicts with the object's state.",
}


def responses(*codes: int) -> dict[int, OpenApiResponse]:
    """The schema's error responses for ``codes``."""
    return {
        code: OpenApiResponse(InvalidSerializer if code == 400 else ErrorSerializer, description=_DESCRIPTIONS[code])
        for code in codes
    }
