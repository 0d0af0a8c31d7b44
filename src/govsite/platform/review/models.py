"""Decisions on findings, manual findings, resolved checks, and the audit trail."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govsite.engine import CHECK_IDS
from govsite.platform.campaigns.models import Campaign, CampaignSite


class Decision(models.Model):
    """An inspector's current decision on one automated finding."""

    class State(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirm")
        DISMISSED = "dismissed", _("Dismiss")

    entry = models.ForeignKey(CampaignSite, models.CASCADE, related_name="decisions")
    index = models.PositiveIntegerField(help_text="the finding's index in the scan result")
    check_id = models.CharField(max_length=60)
    subject = models.TextField()
    state = models.CharField(max_length=20, choices=State.choices)
    reason = models.TextField(blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT)
    when = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "index"], name="one_decision_per_finding")]


class ManualFinding(models.Model):
    """A finding a person made (what no machine can judge)."""

    class Severity(models.TextChoices):
        SERIOUS = "serious", _("Serious")
        NORMAL = "normal", _("Ordinary")

    entry = models.ForeignKey(CampaignSite, models.CASCADE, related_name="manual_findings")
    check_id = models.CharField(max_length=60, choices=[(c, c) for c in CHECK_IDS])
    subject = models.TextField()
    url = models.TextField()
    severity = models.CharField(max_length=20, choices=Severity.choices)
    message = models.TextField()
    withdrawn = models.BooleanField(default=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT)
    when = models.DateTimeField(default=timezone.now)


class Resolution(models.Model):
    """A check the scan could not decide, decided by a person as passing."""

    entry = models.ForeignKey(CampaignSite, models.CASCADE, related_name="resolutions")
    check_name = models.CharField(max_length=60)
    reason = models.TextField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT)
    when = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "check_name"], name="one_resolution_per_check")]


class AuditEntry(models.Model):
    """Who did what, when, and why."""

    when = models.DateTimeField(default=timezone.now)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True)
    action = models.CharField(max_length=60)
    campaign = models.ForeignKey(Campaign, models.CASCADE, null=True, related_name="audit")
    entry = models.ForeignKey(CampaignSite, models.CASCADE, null=True, related_name="audit")
    detail = models.JSONField(default=dict)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-when", "-id"]
