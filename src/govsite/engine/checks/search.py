"""站内搜索: a search form on the homepage, and a search that finds a recent title."""

from __future__ import annotations

from govsite.engine.checks.base import CheckContext, Finding, Undecided, evidence, home_ok
from govsite.engine.snapshot import Snapshot

SEARCH_WORDS = ("搜索", "检索", "search")
WHY = {
    "results page says the search is not working": "站内搜索返回“系统繁忙”等错误提示",
    "results page says nothing was found": "站内搜索以本站最新信息标题检索，结果为零",
}


def check(snapshot: Snapshot, ctx: CheckContext) -> list[Finding]:
    home = home_ok(snapshot)
    probe = snapshot.search
    if not probe.form_found:
        linked = any(any(w in link.text.lower() for w in SEARCH_WORDS) for link in home.links)
        if linked:
            raise Undecided("首页无搜索框，但有“搜索”链接，需人工确认搜索功能")
        return [
            Finding(
                "search.missing",
                snapshot.url,
                snapshot.url,
                "normal",
                "首页未提供站内搜索",
                {},
                evidence(snapshot, home),
            )
        ]
    if probe.found is None:
        raise Undecided(f"站内搜索无法验证：{probe.reason or probe.outcome}")
    if probe.found:
        return []
    page = snapshot.page(probe.url) if probe.url else None
    return [
        Finding(
            "search.broken",
            snapshot.url,
            probe.url or snapshot.url,
            "normal",
            WHY.get(probe.reason or "", "站内搜索查不到本站最新信息") + f"（检索“{probe.query}”）",
            {"query": probe.query, "result_count": probe.result_count, "reason": probe.reason},
            evidence(snapshot, page, page.text[:200] if page else ""),
        )
    ]
