"""严重表述错误: fixed official phrases miswritten, from a lexicon users extend; and a
leader's name miswritten by one character right next to the leader's post (a near
match: suspected until a person confirms it, since another person may bear it)."""

from __future__ import annotations

import re

from govsite.engine.checks.base import CheckContext, Finding, around, evidence, home_ok
from govsite.engine.lexicon import Leader
from govsite.engine.snapshot import Page, Snapshot

CJK = re.compile(r"^[\u4e00-\u9fff·]+$")

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
        findings += _names(snapshot, page, text, ctx.leaders)
    return findings


def _names(snapshot: Snapshot, page: Page, text: str, leaders: tuple[Leader, ...]) -> list[Finding]:
    """Leaders' names one character off, printed right before or after their post."""
    known = {leader.name for leader in leaders}
    out, seen = [], set()
    for leader in leaders:
        n = len(leader.name)
        for m in re.finditer(re.escape(leader.post), text):
            for shown in (text[m.end() : m.end() + n], text[max(0, m.start() - n) : m.start()]):
                off = sum(a != b for a, b in zip(shown, leader.name, strict=False))
                if len(shown) != n or off != 1 or shown in known or not CJK.match(shown) or shown in seen:
                    continue
                seen.add(shown)
                excerpt = around(text, shown)
                out.append(
                    Finding(
                        "wording.serious_error",
                        page.url,
                        page.url,
                        "suspected",
                        f"疑似领导姓名错误：“{leader.post}{shown}”应为“{leader.post}{leader.name}”",
                        {"wrong": shown, "correct": leader.name, "post": leader.post, "excerpt": excerpt},
                        evidence(snapshot, page, excerpt),
                    )
                )
    return out
