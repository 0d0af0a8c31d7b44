"""Rectification tasks (整改任务) with the unit's feedback and the automatic re-checks
(复核); self-inspection rounds (自查) with each unit's submitted report and results."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govsite.engine import ScanResult
from govsite.platform.campaigns.models import Campaign, CampaignSite
from govsite.platform.registry.models import Region, Site


class Task(models.Model):
    """A rectification task: one site of one campaign, the findings it covers, the unit
    responsible and a deadline."""

    class State(models.TextChoices):
        OPEN = "open", _("Awaiting rectification")
        RECHECKING = "rechecking", _("Re-check under way")
        CLOSED = "closed", _("Rectified")
        CLOSURE = "closure", _("Closure requested instead")

    entry = models.ForeignKey(CampaignSite, models.PROTECT, related_name="rectifications")
    site = models.ForeignKey(Site, models.PROTECT, related_name="rectifications")
    unit = models.CharField(_("unit responsible"), max_length=200)
    deadline = models.DateField(_("deadline"))
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.OPEN)
    note = models.TextField(_("requirements"), blank=True)
    created = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    closed = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["deadline", "pk"]
        constraints = [models.UniqueConstraint(fields=["entry"], name="one_task_per_entry")]

    def __str__(self) -> str:
        return f"{self.site.name} · {self.entry.campaign.name}"


class TaskFinding(models.Model):
    """One finding a task covers, or one a re-check found new, and where it stands."""

    class Status(models.TextChoices):
        OPEN = "open", _("Not yet fixed")
        FIXED = "fixed", _("Fixed")
        STILL_PRESENT = "still_present", _("Still present")

    task = models.ForeignKey(Task, models.CASCADE, related_name="findings")
    check_id = models.CharField(max_length=60)
    subject = models.TextField()
    url = models.TextField()
    severity = models.CharField(max_length=20)
    message = models.TextField()
    index = models.IntegerField(null=True, help_text="the finding's index in the campaign's scan result")
    found_by = models.ForeignKey("Recheck", models.CASCADE, null=True, related_name="new_findings")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    fixed = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]


class Feedback(models.Model):
    """What the unit says it fixed (整改反馈), with an optional attachment."""

    task = models.ForeignKey(Task, models.CASCADE, related_name="feedback")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    when = models.DateTimeField(default=timezone.now)
    text = models.TextField()
    attachment = models.CharField(max_length=500, blank=True, help_text="reference in platform.storage")
    attachment_name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["when", "pk"]


class Recheck(models.Model):
    """An automatic re-scan (复核) of a task's site with the campaign's frozen profile."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Scanning")
        DONE = "done", _("Done")
        FAILED = "failed", _("Scan failed")

    task = models.ForeignKey(Task, models.CASCADE, related_name="rechecks")
    feedback = models.ForeignKey(Feedback, models.SET_NULL, null=True, blank=True, related_name="rechecks")
    state = models.CharField(max_length=20, choices=State.choices, default=State.PENDING)
    requested = models.DateTimeField(default=timezone.now)
    as_of = models.DateTimeField(null=True, blank=True)
    claim = models.CharField(max_length=100, blank=True)  # the token of the run holding it (campaigns.claims)
    heartbeat = models.DateTimeField(null=True, blank=True)  # refreshed by that run while it scans
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)
    verdict = models.CharField(max_length=10, blank=True)
    score = models.FloatField(null=True, blank=True)
    result = models.JSONField(null=True, blank=True)
    warc = models.CharField(max_length=500, blank=True)
    outcomes = models.JSONField(default=list, help_text="per finding: check, subject, status, before, after")
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["requested", "pk"]

    @property
    def scan_result(self) -> ScanResult | None:
        """The re-scan as the engine's typed ``ScanResult``; None before it ended."""
        return ScanResult.from_data(self.result) if self.result else None


class SelfInspectionRound(models.Model):
    """A quarter's self-inspection (自查) that the units below a region report by a deadline."""

    name = models.CharField(_("name"), max_length=200)
    period = models.CharField(_("period"), max_length=20, help_text="e.g. 2017Q2")
    region = models.ForeignKey(Region, models.PROTECT, verbose_name=_("scope"))
    deadline = models.DateField(_("deadline"))
    minimum_coverage = models.DecimalField(_("minimum coverage"), max_digits=4, decimal_places=3)
    campaign = models.ForeignKey(
        Campaign, models.SET_NULL, null=True, blank=True, verbose_name=_("spot check compared with")
    )
    created = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["-deadline", "-pk"]

    def __str__(self) -> str:
        return self.name


class SelfReport(models.Model):
    """One unit's submission to a round: the report file and per-site results."""

    round = models.ForeignKey(SelfInspectionRound, models.CASCADE, related_name="reports")
    unit_key = models.CharField(max_length=220)
    unit_name = models.CharField(max_length=200)
    submitted = models.DateTimeField(default=timezone.now)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    report = models.CharField(max_length=500, help_text="reference in platform.storage")
    report_name = models.CharField(max_length=200)

    class Meta:
        ordering = ["unit_key"]
        constraints = [models.UniqueConstraint(fields=["round", "unit_key"], name="one_report_per_unit")]


class SelfResult(models.Model):
    """A unit's own verdict on one of its sites."""

    report = models.ForeignKey(SelfReport, models.CASCADE, related_name="results")
    site = models.ForeignKey(Site, models.PROTECT, related_name="self_results")
    score = models.FloatField(null=True, blank=True)
    verdict = models.CharField(max_length=10)
    checked_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["site__code"]
        constraints = [models.UniqueConstraint(fields=["report", "site"], name="one_result_per_site")]


class Reverification(models.Model):
    """A sample of a unit's self-checked sites scanned by the supervisor (抽样复核)."""

    round = models.ForeignKey(SelfInspectionRound, models.CASCADE, related_name="reverifications")
    unit_key = models.CharField(max_length=220)
    campaign = models.OneToOneField(Campaign, models.CASCADE, related_name="reverification")
