"""The error reports (我为政府网站找错) in the API: the reports a user may see, the national
platform's messages imported by script (keeping their national ids), the replies
exported in the exchange layout, and the figures. Thin over ``jiucuo`` and ``access``."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from govsite.platform.accounts.access import can_exchange_reports, reassign_targets, visible_reports
from govsite.platform.api.errors import responses
from govsite.platform.api.views import Pages, filters
from govsite.platform.jiucuo import exchange, figures
from govsite.platform.jiucuo.deadlines import days_overdue
from govsite.platform.jiucuo.models import Report
from govsite.platform.jiucuo.workdays import load_calendar
from govsite.platform.registry.tabular import ImportRejected, RowError


class ReportSerializer(serializers.ModelSerializer):
    number = serializers.CharField(read_only=True, help_text="The ticket number (受理编号), e.g. JC00000042.")
    site = serializers.CharField(source="site.code", read_only=True, help_text="The site's 网站标识码.")
    site_name = serializers.CharField(source="site.name", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    overdue_days = serializers.SerializerMethodField(help_text="Working days past the deadline (0: on time).")
    reply = serializers.SerializerMethodField(help_text="The reply, once the report is closed (办结).")

    class Meta:
        model = Report
        fields = ["number", "national_id", "source", "site", "site_name", "kind", "kind_label", "page_url",
                  "description", "received", "state", "state_label", "due", "closed_at", "overdue_days", "reply",
                  "invalid_reason"]  # fmt: skip
        read_only_fields = fields

    def get_overdue_days(self, report: Report) -> int:
        return days_overdue(report, timezone.localdate(), self.context["calendar"])

    def get_reply(self, report: Report) -> str:
        return report.reply if report.state == Report.State.CLOSED else ""


class ReportFilterSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=Report.State.choices, required=False)
    site = serializers.CharField(required=False, help_text="A 网站标识码.")


class RecordSerializer(serializers.Serializer):
    """One message of the national platform, with the import layout's keys (docs/jiucuo.md)."""

    national_id = serializers.CharField(help_text="留言编号: the national platform's id, kept; one report per id.")
    site_code = serializers.CharField(help_text="网站标识码 of a site in the importer's region.")
    kind = serializers.CharField(
        help_text="问题类型: broken, stale, content, unanswered, service, other, or its Chinese label."
    )
    page_url = serializers.CharField(required=False, allow_blank=True)
    description = serializers.CharField()
    received = serializers.CharField(help_text="留言时间: ISO 8601, or YYYY-MM-DD HH:MM[:SS] in China time.")
    contact = serializers.CharField(
        required=False, allow_blank=True, help_text="Phone or e-mail; never shown publicly."
    )


class ImportedSerializer(serializers.Serializer):
    created = serializers.ListField(child=serializers.CharField(), help_text="Ticket numbers of the new reports.")
    skipped = serializers.ListField(child=serializers.CharField(), help_text="National ids already imported.")


class RowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="The record's position, from 1.")
    column = serializers.CharField()
    message = serializers.CharField()


class RejectedSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()
    errors = RowErrorSerializer(many=True)


class ReplySerializer(serializers.Serializer):
    """One report in the replies' export layout (the .csv/.xlsx columns, docs/jiucuo.md)."""

    national_id = serializers.CharField()
    number = serializers.CharField()
    site_code = serializers.CharField()
    site_name = serializers.CharField()
    kind = serializers.CharField()
    received = serializers.CharField()
    state = serializers.CharField()
    due = serializers.CharField()
    closed = serializers.CharField()
    on_time = serializers.CharField(help_text="是 / 否, empty while open.")
    reply = serializers.CharField()
    invalid_reason = serializers.CharField()


class FiguresQuerySerializer(serializers.Serializer):
    start = serializers.DateField(required=False, help_text="First day of receipt; default: this quarter's.")
    end = serializers.DateField(required=False, help_text="Last day of receipt; default: this quarter's.")
    by = serializers.ChoiceField(choices=[(g, g) for g in figures.GROUPS], required=False, default="unit")


class TallySerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    received = serializers.IntegerField()
    valid = serializers.IntegerField()
    closed = serializers.IntegerField()
    closed_rate = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True, help_text="办结率, %")
    on_time_rate = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True, help_text="按期办结率, %")
    overdue = serializers.IntegerField()
    overdue_days = serializers.IntegerField()
    undated = serializers.IntegerField(help_text="Valid reports without a deadline (no holiday calendar yet).")


class FiguresSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    by = serializers.CharField()
    rows = TallySerializer(many=True)
    total = TallySerializer()


def _exchanging(request: Request) -> None:
    if not can_exchange_reports(request.user):
        raise PermissionDenied(_("You may not import or export reports."))


@extend_schema(tags=["error reports"], parameters=[ReportFilterSerializer],
               responses={200: ReportSerializer(many=True), **responses(400, 401)})  # fmt: skip
class ReportList(generics.ListAPIView):
    """The error reports (我为政府网站找错) about the sites the user supervises or operates; contacts are never shown."""

    serializer_class = ReportSerializer
    pagination_class = Pages

    def get_queryset(self) -> QuerySet[Report]:
        wanted = filters(ReportFilterSerializer, self.request)
        found = visible_reports(self.request.user).select_related("site").order_by("pk")
        if "site" in wanted:
            found = found.filter(site__code=wanted["site"])
        if "state" in wanted:
            found = found.filter(state=wanted["state"])
        return found

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "calendar": load_calendar()}


@extend_schema(tags=["error reports"], request=RecordSerializer(many=True),
               responses={201: ImportedSerializer, 400: RejectedSerializer, **responses(401, 403)})  # fmt: skip
class ReportImport(generics.GenericAPIView):
    """Import messages forwarded by the national platform: all or nothing, one report per
    national id (an id already imported is skipped, so a script may send a batch again)."""

    serializer_class = RecordSerializer

    def post(self, request: Request) -> Response:
        _exchanging(request)
        records = request.data
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            problem = RowError(0, "", str(_("Send a JSON list of records.")))
            return self._rejected([problem])
        try:
            done = exchange.ingest(records, reassign_targets(request.user))
        except ImportRejected as exc:
            return self._rejected(exc.errors)
        body = {"created": [r.number for r in done.created], "skipped": done.skipped}
        return Response(body, status=status.HTTP_201_CREATED)

    def _rejected(self, errors: list[RowError]) -> Response:
        body = {"detail": str(_("Nothing was imported: some records are invalid.")), "code": "invalid",
                "errors": [{"row": e.row, "column": e.column, "message": e.message} for e in errors]}  # fmt: skip
        return Response(body, status=status.HTTP_400_BAD_REQUEST)


@extend_schema(tags=["error reports"], responses={200: ReplySerializer(many=True), **responses(401, 403)})
class ReplyList(generics.ListAPIView):
    """Every report the user may see in the replies' export layout, for the national platform."""

    serializer_class = ReplySerializer
    pagination_class = Pages

    def get_queryset(self) -> QuerySet[Report]:
        _exchanging(self.request)
        return visible_reports(self.request.user).select_related("site").order_by("pk")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response([exchange.reply_record(r) for r in page or []])


@extend_schema(tags=["error reports"], parameters=[FiguresQuerySerializer],
               responses={200: FiguresSerializer, **responses(400, 401)})  # fmt: skip
class Figures(generics.GenericAPIView):
    """Received, valid, 办结率, 按期办结率, overdue count and days, per unit, region or site,
    for the reports the user may see received in the period (docs/jiucuo.md defines each)."""

    serializer_class = FiguresSerializer

    def get(self, request: Request) -> Response:
        wanted = filters(FiguresQuerySerializer, request)
        first, last = figures.quarter_of(timezone.localdate())
        start: date = wanted.get("start", first)
        end: date = wanted.get("end", last)
        rows, total = figures.tallies(visible_reports(request.user), start, end, wanted["by"])
        body = {"start": start, "end": end, "by": wanted["by"], "rows": rows, "total": total}
        return Response(FiguresSerializer(body).data)
