"""What inspectors do, each an audited transaction that recomputes the verdict.

The reviewed verdict is the engine's own scoring (``govsite.engine.score``) applied to
the reviewed findings: dismissed findings drop out, confirmed suspected ones count,
manual findings join, and checks a person resolved stop holding the verdict open.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from govsite.engine.checks.base import SEVERITY_NAMES, Finding
from govsite.engine.profile import CHECK_IDS
from govsite.engine.score import CheckRun, Verdict, score
from govsite.platform.accounts.access import can_review
from govsite.platform.campaigns.models import CampaignSite
from govsite.platform.review.models import AuditEntry, Decision, ManualFinding, Resolution

STATE_LABELS = {"pending": "待核查", "confirmed": "已确认", "dismissed": "已排除", "manual": "人工添加"}


@dataclass(frozen=True)
class Reviewed:
    """A finding as the review sees it."""

    index: int | None  # the scan's index; None for a manual finding
    finding: Finding
    state: str  # pending | confirmed | dismissed | manual
    counted: bool

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def severity_label(self) -> str:
        return SEVERITY_NAMES.get(self.finding.severity, self.finding.severity)


def reviewed_findings(entry: CampaignSite) -> list[Reviewed]:
    decisions = {d.index: d.state for d in entry.decisions.all()}
    out: list[Reviewed] = []
    for i, f in enumerate((entry.result or {}).get("findings", [])):
        state = decisions.get(i, "pending")
        severity = f["severity"]
        if state == "confirmed" and severity == "suspected":
            severity = "normal"  # a person confirmed the machine's doubt
        data = {**(f.get("data") or {}), "confirmed": state == "confirmed"}
        finding = Finding(f["check"], f["subject"], f["url"], severity, f["message"], data)
        out.append(Reviewed(i, finding, state, state != "dismissed" and severity != "suspected"))
    for m in entry.manual_findings.filter(withdrawn=False).order_by("id"):
        finding = Finding(
            m.check_id, m.subject, m.url, m.severity, m.message, {"manual": True, "by": m.user.get_username()}
        )
        out.append(Reviewed(None, finding, "manual", True))
    return out


def recompute(entry: CampaignSite) -> Verdict:
    """Score the reviewed findings with the campaign's frozen profile and keep the result."""
    resolved = set(entry.resolutions.values_list("check_name", flat=True))
    runs = [
        CheckRun(
            r["name"], tuple(r["ids"]), "pass" if r["name"] in resolved else r["status"], r["reason"], r["findings"]
        )
        for r in (entry.result or {}).get("checks", [])
    ]
    findings = [r.finding for r in reviewed_findings(entry) if r.state != "dismissed"]
    verdict = score(entry.campaign.profile(), findings, runs)
    entry.final_verdict, entry.final_score = verdict.verdict, verdict.score
    entry.save(update_fields=["final_verdict", "final_score"])
    return verdict


def _locked(entry: CampaignSite, user: Any) -> CampaignSite:
    if not can_review(user, entry.campaign):
        raise PermissionDenied("无权核查该检查任务")
    locked = CampaignSite.objects.select_for_update().select_related("campaign").get(pk=entry.pk)
    if locked.state != CampaignSite.State.DONE or not locked.result:
        raise ValidationError("该网站尚无扫描结果，无法核查")
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
    findings = entry.result.get("findings", []) if entry.result else []
    if not 0 <= index < len(findings):
        raise ValidationError(f"没有第 {index} 条问题")
    if state not in Decision.State.values:
        raise ValidationError(f"决定应为 {'、'.join(Decision.State.values)}")
    if state == "dismissed" and not reason.strip():
        raise ValidationError("排除问题须说明理由")
    before = entry.final_verdict
    f = findings[index]
    Decision.objects.update_or_create(
        entry=entry, index=index,
        defaults={"check_id": f["check"], "subject": f["subject"], "state": state, "reason": reason, "user": user},
    )  # fmt: skip
    verdict = recompute(entry)
    _audit(entry, user, f"finding.{state}", reason, before, index=index, check=f["check"], subject=f["subject"])
    return verdict


@transaction.atomic
def add_manual(
    entry: CampaignSite, user: Any, *, check: str, subject: str, url: str, severity: str, message: str
) -> Verdict:
    entry = _locked(entry, user)
    if check not in CHECK_IDS:
        raise ValidationError(f"未知的检查项 {check}")
    if severity not in ManualFinding.Severity.values or not message.strip():
        raise ValidationError("须给出严重程度和问题描述")
    before = entry.final_verdict
    made = ManualFinding.objects.create(entry=entry, check_id=check, subject=subject, url=url, severity=severity,
                                        message=message, user=user)  # fmt: skip
    verdict = recompute(entry)
    _audit(entry, user, "finding.manual", message, before, manual=made.pk, check=check, subject=subject)
    return verdict


@transaction.atomic
def resolve(entry: CampaignSite, check_name: str, user: Any, reason: str) -> Verdict:
    """A person decided a check the scan could not (it passes); a reason is required."""
    entry = _locked(entry, user)
    undecided = {r["name"] for r in entry.result.get("checks", []) if r["status"] in ("undecided", "error")}
    if check_name not in undecided:
        raise ValidationError(f"检查 {check_name} 不是待核查项")
    if not reason.strip():
        raise ValidationError("须说明人工核查的依据")
    before = entry.final_verdict
    Resolution.objects.update_or_create(entry=entry, check_name=check_name, defaults={"reason": reason, "user": user})
    verdict = recompute(entry)
    _audit(entry, user, "check.resolved", reason, before, check=check_name)
    return verdict
