"""Handling a report: the site's unit accepts, replies and closes it (办结); the
supervisor reassigns it to another site (转办), returns an unsatisfactory reply (退回) or
marks it invalid with a reason. Each action is one transaction on the locked report and
writes a ``Step``; who may do which is ``accounts.access`` (asked by the views)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govsite.platform.jiucuo.deadlines import due_after
from govsite.platform.jiucuo.models import Report, Step
from govsite.platform.registry.models import Site

MAX_TEXT = 5000

#: action → (states it may start from, whether it is the unit's or the supervisor's)
ACTIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "accept": (("new",), "unit"),
    "reply": (("accepted", "replied"), "unit"),
    "close": (("replied",), "unit"),
    "reassign": (("new", "accepted", "replied"), "supervisor"),
    "return": (("replied", "closed"), "supervisor"),
    "invalidate": (("new", "accepted", "replied"), "supervisor"),
}


class ActionRefused(ValueError):
    pass


def _text(value: str, what: str) -> str:
    value = value.strip()
    if not value:
        raise ActionRefused(_("%(what)s is required.") % {"what": what})
    if len(value) > MAX_TEXT:
        raise ActionRefused(_("%(what)s is longer than %(n)s characters.") % {"what": what, "n": MAX_TEXT})
    return value


def act(report: Report, action: str, user: Any, *, text: str = "", site: Site | None = None) -> Report:
    """Apply ``action`` (a key of ``ACTIONS``) with its text (the reply, the reason) or the
    new site (for ``reassign``); ``ActionRefused`` with a message when it does not apply."""
    if action not in ACTIONS:
        raise ActionRefused(_("Unknown action."))
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        if locked.state not in ACTIONS[action][0]:
            raise ActionRefused(
                _("This cannot be done to a report that is %(state)s.") % {"state": locked.get_state_display()}
            )
        now, note = timezone.now(), ""
        if action == "accept":
            locked.state, locked.accepted_at = Report.State.ACCEPTED, now
        elif action == "reply":
            locked.reply = note = _text(text, _("The reply"))
            locked.state, locked.replied_at = Report.State.REPLIED, now
        elif action == "close":
            locked.state, locked.closed_at = Report.State.CLOSED, now
        elif action == "reassign":
            if site is None or site.pk == locked.site_id:
                raise ActionRefused(_("Choose another site to reassign the report to."))
            note = _text(text, _("The reason"))
            locked.site, locked.state = site, Report.State.NEW
            locked.accepted_at = locked.replied_at = None
            locked.reply = ""
            locked.due = due_after(timezone.localdate(now), "reassigned")
        elif action == "return":
            note = _text(text, _("The reason"))
            locked.state, locked.closed_at, locked.returns = Report.State.ACCEPTED, None, locked.returns + 1
            locked.due = due_after(timezone.localdate(now), "returned")
        elif action == "invalidate":
            locked.invalid_reason = note = _text(text, _("The reason"))
            locked.state = Report.State.INVALID
        locked.save()
        verb = {"accept": "accepted", "reply": "replied", "close": "closed", "reassign": "reassigned",
                "return": "returned", "invalidate": "invalidated"}[action]  # fmt: skip
        Step.objects.create(
            report=locked, action=verb, user=user, site=locked.site, note=note, due=locked.due, when=now
        )
    return locked
