"""政策解读: a column where policies are interpreted (98 % of portals have one)."""

from __future__ import annotations

from govsite.engine.checks.base import CheckContext, Finding, evidence, home_ok
from govsite.engine.snapshot import Snapshot


def check(snapshot: Snapshot, ctx: CheckContext) -> list[Finding]:
    home = home_ok(snapshot)
    if any(c.cls == "interpretation" for c in snapshot.columns):
        return []
    if any("解读" in link.text for link in home.links):
        return []
    return [
        Finding(
            "interpretation.missing",
            snapshot.url,
            snapshot.url,
            "normal",
            "未开设政策解读栏目",
            {},
            evidence(snapshot, home),
        )
    ]
