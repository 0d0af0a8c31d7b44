"""严重表述错误: fixed official phrases miswritten, from a lexicon users extend."""

from __future__ import annotations

from govsite.engine.checks.base import CheckContext, Finding, around, evidence, home_ok
from govsite.engine.snapshot import Snapshot

READ_KINDS = ("home", "article", "message", "guide")


def check(snapshot: Snapshot, ctx: CheckContext) -> list[Finding]:
    home_ok(snapshot)
    findings = []
    for page in snapshot.pages:
        if page.kind not in READ_KINDS or page.outcome != "ok":
            continue
        text = f"{page.title} {page.text}"
        for correct, wrongs in ctx.lexicon.items():
            for wrong in wrongs:
                if wrong in text:
                    excerpt = around(text, wrong)
                    findings.append(
                        Finding(
                            "wording.serious_error",
                            page.url,
                            page.url,
                            "serious",
                            f"严重表述错误：“{wrong}”应为“{correct}”",
                            {"wrong": wrong, "correct": correct, "excerpt": excerpt},
                            evidence(snapshot, page, excerpt),
                        )
                    )
    return findings
