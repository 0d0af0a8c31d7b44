"""How the pages name check ids (the engine's registry names each in Chinese and English)
and review actions (English msgids; the Chinese is in this app's catalog). The review
page and the dashboards both use these."""

from __future__ import annotations

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from govsite.engine import REPORTS


def check_name(check: str) -> str:
    """A check id's short name in the page's language, as the engine's check registry
    declares it (Chinese and English); an unknown id is shown as it is."""
    reports = REPORTS.get(check)
    return reports.name(get_language() or settings.LANGUAGE_CODE) if reports else check


#: The audit trail's actions (``AuditEntry.action``).
ACTION_NAMES: dict[str, Promise] = {
    "finding.confirmed": _("Finding confirmed"),
    "finding.dismissed": _("Finding dismissed"),
    "finding.manual": _("Finding added by a person"),
    "check.resolved": _("Check passed on review"),
}


def action_name(action: str) -> str:
    return str(ACTION_NAMES.get(action, action))
