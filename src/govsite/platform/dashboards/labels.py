"""Names the dashboards show for check ids, verdicts and outcomes (English msgids; the
Chinese is in this app's catalog, locale/zh_Hans/LC_MESSAGES/django.po).

Check ids are named in ``review.labels`` (the review page names them too)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from govsite.engine import FAIL, PASS, REVIEW

#: The outcome of one site in one campaign, in the order tables and charts show them.
PASSED, FAILED, UNDECIDED, SCAN_FAILED, PENDING = "passed", "failed", "undecided", "scan_failed", "pending"
OUTCOMES = (PASSED, FAILED, UNDECIDED, SCAN_FAILED, PENDING)
OUTCOME_NAMES: dict[str, Promise] = {
    PASSED: _("Passed"),
    FAILED: _("Failed"),
    UNDECIDED: _("Needs review"),
    SCAN_FAILED: _("Scan failed"),
    PENDING: _("Not scanned yet"),
}
#: The engine's verdicts (stored as its Chinese words) as outcomes.
VERDICT_OUTCOMES = {PASS: PASSED, FAIL: FAILED, REVIEW: UNDECIDED}
