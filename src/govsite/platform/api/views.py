"""The v1 endpoints: thin over ``access.py`` (what a user sees and may do), ``sampling``
(creating a campaign), the executor (running one) and ``review.actions`` (findings)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.exceptions import APIException, NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from govsite.engine import ProfileError
from govsite.platform.accounts.access import visible_campaigns, visible_entries, visible_sites
from govsite.platform.api import serializers as s
from govsite.platform.api.errors import responses
from govsite.platform.api.permissions import CreatesCampaigns, RunsCampaign
from govsite.platform.campaigns.executor import engine_config, start_in_background
from govsite.platform.campaigns.models import Campaign, CampaignSite
from govsite.platform.campaigns.sampling import create_campaign
from govsite.platform.registry.models import Site


class Pages(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def filters(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    """The list's query parameters, checked (a bad value is a 400, never silently ignored)."""
    checked = serializer_class(data=request.query_params)
    checked.is_valid(raise_exception=True)
    return dict(checked.validated_data)


# -- sites -------------------------------------------------------------------------------------


@extend_schema(tags=["sites"], parameters=[s.SiteFilterSerializer], responses={200: s.SiteSerializer(many=True),
               **responses(400, 401)})  # fmt: skip
class SiteList(generics.ListAPIView):
    """The registered sites the user may see, by 网站标识码."""

    serializer_class = s.SiteSerializer
    pagination_class = Pages

    def get_queryset(self) -> QuerySet[Site]:
        sites = visible_sites(self.request.user).select_related("region")
        wanted = filters(s.SiteFilterSerializer, self.request)
        if "region" in wanted:
            sites = sites.filter(region__code__in=wanted.pop("region").descendant_codes())
        return sites.filter(**wanted).order_by("code")


@extend_schema(tags=["sites"], responses={200: s.SiteSerializer, **responses(401, 404)})
class SiteDetail(generics.RetrieveAPIView):
    """One site by its 网站标识码."""

    serializer_class = s.SiteSerializer
    lookup_field = "code"

    def get_queryset(self) -> QuerySet[Site]:
        return visible_sites(self.request.user).select_related("region")

    def get_object(self) -> Site:
        found = self.get_queryset().filter(code=self.kwargs["code"]).first()
        if found is None:
            raise NotFound(_("No such site, or you may not see it."))
        return found


# -- campaigns ---------------------------------------------------------------------------------


def campaigns_of(user: Any) -> QuerySet[Campaign]:
    """The campaigns ``user`` may see, with the sites they may see counted by state (a city
    in the province's campaign counts its own)."""
    mine = Q(sites__site__in=visible_sites(user))
    counts = {f"n_{state}": Count("sites", filter=Q(sites__state=state) & mine) for state in CampaignSite.State.values}
    return (
        Campaign.objects.filter(pk__in=visible_campaigns(user).values("pk"))
        .select_related("region", "created_by")
        .annotate(**counts)
        .order_by("-created", "-id")  # a grouped query drops Meta.ordering
    )


def campaign_of(request: Request, pk: int) -> Campaign:
    found = campaigns_of(request.user).filter(pk=pk).first()
    if found is None:
        raise NotFound(_("No such campaign, or you may not see it."))
    return found


@extend_schema_view(
    get=extend_schema(
        parameters=[s.CampaignFilterSerializer], responses={200: s.CampaignSerializer(many=True), **responses(400, 401)}
    ),
    post=extend_schema(
        request=s.CampaignCreateSerializer, responses={201: s.CampaignDetailSerializer, **responses(400, 401, 403)}
    ),
)
@extend_schema(tags=["campaigns"])
class CampaignList(generics.ListCreateAPIView):
    """The campaigns the user may see; supervisors create a census or spot check in their region."""

    serializer_class = s.CampaignSerializer
    pagination_class = Pages
    permission_classes = [IsAuthenticated, CreatesCampaigns]

    def get_queryset(self) -> QuerySet[Campaign]:
        return campaigns_of(self.request.user).filter(**filters(s.CampaignFilterSerializer, self.request))

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = s.CampaignCreateSerializer(data=request.data, context=self.get_serializer_context())
        given.is_valid(raise_exception=True)
        try:
            made = create_campaign(user=request.user, **given.validated_data)
        except (DjangoValidationError, ValueError, ProfileError) as exc:
            raise ValidationError({"non_field_errors": getattr(exc, "messages", [str(exc)])}) from exc
        shown = s.CampaignDetailSerializer(campaign_of(request, made.pk), context=self.get_serializer_context())
        return Response(shown.data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["campaigns"], responses={200: s.CampaignDetailSerializer, **responses(401, 404)})
class CampaignDetail(generics.RetrieveAPIView):
    """One campaign with its progress."""

    serializer_class = s.CampaignDetailSerializer

    def get_object(self) -> Campaign:
        return campaign_of(self.request, self.kwargs["pk"])


@extend_schema(tags=["campaigns"], request=None, responses={202: s.CampaignDetailSerializer,
               **responses(401, 403, 404, 409)})  # fmt: skip
class CampaignRun(generics.GenericAPIView):
    """Start scanning the campaign's sites not yet done (failed ones again) in this server's
    executor; follow the progress on the campaign. 409 when it already runs or nothing is left."""

    serializer_class = s.CampaignDetailSerializer
    permission_classes = [IsAuthenticated, RunsCampaign]

    def post(self, request: Request, pk: int) -> Response:
        campaign = campaign_of(request, pk)
        self.check_object_permissions(request, campaign)
        if not start_in_background(campaign, engine_config()):  # (it finishes a done one)
            if campaign.sites.exclude(state=CampaignSite.State.DONE).exists():
                raise Conflict(_("The campaign is already running."))
            raise Conflict(_("Every site of this campaign has been scanned."))
        return Response(self.get_serializer(campaign_of(request, pk)).data, status=status.HTTP_202_ACCEPTED)


# -- results -----------------------------------------------------------------------------------


def results_of(request: Request, pk: int) -> QuerySet[CampaignSite]:
    """The campaign's sampled sites the user may see: a site operator sees only their own."""
    campaign = campaign_of(request, pk)
    return visible_entries(request.user, campaign).select_related("site").order_by("site__code")


@extend_schema(tags=["results"], responses={200: s.ResultSerializer(many=True), **responses(401, 404)})
class ResultList(generics.ListAPIView):
    """Every sampled site of the campaign the user may see: state, verdicts, score, error."""

    serializer_class = s.ResultSerializer
    pagination_class = Pages

    def get_queryset(self) -> QuerySet[CampaignSite]:
        return results_of(self.request, self.kwargs["pk"]).defer("result")  # a list never shows the result


@extend_schema(tags=["results"], responses={200: s.ResultDetailSerializer, **responses(401, 404)})
class ResultDetail(generics.RetrieveAPIView):
    """One site's full result: the stored scan and the findings as reviewed."""

    serializer_class = s.ResultDetailSerializer

    def get_object(self) -> CampaignSite:
        found = results_of(self.request, self.kwargs["pk"]).filter(site__code=self.kwargs["code"]).first()
        if found is None:
            raise NotFound(_("No result for this site in the campaign, or you may not see it."))
        return found
