"""A deduction ledger (日常考核扣分): the rules it was computed with, the quarterly
campaigns it counts, the self-inspection rounds whose missing reports it charges, and the
lines supervisors entered (inputs handled outside the platform, manual deductions and
bonuses)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govsite.platform.campaigns.models import Campaign
from govsite.platform.ledger.rules import Rules, parse
from govsite.platform.rectification.models import SelfInspectionRound
from govsite.platform.registry.models import Region


class Ledger(models.Model):
    name = models.CharField(_("name"), max_length=200)
    region = models.ForeignKey(Region, models.PROTECT, verbose_name=_("supervising region"))
    rules_name = models.CharField(_("deduction rules"), max_length=100)
    rules_text = models.TextField(help_text="the rules file as it was when the ledger was created")
    #: error reports (我为政府网站找错) received in this period count when overdue; unset: none counted
    reports_from = models.DateField(_("error reports received from"), null=True, blank=True)
    reports_to = models.DateField(_("error reports received until"), null=True, blank=True)
    #: rounds over the ledger's region: each unit that never reported to one loses the
    #: ``missing_report`` points (``compute.missing_report_lines``)
    rounds = models.ManyToManyField(
        SelfInspectionRound, blank=True, related_name="ledgers", verbose_name=_("self-inspection rounds")
    )
    created = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("deduction ledger")
        verbose_name_plural = _("deduction ledgers")

    def __str__(self) -> str:
        return self.name

    def rules(self) -> Rules:
        return parse(self.rules_text, f"ledger {self.pk} rules {self.rules_name}")


class LedgerCampaign(models.Model):
    """A quarterly check the ledger counts. Sites closed (or whose closure was requested)
    on or before ``results_published`` are left out of that quarter (seed 004: 菏泽市 4
    家不合格网站在抽查情况公示前已进行了关停，不计入当季考核成绩)."""

    ledger = models.ForeignKey(Ledger, models.CASCADE, related_name="campaigns")
    campaign = models.ForeignKey(Campaign, models.PROTECT, related_name="ledgers")
    quarter = models.CharField(_("quarter"), max_length=20)  # as the rules name it: 一季度
    results_published = models.DateField(_("results published on"))

    class Meta:
        ordering = ["campaign__as_of", "pk"]
        constraints = [models.UniqueConstraint(fields=["ledger", "campaign"], name="one_quarter_per_campaign")]


class LedgerLine(models.Model):
    """A line a supervisor entered for one unit, with its reason."""

    class Kind(models.TextChoices):
        OVERDUE_RECTIFICATION = "overdue_rectification", _("Rectification not done by its deadline")
        OVERDUE_REPORTS = "overdue_reports", _("Error reports handled late")
        MISSING_REPORT = "missing_report", _("Self-inspection report not submitted")
        STALE_RECORDS = "stale_records", _("Registry records left stale")
        MANUAL = "manual", _("Other deduction")
        BONUS = "bonus", _("Bonus")

    ledger = models.ForeignKey(Ledger, models.CASCADE, related_name="lines")
    unit_type = models.CharField(_("unit type"), max_length=30)
    unit = models.CharField(_("unit"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    count = models.PositiveIntegerField(_("count"), default=1)
    points = models.PositiveIntegerField(_("points"), null=True, blank=True)  # other deductions and bonuses only
    reason = models.CharField(_("reason"), max_length=500)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True)
    when = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
