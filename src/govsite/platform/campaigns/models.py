"""A campaign freezes its scope, sample (with the seed that drew it) and profile."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govsite.engine import Profile, Reviewed, ScanResult, parse_profile
from govsite.platform.registry.models import Region, Site


class Campaign(models.Model):
    class Kind(models.TextChoices):
        CENSUS = "census", _("Census")
        SPOT_CHECK = "spot_check", _("Spot check")
        SELF_CHECK = "self_check", _("Self-check")  # one site, on its operator's demand; not a supervision result

    class State(models.TextChoices):
        READY = "ready", _("Ready")
        RUNNING = "running", _("Running")
        FINISHED = "finished", _("Finished")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    region = models.ForeignKey(Region, models.PROTECT, verbose_name=_("scope"))
    ratio = models.DecimalField(_("sampling ratio"), max_digits=4, decimal_places=3, default=1)
    seed = models.BigIntegerField(_("random seed"))
    as_of = models.DateTimeField(_("as of"))
    profile_name = models.CharField(_("indicator profile"), max_length=100)
    profile_version = models.CharField(max_length=50)
    profile_digest = models.CharField(max_length=64)
    profile_text = models.TextField(help_text="the profile file as it was when the campaign was created")
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.READY)
    created = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True)
    inspectors = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="inspected_campaigns")
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self) -> str:
        return self.name

    def profile(self) -> Profile:
        return parse_profile(self.profile_text, f"campaign {self.pk} profile {self.profile_name}")


class CampaignSite(models.Model):
    """One sampled site of a campaign and how its scan went."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Scanning")
        DONE = "done", _("Done")
        FAILED = "failed", _("Scan failed")

    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="sites")
    site = models.ForeignKey(Site, models.PROTECT, related_name="campaign_entries")
    stratum = models.CharField(_("stratum"), max_length=100)
    state = models.CharField(max_length=20, choices=State.choices, default=State.PENDING)
    verdict = models.CharField(max_length=10, blank=True)  # the scan's
    score = models.FloatField(null=True, blank=True)
    final_verdict = models.CharField(max_length=10, blank=True)  # after review (the scan's until then)
    final_score = models.FloatField(null=True, blank=True)
    result = models.JSONField(null=True, blank=True)  # large: lists and pages defer it and read the two below
    counts = models.JSONField(default=dict, blank=True)  # finding_counts() of the reviewed findings
    homepage_url = models.TextField(blank=True)  # where the scan's homepage request landed
    warc = models.CharField(max_length=500, blank=True)
    error = models.TextField(blank=True)
    claim = models.CharField(max_length=100, blank=True)  # the token of the run holding a running site
    heartbeat = models.DateTimeField(null=True, blank=True)  # refreshed by that run while it scans
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["campaign", "site__code"]
        constraints = [models.UniqueConstraint(fields=["campaign", "site"], name="one_entry_per_site")]

    @property
    def scan_result(self) -> ScanResult | None:
        """The stored result as the engine's typed ``ScanResult``; None before a scan ended.
        Read once per loaded ``result`` (a new value is read again)."""
        if not self.result:
            return None
        cached = self.__dict__.get("_scan_result")
        if cached is None or cached[0] is not self.result:
            cached = (self.result, ScanResult.from_data(self.result))
            self.__dict__["_scan_result"] = cached
        return cached[1]

    @property
    def counted(self) -> dict[str, int]:
        """Findings that count in the reviewed verdict, by check id (from ``counts``)."""
        return dict(self.counts.get("counted", {}))

    @property
    def suspected(self) -> dict[str, int]:
        """Machine doubts nobody confirmed or dismissed (not counted), by check id."""
        return dict(self.counts.get("suspected", {}))

    @property
    def awaiting(self) -> int:
        """How many of the scan's findings nobody has decided yet."""
        return int(self.counts.get("pending", 0))


def finding_counts(reviewed: Iterable[Reviewed]) -> dict[str, Any]:
    """What ``CampaignSite.counts`` keeps, from the findings as reviewed
    (``engine.reviewed``): counted findings and unconfirmed, undismissed doubts by check
    id, and the number of findings nobody decided. Written when a result is saved and
    each time a review recomputes the verdict, so the pages that list many sites never
    read the result itself."""
    counted: dict[str, int] = {}
    suspected: dict[str, int] = {}
    pending = 0
    for r in reviewed:
        if r.counted:
            counted[r.finding.check] = counted.get(r.finding.check, 0) + 1
        elif r.state != "dismissed":
            suspected[r.finding.check] = suspected.get(r.finding.check, 0) + 1
        pending += r.state == "pending"
    return {"counted": counted, "suspected": suspected, "pending": pending}
