"""What the monitor keeps: one row per site and hour with the probes' tallies (not one
row per probe: 20,000 sites × 24 hours × 7 days is 3.4 million small rows), the same
tallies rolled up per site and China Standard Time day (what the uptime page adds up: 7
rows a site, not 168), the watch of each site (its public state, when it is next probed, its recent
changes) and the alerts sent."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from govsite.platform.registry.models import Site


class ProbeHour(models.Model):
    """The probes of one site in one hour (UTC hour start)."""

    site = models.ForeignKey(Site, models.CASCADE, related_name="probe_hours")
    hour = models.DateTimeField(db_index=True)
    up = models.PositiveSmallIntegerField(default=0)
    down = models.PositiveSmallIntegerField(default=0)  # confirmed failures: the 5 % rule counts these
    blocked = models.PositiveSmallIntegerField(default=0)  # we were refused, not the public
    errors = models.PositiveSmallIntegerField(default=0)  # our own faults
    last_outcome = models.CharField(max_length=20, blank=True)  # failure class of the hour's last failure

    class Meta:
        constraints = [models.UniqueConstraint(fields=["site", "hour"], name="one_tally_per_site_hour")]


class ProbeDay(models.Model):
    """The probes of one site in one day (China Standard Time, the days of the 站点无法访问
    rule): the sum of its :class:`ProbeHour` rows of that day, kept with them in the same
    transaction (runner.record)."""

    site = models.ForeignKey(Site, models.CASCADE, related_name="probe_days")
    day = models.DateField(db_index=True)
    up = models.PositiveIntegerField(default=0)
    down = models.PositiveIntegerField(default=0)
    blocked = models.PositiveIntegerField(default=0)
    errors = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["site", "day"], name="one_tally_per_site_day")]


class Watch(models.Model):
    """A site under monitoring."""

    class State(models.TextChoices):
        UNKNOWN = "unknown", _("Not probed yet")
        UP = "up", _("Reachable")
        DOWN = "down", _("Unreachable")

    site = models.OneToOneField(Site, models.CASCADE, related_name="watch")
    state = models.CharField(max_length=10, choices=State.choices, default=State.UNKNOWN)
    alerted = models.CharField(max_length=10, choices=State.choices, default=State.UNKNOWN)  # last state alerted
    since = models.DateTimeField(null=True, blank=True)  # when the state began
    flips = models.JSONField(default=list)  # ISO times of recent state changes (flap suppression)
    quiet = models.BooleanField(default=False)  # flapping: alerts held until it settles
    next_probe = models.DateTimeField(db_index=True)
    last_probe = models.DateTimeField(null=True, blank=True)
    last_result = models.CharField(max_length=10, blank=True)  # up | down | blocked | error
    last_outcome = models.CharField(max_length=20, blank=True)


class Alert(models.Model):
    class Kind(models.TextChoices):
        DOWN = "down", _("Went down")
        UP = "up", _("Came back")
        FLAPPING = "flapping", _("Flapping")

    site = models.ForeignKey(Site, models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    at = models.DateTimeField()
    message = models.TextField()
    mailed = models.PositiveIntegerField(default=0)  # recipients the mail went to
    webhook = models.CharField(max_length=200, blank=True)  # the webhook's answer ("HTTP 200", or the error)

    class Meta:
        ordering = ["-at", "-id"]
