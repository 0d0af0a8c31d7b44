"""What inspectors do, each an audited transaction that recomputes the verdict.

The reviewed verdict is the engine's own scoring (``govsite.engine.score``) applied to
the reviewed findings: dismissed findings drop out, confirmed suspected ones count,
manual findings join, and checks a person resolved stop holding the verdict open.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from govsite.engine import CHECK_IDS, SEVERITY_NAMES, Finding, Verdict, rescore
from govsite.engine import Reviewed as Judged
from govsite.engine import reviewed as judged
from govsite.platform.accounts.access import can_review
from govsite.platform.campaigns.models import CampaignSite, finding_counts
from govsite.platform.review.models import AuditEntry, Decision, ManualFinding, Resolution

#: How the review page names a finding's state (未核查, 已确认, 已排除, 人工添加 in Chinese).
STATE_LABELS = {
    "pending": gettext_lazy("Awaiting review"),
    "confirmed": gettext_lazy("Confirmed"),
    "dismissed": gettext_lazy("Dismissed"),
    "manual": gettext_lazy("Added by a person"),
}
#: The severities in the page's language (the engine's ``SEVERITY_NAMES`` are its Chinese data).
SEVERITY_LABELS = {
    "serious": gettext_lazy("Serious"),
    "normal": gettext_lazy("Ordinary"),
    "suspected": gettext_lazy("Suspected"),
}


class Reviewed(Judged):
    """A finding as the review sees it (``engine.review.Reviewed``), with its labels for the pages."""

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])

    @property
    def severity_label(self) -> str:
        label = SEVERITY_LABELS.get(self.finding.severity)
        return str(label) if label is not None else SEVERITY_NAMES.get(self.finding.severity, self.finding.severity)


def _manual(entry: CampaignSite) -> list[Finding]:
    # .all() so that a caller's prefetch_related("decisions", "manual_findings__user") serves a whole campaign
    return [
        Finding(m.check_id, m.subject, m.url, m.severity, m.message, {"manual": True, "by": m.user.get_username()})
        for m in sorted((m for m in entry.manual_findings.all() if not m.withdrawn), key=lambda m: m.pk)
    ]


def _decisions(entry: CampaignSite) -> dict[int, str]:
    return {d.index: d.state for d in entry.decisions.all()}


def _resolved(entry: CampaignSite) -> set[str]:
    """The check ids people resolved."""
    return {r.check_id for r in entry.resolutions.all()}


def reviewed_findings(entry: CampaignSite) -> list[Reviewed]:
    result = entry.scan_result
    if result is None:
        return []
    return [Reviewed(**vars(r)) for r in judged(result, _decisions(entry), _manual(entry))]


def reviewed_verdict(entry: CampaignSite) -> Verdict | None:
    """The verdict after review, with its reasons, scored by the campaign's frozen profile;
    None before the site was scanned."""
    result = entry.scan_result
    if result is None:
        return None
    return rescore(result, _decisions(entry), _manual(entry), _resolved(entry), entry.campaign.profile())


def recompute(entry: CampaignSite) -> Verdict:
    """Score the reviewed findings and keep the result, with the findings' counts."""
    verdict = reviewed_verdict(entry)
    assert verdict is not None  # _locked lets only a scanned entry through
    entry.final_verdict, entry.final_score = verdict.verdict, verdict.score
    entry.counts = finding_counts(reviewed_findings(entry))
    entry.save(update_fields=["final_verdict", "final_score", "counts"])
    return verdict


def _locked(entry: CampaignSite, user: Any) -> CampaignSite:
    if not can_review(user, entry.campaign):
        raise PermissionDenied(_("You may not review this campaign"))
    locked = CampaignSite.objects.select_for_update().select_related("campaign").get(pk=entry.pk)
    if locked.state != CampaignSite.State.DONE or not locked.result:
        raise ValidationError(_("This site has no scan result yet: there is nothing to review"))
    return locked


def _audit(entry: CampaignSite, user: Any, action: str, reason: str, before: str, **detail: Any) -> None:
    AuditEntry.objects.create(
        user=user, action=action, campaign=entry.campaign, entry=entry, reason=reason,
        detail={**detail, "verdict_before": before, "verdict_after": entry.final_verdict},
    )  # fmt: skip


@transaction.atomic
def decide(entry: CampaignSite, index: int, state: str, user: Any, reason: str = "") -> Verdict:
    """Confirm or dismiss finding ``index``; a dismissal needs a reason."""
    entry = _locked(entry, user)
    findings = entry.scan_result.findings if entry.scan_result else ()
    if not 0 <= index < len(findings):
        raise ValidationError(_("There is no finding number %(index)s") % {"index": index})
    if state not in Decision.State.values:
        raise ValidationError(
            _("The decision must be one of %(states)s")
            % {"states": pgettext("between listed items", ", ").join(Decision.State.values)}
        )
    if state == "dismissed" and not reason.strip():
        raise ValidationError(_("Dismissing a finding needs a reason"))
    before = entry.final_verdict
    f = findings[index]
    Decision.objects.update_or_create(
        entry=entry, index=index,
        defaults={"check_id": f.check, "subject": f.subject, "state": state, "reason": reason, "user": user},
    )  # fmt: skip
    verdict = recompute(entry)
    _audit(entry, user, f"finding.{state}", reason, before, index=index, check=f.check, subject=f.subject)
    return verdict


@transaction.atomic
def add_manual(
    entry: CampaignSite, user: Any, *, check: str, subject: str, url: str, severity: str, message: str
) -> Verdict:
    entry = _locked(entry, user)
    if check not in CHECK_IDS:
        raise ValidationError(_("Unknown check %(check)s") % {"check": check})
    if severity not in ManualFinding.Severity.values or not message.strip():
        raise ValidationError(_("Give the severity and a description of the finding"))
    if urlsplit(url).scheme not in ("http", "https"):  # shown as a link to every reviewer: no javascript: URLs
        raise ValidationError(_("The page address must start with http:// or https://"))
    before = entry.final_verdict
    made = ManualFinding.objects.create(entry=entry, check_id=check, subject=subject, url=url, severity=severity,
                                        message=message, user=user)  # fmt: skip
    verdict = recompute(entry)
    _audit(entry, user, "finding.manual", message, before, manual=made.pk, check=check, subject=subject)
    return verdict


@transaction.atomic
def resolve(entry: CampaignSite, check: str, user: Any, reason: str) -> Verdict:
    """A person decided a check the scan could not (it passes): ``check`` is a check id of
    an open check run, and every id of that run is resolved; a reason is required."""
    entry = _locked(entry, user)
    result = entry.scan_result
    run = next((r for r in result.checks if r.open and check in r.ids), None) if result else None
    if run is None:
        raise ValidationError(_("Check %(check)s is not awaiting review") % {"check": check})
    if not reason.strip():
        raise ValidationError(_("Give the grounds of the manual review"))
    before = entry.final_verdict
    for check_id in run.ids:
        Resolution.objects.update_or_create(entry=entry, check_id=check_id, defaults={"reason": reason, "user": user})
    verdict = recompute(entry)
    _audit(entry, user, "check.resolved", reason, before, check=check, checks=list(run.ids))
    return verdict
