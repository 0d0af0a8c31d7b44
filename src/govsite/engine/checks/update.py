"""首页不更新, 栏目不更新 and 空白栏目, against the profile's windows (inclusive)."""

from __future__ import annotations

from govsite.engine.checks.base import CheckContext, Finding, as_of_date, evidence, home_ok, judged_as_shown
from govsite.engine.snapshot import Snapshot

CLASS_NAMES = {
    "news": "动态要闻类",
    "notice": "通知公告类",
    "policy": "政策文件类",
    "personnel": "人事类",
    "plan": "规划计划类",
}


def homepage_stale(snapshot: Snapshot, ctx: CheckContext) -> list[Finding]:
    home = home_ok(snapshot)
    today = as_of_date(snapshot)
    window = ctx.window("news") or 14
    dated = [i.date for i in snapshot.homepage_items if i.date is not None and i.date <= today]
    source = "首页"
    if not dated:  # a homepage that is only a navigation entry: judge its columns
        dated = [c.latest for c in snapshot.columns if c.latest is not None and c.latest <= today]
        source = "首页及各栏目"
    latest = max(dated, default=None)
    if latest is not None and (today - latest).days < window:
        return []
    shown = latest.isoformat() if latest else "无"
    found = [
        Finding(
            check="update.homepage_stale",
            subject=snapshot.url,
            url=snapshot.url,
            severity="serious",
            message=f"{source}超过 {window} 天无新信息（最新 {shown}）",
            data={"latest": latest.isoformat() if latest else None, "window_days": window},
            evidence=evidence(snapshot, home, shown),
        )
    ]
    return judged_as_shown(found, snapshot)


def column_stale(snapshot: Snapshot, ctx: CheckContext) -> list[Finding]:
    home_ok(snapshot)
    today = as_of_date(snapshot)
    findings = []
    for column in snapshot.columns:
        window = ctx.window(column.cls)
        if window is None or column.latest is None or column.kind not in ("list", "board"):
            continue
        age = (today - column.latest).days
        if age < window:
            continue
        findings.append(
            Finding(
                check="update.column_stale",
                subject=column.url,
                url=column.url,
                severity="normal",
                message=f"{CLASS_NAMES.get(column.cls, '')}栏目“{column.name}”{age} 天未更新（最新 {column.latest}，要求 {window} 天内）",
                data={
                    "column": column.name,
                    "class": column.cls,
                    "level": column.level,
                    "latest": column.latest.isoformat(),
                    "window_days": window,
                    "age_days": age,
                },
                evidence=evidence(snapshot, snapshot.page(column.url), f"{column.name} 最新 {column.latest}"),
            )
        )
    return judged_as_shown(findings, snapshot)


def column_blank(snapshot: Snapshot, ctx: CheckContext) -> list[Finding]:
    home_ok(snapshot)
    found = [
        Finding(
            check="update.column_blank",
            subject=column.url,
            url=column.url,
            severity="normal",
            message=f"空白栏目“{column.name}”：无任何信息，也未说明原因",
            data={"column": column.name, "level": column.level},
            evidence=evidence(snapshot, snapshot.page(column.url), column.name),
        )
        for column in snapshot.columns
        if column.blank
    ]
    return judged_as_shown(found, snapshot)
