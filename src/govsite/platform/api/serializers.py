"""What the API shows and accepts: every field named, so the schema is the response."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from govsite.engine import FAIL, PASS, REVIEW, SHIPPED
from govsite.platform.accounts.access import campaign_regions, can_review, owns_campaign
from govsite.platform.campaigns.models import Campaign, CampaignSite
from govsite.platform.campaigns.progress import summary
from govsite.platform.registry.models import Region, Site
from govsite.platform.review.actions import STATE_LABELS, Reviewed, reviewed_findings

VERDICTS = (PASS, FAIL, REVIEW)


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "name", "level"]
        read_only_fields = fields


class ContactsSerializer(serializers.ModelSerializer):
    class Meta:
        model = Site
        fields = ["head", "contact", "phone", "email"]
        read_only_fields = fields


class SiteSerializer(serializers.ModelSerializer):
    region = RegionSerializer(read_only=True)
    level_label = serializers.CharField(source="get_level_display", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    closure_overdue = serializers.BooleanField(
        read_only=True, help_text="A temporary closure (暂时关停) longer than 30 days."
    )
    contacts = ContactsSerializer(source="*", read_only=True)

    class Meta:
        model = Site
        fields = ["code", "name", "url", "organizer", "supervisor", "region", "level", "level_label", "kind",
                  "kind_label", "status", "status_label", "status_since", "closure_overdue", "contacts",
                  "updated"]  # fmt: skip
        read_only_fields = fields


class SiteFilterSerializer(serializers.Serializer):
    """Query parameters of the site list."""

    region = serializers.CharField(
        required=False, help_text="A 6-digit division code: sites of that region and the regions below it."
    )
    level = serializers.ChoiceField(choices=Site.Level.choices, required=False)
    kind = serializers.ChoiceField(choices=Site.Kind.choices, required=False)
    status = serializers.ChoiceField(choices=Site.Status.choices, required=False)

    def validate_region(self, value: str) -> Region:
        region = Region.objects.filter(code=value).first()
        if region is None:
            raise serializers.ValidationError(_("Unknown region code."))
        return region


class ProfileRefSerializer(serializers.Serializer):
    name = serializers.CharField(source="profile_name")
    version = serializers.CharField(source="profile_version")
    digest = serializers.CharField(source="profile_digest")


class ProgressSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    finished = serializers.IntegerField(help_text="done + failed")
    percent = serializers.IntegerField()
    pending = serializers.IntegerField()
    running = serializers.IntegerField()
    done = serializers.IntegerField()
    failed = serializers.IntegerField()


def progress(campaign: Campaign) -> dict[str, int]:
    """Counts of the campaign's sites by state (annotated by the view), as the page shows them."""
    return summary({state: getattr(campaign, f"n_{state}") for state in CampaignSite.State.values})


class CampaignSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    region = RegionSerializer(read_only=True)
    ratio = serializers.DecimalField(max_digits=4, decimal_places=3, min_value=Decimal(0), max_value=Decimal(1),
                                     coerce_to_string=False, read_only=True)  # fmt: skip
    profile = ProfileRefSerializer(source="*", read_only=True)
    created_by = serializers.CharField(
        source="created_by.username", allow_null=True, read_only=True, help_text="Who created it (username)."
    )
    progress = serializers.SerializerMethodField()

    class Meta:
        model = Campaign
        fields = ["id", "name", "kind", "kind_label", "region", "ratio", "seed", "as_of", "profile", "state",
                  "state_label", "created", "created_by", "started", "finished", "progress"]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(ProgressSerializer)
    def get_progress(self, campaign: Campaign) -> dict[str, int]:
        return progress(campaign)


class CampaignDetailSerializer(CampaignSerializer):
    can_run = serializers.SerializerMethodField(help_text="Whether the requesting user may start it.")
    can_review = serializers.SerializerMethodField(help_text="Whether the requesting user may review its findings.")

    class Meta(CampaignSerializer.Meta):
        fields = [*CampaignSerializer.Meta.fields, "can_run", "can_review"]
        read_only_fields = fields

    def get_can_run(self, campaign: Campaign) -> bool:
        return owns_campaign(self.context["request"].user, campaign)

    def get_can_review(self, campaign: Campaign) -> bool:
        return can_review(self.context["request"].user, campaign)


class CampaignFilterSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Campaign.Kind.choices, required=False)
    state = serializers.ChoiceField(choices=Campaign.State.choices, required=False)


class CampaignCreateSerializer(serializers.Serializer):
    """A census (普查) or spot check (抽查), drawn as the page draws it."""

    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(
        choices=[(k, Campaign.Kind(k).label) for k in (Campaign.Kind.CENSUS, Campaign.Kind.SPOT_CHECK)]
    )
    region = serializers.CharField(help_text="Division code of the scope; it must be within the user's jurisdiction.")
    ratio = serializers.DecimalField(
        max_digits=4, decimal_places=3, min_value=Decimal("0.001"), max_value=Decimal(1), default=Decimal("0.3"),
        coerce_to_string=False,
        help_text="Share of each stratum drawn by a spot check; a census takes every running site.",
    )  # fmt: skip
    seed = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=2**63 - 1,
        help_text="The sample's random seed; drawn at random and recorded when not given.",
    )  # fmt: skip
    as_of = serializers.DateTimeField(default=timezone.now, help_text="The monitoring time point; now when not given.")
    profile = serializers.ChoiceField(choices=list(SHIPPED), default=SHIPPED[0], help_text="The indicator profile.")

    def validate_region(self, value: str) -> Region:
        region = campaign_regions(self.context["request"].user).filter(code=value).first()
        if region is None:
            raise serializers.ValidationError(_("Choose a region within your jurisdiction."))
        return region


class SiteRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Site
        fields = ["code", "name", "url"]
        read_only_fields = fields


class VerdictField(serializers.ChoiceField):
    """A verdict, or null before the site was scanned (stored as an empty string)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=VERDICTS, allow_null=True, read_only=True, **kwargs)

    def to_representation(self, value: Any) -> Any:
        return value or None


class ResultSerializer(serializers.ModelSerializer):
    site = SiteRefSerializer(read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    verdict = VerdictField(help_text="The scan's verdict.")
    final_verdict = VerdictField(help_text="The verdict after review (the scan's until a person changed it).")

    class Meta:
        model = CampaignSite
        fields = ["site", "stratum", "state", "state_label", "verdict", "score", "final_verdict", "final_score",
                  "error", "started", "finished"]  # fmt: skip
        read_only_fields = fields


class ReviewedFindingSerializer(serializers.Serializer):
    index = serializers.IntegerField(allow_null=True, help_text="Index in the scan's findings; null for a manual one.")
    check = serializers.CharField(source="finding.check", help_text="A check id of docs/checks.md.")
    subject = serializers.CharField(source="finding.subject")
    url = serializers.CharField(source="finding.url")
    severity = serializers.ChoiceField(
        source="finding.severity", choices=["serious", "normal", "suspected"],
        help_text="As reviewed: a confirmed suspected finding counts as normal.",
    )  # fmt: skip
    message = serializers.CharField(source="finding.message")
    data = serializers.DictField(source="finding.data")
    state = serializers.ChoiceField(choices=list(STATE_LABELS))
    state_label = serializers.CharField()
    counted = serializers.BooleanField(help_text="Whether it counts in the reviewed verdict.")


class ResultDetailSerializer(ResultSerializer):
    scan = serializers.SerializerMethodField(
        help_text="The stored scan result, as `govsite scan --format json` writes it (docs/checks.md); "
        "null before the site was scanned."
    )
    findings = serializers.SerializerMethodField(help_text="The scan's findings and manual ones, as reviewed.")
    resolved_checks = serializers.SerializerMethodField(
        help_text="Checks the scan could not decide that a person decided."
    )

    class Meta(ResultSerializer.Meta):
        fields = [*ResultSerializer.Meta.fields, "scan", "findings", "resolved_checks"]
        read_only_fields = fields

    @extend_schema_field({"type": "object", "additionalProperties": {}, "nullable": True})
    def get_scan(self, entry: CampaignSite) -> Any:
        return entry.result

    @extend_schema_field(ReviewedFindingSerializer(many=True))
    def get_findings(self, entry: CampaignSite) -> Any:
        reviewed: list[Reviewed] = reviewed_findings(entry)
        return ReviewedFindingSerializer(reviewed, many=True).data

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_resolved_checks(self, entry: CampaignSite) -> list[str]:
        return sorted(entry.resolutions.values_list("check_name", flat=True))
