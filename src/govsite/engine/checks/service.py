"""服务实用: online services exist, and service guides (办事指南) show their elements."""

from __future__ import annotations

from govsite.engine.checks.base import CheckContext, Finding, Undecided, evidence, home_ok
from govsite.engine.extract import GUIDE_ELEMENTS
from govsite.engine.snapshot import Snapshot

SERVICE_WORDS = ("办事", "服务", "政务服务", "网上办理")


def missing(snapshot: Snapshot, ctx: CheckContext) -> list[Finding]:
    home = home_ok(snapshot)
    if snapshot.guides or any(c.cls == "service" for c in snapshot.columns):
        return []
    if any(any(w in link.text for w in SERVICE_WORDS) for link in home.links if link.region != "footer"):
        raise Undecided("首页有办事服务类链接（可能指向集约化政务服务平台），需人工确认")
    return [
        Finding(
            "service.missing", snapshot.url, snapshot.url, "serious", "网站未提供办事服务", {}, evidence(snapshot, home)
        )
    ]


def guide_incomplete(snapshot: Snapshot, ctx: CheckContext) -> list[Finding]:
    home_ok(snapshot)
    findings = []
    failed = 0
    read = sum(guide.outcome == "ok" for guide in snapshot.guides)
    for guide in snapshot.guides:
        if guide.outcome != "ok":
            failed += 1
            continue
        absent = [e for e in GUIDE_ELEMENTS if e not in guide.elements]
        if not absent:
            continue
        findings.append(
            Finding(
                "service.guide_incomplete",
                guide.url,
                guide.url,
                "normal",
                f"办事指南“{guide.title}”缺少要素：{'、'.join(absent)}",
                {"missing": absent, "title": guide.title, "guides_checked": read},
                evidence(snapshot, snapshot.page(guide.url), guide.title),
            )
        )
    if not findings and failed:
        raise Undecided(f"{failed} 个办事指南页面无法打开，需人工核查")
    return findings
