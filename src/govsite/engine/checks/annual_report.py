"""政府网站工作年度报表 (国办函〔2018〕12号): last year's report on the site once
31 January has passed."""

from __future__ import annotations

from govsite.engine.checks.base import CheckContext, Finding, as_of_date, evidence, home_ok
from govsite.engine.dates import report_due_year
from govsite.engine.snapshot import Snapshot

REPORT_WORDS = ("年度报表", "年报", "工作报表")


def check(snapshot: Snapshot, ctx: CheckContext) -> list[Finding]:
    home = home_ok(snapshot)
    year = report_due_year(as_of_date(snapshot))
    titles = [i.title for c in snapshot.columns for i in c.items] + [link.text for link in home.links]
    reports = [t for t in titles if any(w in t for w in REPORT_WORDS)]
    if any(str(year) in t for t in reports):
        return []
    seen = sorted({y for t in reports for y in range(year - 5, year + 1) if str(y) in t})
    return [
        Finding(
            "annual_report.missing",
            snapshot.url,
            snapshot.url,
            "normal",
            f"未公开 {year} 年度政府网站工作年度报表" + (f"（最近为 {seen[-1]} 年度）" if seen else ""),
            {"year": year, "latest_seen": seen[-1] if seen else None},
            evidence(snapshot, home),
        )
    ]
