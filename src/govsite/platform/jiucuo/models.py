"""Error reports (我为政府网站找错 messages), their audit trail, screenshots, and the
editable holiday table the working-day deadlines read (``workdays.py``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govsite.platform.registry.models import Site

#: Ticket numbers are the primary key with this prefix: unique under any concurrency.
NUMBER_PREFIX = "JC"


class Report(models.Model):
    """One message from the public (or forwarded by the national platform) about a site."""

    class Kind(models.TextChoices):
        BROKEN = "broken", _("Page cannot be opened / broken link")
        STALE = "stale", _("Information not updated")
        CONTENT = "content", _("Wrong content / typos")
        UNANSWERED = "unanswered", _("Enquiry not answered")
        SERVICE = "service", _("Online service problem")
        OTHER = "other", _("Other")

    class State(models.TextChoices):
        NEW = "new", _("Awaiting acceptance")
        ACCEPTED = "accepted", _("Being handled")
        REPLIED = "replied", _("Reply drafted")
        CLOSED = "closed", _("Handled and closed")
        INVALID = "invalid", _("Invalid")

    class Source(models.TextChoices):
        PUBLIC = "public", _("Public form")
        NATIONAL = "national", _("National platform")

    site = models.ForeignKey(Site, models.PROTECT, related_name="error_reports", verbose_name=_("site"))
    kind = models.CharField(_("problem type"), max_length=20, choices=Kind.choices)
    page_url = models.CharField(_("page address"), max_length=500, blank=True)
    description = models.TextField(_("description"))
    contact = models.CharField(
        _("contact details"), max_length=100, blank=True
    )  # never shown publicly; masked in lists
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.PUBLIC)
    national_id = models.CharField(_("national id"), max_length=64, unique=True, null=True, blank=True)
    form_key = models.UUIDField(unique=True, null=True, blank=True)  # one ticket per form (idempotency key)
    code_digest = models.CharField(max_length=64, blank=True)  # sha256 of the query code
    client = models.CharField(max_length=32, blank=True)  # keyed hash of the sender's address (rate limits)
    received = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.NEW)
    due = models.DateField(_("handling deadline"), null=True, blank=True)  # None: no holiday calendar for that year yet
    accepted_at = models.DateTimeField(null=True, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    reply = models.TextField(_("reply"), blank=True)
    invalid_reason = models.TextField(_("reason"), blank=True)
    returns = models.PositiveIntegerField(default=0)
    reminded_for = models.DateField(null=True, blank=True)  # the due date a reminder was sent for

    class Meta:
        ordering = ["-received", "-id"]
        indexes = [models.Index(fields=["client", "received"]), models.Index(fields=["state", "due"])]
        verbose_name = _("error report")
        verbose_name_plural = _("error reports")

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        """The ticket number (受理编号), e.g. JC00000042."""
        return f"{NUMBER_PREFIX}{self.pk:08d}"

    @staticmethod
    def pk_of(number: str) -> int | None:
        number = number.strip().upper()
        digits = number[len(NUMBER_PREFIX) :]
        if not number.startswith(NUMBER_PREFIX) or not digits.isascii() or not digits.isdigit() or len(digits) > 15:
            return None
        return int(digits)

    @property
    def is_open(self) -> bool:
        return self.state in (Report.State.NEW, Report.State.ACCEPTED, Report.State.REPLIED)


class Screenshot(models.Model):
    """The re-encoded picture sent with a report (PNG; nothing of the upload but its pixels)."""

    report = models.OneToOneField(Report, models.CASCADE, related_name="screenshot")
    data = models.BinaryField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()


class Step(models.Model):
    """One step of a report's handling, for the audit trail: who, when, what, why."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted by the public")
        IMPORTED = "imported", _("Imported from the national platform")
        ACCEPTED = "accepted", _("Accepted")
        REPLIED = "replied", _("Replied")
        CLOSED = "closed", _("Handled and closed")
        REASSIGNED = "reassigned", _("Reassigned")
        RETURNED = "returned", _("Returned for a better reply")
        INVALIDATED = "invalidated", _("Marked invalid")
        REMINDED = "reminded", _("Reminder sent")

    report = models.ForeignKey(Report, models.CASCADE, related_name="steps")
    action = models.CharField(max_length=20, choices=Action.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True)
    site = models.ForeignKey(Site, models.PROTECT, related_name="+")  # the site in charge after the step
    note = models.TextField(blank=True)
    due = models.DateField(null=True, blank=True)  # the deadline after the step
    when = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["when", "id"]


class CalendarYear(models.Model):
    """A year whose holiday arrangement (放假安排) has been entered in the table: its days
    not listed in ``CalendarDay`` follow the weekend rule."""

    year = models.PositiveIntegerField(unique=True)
    source = models.CharField(max_length=200, blank=True)  # e.g. 国办发明电〔2026〕N号

    class Meta:
        ordering = ["year"]


class CalendarDay(models.Model):
    """A day the table fixes: a holiday (休) or an adjusted working day (班); wins over
    chinese-calendar."""

    day = models.DateField(unique=True)
    working = models.BooleanField()
    name = models.CharField(max_length=50, blank=True)

    class Meta:
        ordering = ["day"]


class CalendarChange(models.Model):
    """One change to the holiday table, for its audit trail: who, when, what, from what source."""

    class Action(models.TextChoices):
        SET_DAY = "set_day", _("Day entered")
        REMOVE_DAY = "remove_day", _("Day removed")
        DECLARE_YEAR = "declare_year", _("Year declared complete")
        REMOVE_YEAR = "remove_year", _("Year declaration removed")
        LOAD = "load", _("Loaded from a file")

    when = models.DateTimeField(default=timezone.now)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    detail = models.CharField(max_length=300)  # e.g. "2027-02-06 休 春节 (was 班)"
    source = models.CharField(max_length=200, blank=True)  # the arrangement it follows, e.g. 国办发明电〔2026〕N号

    class Meta:
        ordering = ["-when", "-id"]
