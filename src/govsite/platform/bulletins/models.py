"""A bulletin (通报) on a campaign: the free text supervisors edit, the accountability
actions (问责) they entered per problem site, and every export with its inputs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govsite.platform.campaigns.models import Campaign, CampaignSite
from govsite.platform.ledger.models import Ledger


class Bulletin(models.Model):
    campaign = models.ForeignKey(Campaign, models.PROTECT, related_name="bulletins", verbose_name=_("campaign"))
    ledger = models.ForeignKey(
        Ledger, models.SET_NULL, null=True, blank=True, related_name="bulletins", verbose_name=_("deduction ledger")
    )
    #: further campaigns when the bulletin covers a period (上半年: the two quarterly checks)
    more_campaigns = models.ManyToManyField(Campaign, blank=True, related_name="+",
                                            verbose_name=_("further campaigns of the period"))  # fmt: skip
    title = models.CharField(_("title"), max_length=200)
    issuer = models.CharField(_("issued by"), max_length=200)
    opening = models.TextField(_("opening paragraph"), blank=True)
    requirements = models.TextField(_("work requirements"), blank=True)
    issued = models.DateField(_("date of issue"))
    created = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True)

    class Meta:
        ordering = ["-issued", "-id"]
        verbose_name = _("bulletin")
        verbose_name_plural = _("bulletins")

    def __str__(self) -> str:
        return self.title


class Accountability(models.Model):
    """An accountability action (问责) taken over one problem site."""

    class Action(models.TextChoices):
        INTERVIEW = "interview", _("Talked to by the superior (约谈)")
        WRITTEN_REVIEW = "written_review", _("Written self-criticism (书面检查)")
        CRITICISM = "criticism", _("Criticised in a circular (通报批评)")
        TRANSFER = "transfer", _("Transferred from the post (调离岗位)")
        PARTY_WARNING = "party_warning", _("Party warning (党内警告)")
        SUSPENSION = "suspension", _("Suspended (停职)")

    bulletin = models.ForeignKey(Bulletin, models.CASCADE, related_name="actions")
    entry = models.ForeignKey(CampaignSite, models.CASCADE, related_name="accountability")
    action = models.CharField(_("action"), max_length=30, choices=Action.choices)
    people = models.PositiveIntegerField(_("people"), default=1)
    note = models.CharField(_("note"), max_length=500, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True)
    when = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]


class Export(models.Model):
    """One generated file, kept with the data it was made from (so it can be made again)."""

    bulletin = models.ForeignKey(Bulletin, models.CASCADE, related_name="exports")
    format = models.CharField(max_length=10)
    path = models.CharField(max_length=500)  # the file's reference in platform.storage
    digest = models.CharField(max_length=64)  # sha256 of the file
    inputs = models.JSONField()  # the assembled bulletin data, as written
    scan_verdicts = models.BooleanField(default=False)  # made from scan verdicts of unreviewed sites
    created = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]


def draft(campaign: Campaign, user: object = None) -> Bulletin:
    """The campaign's latest bulletin, or a new one to edit: its title from the campaign's
    name, issued today by the campaign's region (supervisors change both)."""
    found = campaign.bulletins.order_by("-created", "-pk").first()
    if found is not None:
        return found
    return Bulletin.objects.create(
        campaign=campaign,
        title=f"关于{campaign.name}情况的通报",
        issuer=campaign.region.name,
        issued=timezone.localdate(),
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
