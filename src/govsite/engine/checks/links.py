"""链接不可用: every link target that failed — hyperlinks, and the images, frames,
scripts and stylesheets a page loads, each named by its kind. Only 404 and 403 count
as confirmed (vendor practice); other failures are suspected until a person confirms
them. Targets left unchecked when the crawl's time ran out make the check undecided
(待核查): a dead link among them cannot be ruled out."""

from __future__ import annotations

from govsite.engine.checks.base import CheckContext, Finding, Undecided, evidence
from govsite.engine.outcome import Outcome
from govsite.engine.snapshot import Snapshot

CONFIRMED = (403, 404, 410)
KIND_NAMES = {"a": "链接", "img": "图片", "frame": "框架页面", "script": "脚本", "style": "样式表"}


def check(snapshot: Snapshot, ctx: CheckContext) -> list[Finding]:
    unchecked = sum(link.unchecked for link in snapshot.links)
    if unchecked:
        raise Undecided(f"扫描时限已到，{unchecked} 个链接未检查完")
    findings = []
    for link in snapshot.links:
        if link.outcome in (Outcome.OK.value, Outcome.SCANNER_ERROR.value):
            continue
        confirmed = link.status in CONFIRMED
        where = link.sources[0] if link.sources else snapshot.url
        scope = "站内" if link.internal else "站外"
        state = link.status or link.outcome
        findings.append(
            Finding(
                check="links.broken",
                subject=link.url,
                url=where,
                severity="normal" if confirmed else "suspected",
                message=f"{scope}{KIND_NAMES.get(link.kind, '链接')}不可用（{state}）：{link.text or link.url}",
                data={
                    "status": link.status,
                    "outcome": link.outcome,
                    "internal": link.internal,
                    "confirmed": confirmed,
                    "kind": link.kind,
                },
                evidence=evidence(snapshot, snapshot.page(where), link.text),
            )
        )
    return findings
