"""旧稿新发 / 一稿多发 (the same article published again under a new date) and forged
publication dates (a page showing a date later than the one its CMS recorded)."""

from __future__ import annotations

from datetime import date
from difflib import SequenceMatcher

from govsite.engine.checks.base import CheckContext, Finding, evidence, home_ok
from govsite.engine.snapshot import Page, Snapshot

SAME_TEXT = 0.9  # similarity of two bodies that are the same article
FORGED_DAYS = 7  # a shown date this much later than the recorded one is forged


def _listed_dates(snapshot: Snapshot) -> dict[str, date]:
    return {i.url: i.date for c in snapshot.columns for i in c.items if i.date is not None}


def republished(snapshot: Snapshot, ctx: CheckContext) -> list[Finding]:
    home_ok(snapshot)
    listed = _listed_dates(snapshot)
    by_title: dict[str, list[tuple[date, Page]]] = {}
    for page in snapshot.pages:
        if page.kind != "article" or page.outcome != "ok" or not page.text:
            continue
        when = page.published or listed.get(page.url)
        title = page.meta.get("ArticleTitle") or page.title
        if when is not None and len(title) >= 6:
            by_title.setdefault(title, []).append((when, page))
    findings = []
    for title, group in sorted(by_title.items()):
        group.sort(key=lambda pair: (pair[0], pair[1].url))
        for n, (when, page) in enumerate(group):
            found = next(((d, p) for d, p in group[:n] if d < when and _same_text(p.text, page.text)), None)
            if found is None:
                continue
            first_date, first = found
            findings.append(
                Finding(
                    "content.republished",
                    page.url,
                    page.url,
                    "normal",
                    f"旧稿新发：“{title}”于 {first_date} 已发布，{when} 再次发布",
                    {"earlier": first.url, "earlier_date": first_date.isoformat(), "date": when.isoformat()},
                    evidence(snapshot, page, title),
                )
            )
    return findings


def _same_text(a: str, b: str) -> bool:
    """Whether two bodies' first 2,000 characters are the same article (similarity at
    least :data:`SAME_TEXT`). The cheap upper bounds of the similarity are asked first:
    below the threshold, the full comparison could not reach it."""
    matcher = SequenceMatcher(None, a[:2000], b[:2000])
    return (
        matcher.real_quick_ratio() >= SAME_TEXT and matcher.quick_ratio() >= SAME_TEXT and matcher.ratio() >= SAME_TEXT
    )


def forged_date(snapshot: Snapshot, ctx: CheckContext) -> list[Finding]:
    home_ok(snapshot)
    findings = []
    for page in snapshot.pages:
        if page.kind != "article" or page.outcome != "ok" or page.published is None:
            continue
        recorded = [(d, s) for d, s in ((page.url_date, "网址中的日期"), (page.meta_date, "页面元数据 PubDate")) if d]
        if not recorded:
            continue
        true, source = min(recorded)
        if (page.published - true).days < FORGED_DAYS:
            continue
        findings.append(
            Finding(
                "content.forged_date",
                page.url,
                page.url,
                "serious",
                f"发稿日期疑似造假：页面显示 {page.published}，{source}为 {true}",
                {"shown": page.published.isoformat(), "true": true.isoformat(), "source": source},
                evidence(snapshot, page, f"{page.title} {page.published}"),
            )
        )
    return findings
