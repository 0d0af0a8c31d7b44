"""How the pages name check ids and review actions (English msgids; the Chinese is in
this app's catalog). The review page and the dashboards both use these."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

#: One short name per check id of docs/domain.md (``profile.CHECK_IDS``; a test keeps it complete).
CHECK_NAMES: dict[str, Promise] = {
    "availability.homepage_down": _("Homepage unavailable"),
    "links.broken": _("Broken links"),
    "update.homepage_stale": _("Homepage not updated"),
    "update.column_stale": _("Columns not updated"),
    "update.column_blank": _("Blank columns"),
    "identity.conac_missing": _("Party and government website mark missing"),
    "identity.site_code_missing": _("Website identification code missing"),
    "identity.icp_missing": _("ICP filing number missing"),
    "identity.psb_missing": _("Public security filing number missing"),
    "identity.error_report_entry_missing": _("Error-report entrance missing"),
    "domain.nonconforming": _("Non-conforming domain name"),
    "search.missing": _("No site search"),
    "search.broken": _("Site search not working"),
    "interaction.channel_missing": _("No consultation channel"),
    "interaction.unanswered": _("Messages left unanswered"),
    "service.missing": _("No online services"),
    "service.guide_incomplete": _("Service guide incomplete"),
    "interpretation.missing": _("No policy interpretation"),
    "annual_report.missing": _("Annual report not published"),
    "wording.serious_error": _("Serious wording error"),
    "content.republished": _("Old articles republished"),
    "content.forged_date": _("Forged publication date"),
}


def check_name(check: str) -> str:
    return str(CHECK_NAMES.get(check, check))


#: The audit trail's actions (``AuditEntry.action``).
ACTION_NAMES: dict[str, Promise] = {
    "finding.confirmed": _("Finding confirmed"),
    "finding.dismissed": _("Finding dismissed"),
    "finding.manual": _("Finding added by a person"),
    "check.resolved": _("Check passed on review"),
}


def action_name(action: str) -> str:
    return str(ACTION_NAMES.get(action, action))
