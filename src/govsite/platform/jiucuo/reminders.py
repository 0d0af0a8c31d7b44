"""Reminder e-mails before a report's deadline, through Django's mail backend (the console
unless ``GOVSITE_EMAIL_BACKEND`` says otherwise). Safe to run twice: a report is reminded
once per deadline (``reminded_for``); run it daily (``govsite manage jiucuo_remind``)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govsite.platform.jiucuo.models import Report, Step
from govsite.platform.jiucuo.workdays import WorkCalendar, load_calendar


def recipients(report: Report) -> list[str]:
    """The site's operators (their accounts' e-mail) and the registry's contact e-mail."""
    found = {m.user.email for m in report.site.operators.select_related("user") if m.user.email}
    if report.site.email:
        found.add(report.site.email)
    return sorted(found)


def send_reminders(today: date | None = None, calendar: WorkCalendar | None = None) -> int:
    """Remind every open report due within ``JIUCUO_REMIND_BEFORE_DAYS`` working days of
    ``today`` (and not yet past due); the number of e-mails sent."""
    today, calendar = today or timezone.localdate(), calendar or load_calendar()
    horizon = calendar.add_working_days(today, settings.JIUCUO_REMIND_BEFORE_DAYS)
    sent = 0
    due_soon = Report.objects.filter(state__in=(Report.State.NEW, Report.State.ACCEPTED, Report.State.REPLIED),
                                     due__gte=today, due__lte=horizon).select_related("site")  # fmt: skip
    for report in due_soon:
        if report.reminded_for == report.due:
            continue
        to = recipients(report)
        if not to:
            continue
        facts = {"number": report.number, "due": f"{report.due:%Y-%m-%d}", "site": report.site.name,
                 "code": report.site.code, "national": report.national_id or "—", "state": report.get_state_display()}  # fmt: skip
        subject = _("Error report %(number)s must be closed by %(due)s") % facts
        body = (
            _(
                "Site: %(site)s (%(code)s)\nTicket number: %(number)s\nNational id: %(national)s\n"
                "Due (working days): %(due)s\nState: %(state)s\n"
                "Please accept, reply and close it in time: overdue reports cost points in the assessment."
            )
            % facts
        )
        with transaction.atomic():
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)
            Report.objects.filter(pk=report.pk).update(reminded_for=report.due)
            Step.objects.create(report=report, action=Step.Action.REMINDED, site=report.site, due=report.due,
                                note=", ".join(to))  # fmt: skip
        sent += 1
    return sent
