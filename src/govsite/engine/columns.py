"""Column discovery (栏目发现) and paging: the columns linked from the homepage (level 1),
then the sub-columns of columns that only list other columns (levels 2 and 3: a
信息公开 catalogue or a landing page lists its sections, a section its leaf columns,
and every leaf is judged). Each column's list page is read for items and dates;
further list pages only where a check needs them (message boards back over the last
15 months, news for repeated stories)."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta

from govsite.engine import extract
from govsite.engine.html import ParsedPage, clean
from govsite.engine.reading import Found, Reader
from govsite.engine.snapshot import Column, Item

MESSAGE_HORIZON = timedelta(days=456)  # a year plus three months: older messages no longer count
NEWS_PAGES = 3  # news list pages read: deep enough to see a story posted again
HOMEPAGE_COLUMN_LINKS = 60  # column-like homepage links followed at most
MAX_LEVEL = 3  # catalogues are walked this deep: column, section, leaf column


async def discover(reader: Reader, home: Found, start: str) -> list[Column]:
    """Columns linked from the homepage, then the sub-columns of container columns, down
    to :data:`MAX_LEVEL`.

    A homepage shortcut to a sub-column (办事指南 under 办事服务) takes the level, parent
    and name its container gives it; a column already found below level 1 keeps its place
    (a section's sidebar listing its siblings does not move them)."""
    assert home.parsed is not None
    skip = {start, home.fetched.final_url}
    linked = column_links(reader, home.parsed, skip)[:HOMEPAGE_COLUMN_LINKS]
    reader.say(f"{len(linked)} column links on the homepage")
    fetched = await asyncio.gather(*(read_column(reader, start, u, n, 1, None) for u, n, _ in linked))
    # a failing shortcut in the page body is a broken link, not a column; a failing
    # navigation entry is a column that does not open
    firsts = [
        (column, subs)
        for (column, subs), (_, _, nav) in zip(fetched, linked, strict=True)
        if column is not None and (nav or column.kind != "unreachable")
    ]
    by_url: dict[str, Column] = {}
    order: list[str] = []
    for column, _ in firsts:
        if column.url not in by_url:
            by_url[column.url] = column
            order.append(column.url)
    containers = firsts
    for level in range(2, MAX_LEVEL + 1):
        pending: list[tuple[str, str, str]] = []
        for column, subs in containers:
            for sub_url, sub_name in subs:
                known = by_url.get(sub_url)
                if known is not None and known.kind != "container" and known.level == 1:  # a homepage shortcut
                    by_url[sub_url] = replace(by_url[sub_url], level=level, parent=column.url, name=sub_name,
                                              cls=extract.classify(sub_name))  # fmt: skip
                elif sub_url not in by_url and all(sub_url != p[0] for p in pending):
                    pending.append((sub_url, sub_name, column.url))
        read = await asyncio.gather(*(read_column(reader, start, u, n, level, p) for u, n, p in pending))
        containers = [(column, subs) for column, subs in read if column is not None]
        for column, _ in containers:
            if column.url not in by_url:
                by_url[column.url] = column
                order.append(column.url)
    return [by_url[u] for u in order]


def column_links(reader: Reader, parsed: ParsedPage, skip: set[str]) -> list[tuple[str, str, bool]]:
    """``(url, name, in navigation)`` of the column-like links of a page."""
    found: dict[str, tuple[str, bool]] = {}
    for link in parsed.links:
        if link.region == "footer" or link.url in skip or link.url in found or extract.is_homepage(link.url):
            continue
        if reader.admission.internal(link.url) and extract.column_like(link.text) and not extract.is_document(link.url):
            found[link.url] = (link.text, link.region in ("nav", "header"))
    return [(url, name, nav) for url, (name, nav) in found.items()]


async def read_column(
    reader: Reader, start: str, url: str, name: str, level: int, parent: str | None
) -> tuple[Column | None, list[tuple[str, str]]]:
    """One column and, for a container, the sub-columns it lists."""
    found = await reader.read(url, "column")
    if found is None:
        return None, []
    cls = extract.classify(name)
    fetched, parsed = found.fetched, found.parsed
    url = fetched.final_url if fetched.ok else url  # a moved column is known by where it lives now
    if not fetched.ok or parsed is None or parsed.root is None:
        column = Column(name=name, url=url, level=level, parent=parent, cls=cls,
                        kind="unreachable" if not fetched.ok else "page", outcome=fetched.outcome.value, items=(),
                        latest=None, blank=False, note=None, pages_fetched=1, item_total=None)  # fmt: skip
        return column, []
    skip = {start, fetched.final_url, url} | ({parent} if parent else set())
    rows = extract.list_items(extract.rows(parsed.root, fetched.final_url, reader.day, skip))
    if not rows and (framed := await framed_list(reader, parsed, skip)) is not None:
        fetched, parsed = framed.fetched, framed.parsed  # the list lives in a same-site frame
        assert parsed is not None and parsed.root is not None
        rows = extract.list_items(extract.rows(parsed.root, fetched.final_url, reader.day, skip))
    dated = [r for r in rows if r.date is not None]
    subs: list[tuple[str, str]] = []
    note = None
    pages_read = 1
    if dated:
        kind = "board" if extract.looks_like_board(dated) else "list"
        rows = await more_pages(reader, kind, cls, parsed, fetched.final_url, rows, skip)
        pages_read = max(1, len({r.container for r in rows}))
    elif len(rows) >= 2 and _may_contain(name, cls, level) and all(extract.column_like(r.title) for r in rows):
        kind, subs, rows = "container", [(r.url, r.title) for r in rows], []
    elif rows:
        kind = "guides" if "指南" in name or cls == "service" else "list"
    else:
        residue = _residue(parsed.main_text, name)
        note = extract.empty_note(residue)
        kind = "page" if note is None and len(residue) >= 40 and not extract.EMPTY_MARKS.search(residue) else "list"
    items = tuple(Item(r.title, r.url, r.date) for r in rows)
    column = Column(
        name=name, url=url, level=level, parent=parent, cls=cls, kind=kind, outcome="ok", items=items,
        latest=max((r.date for r in rows if r.date is not None), default=None),
        blank=kind == "list" and not items and note is None, note=note, pages_fetched=pages_read,
        item_total=extract.stated_total(parsed.main_text),
    )  # fmt: skip
    return column, subs


async def framed_list(reader: Reader, parsed: ParsedPage, skip: set[str]) -> Found | None:
    """The page of the first same-site frame in a column page's main region: many
    platforms show a column's list in an ``<iframe>``."""
    for link in parsed.links:
        if (
            link.kind == "frame"
            and link.region == "main"
            and reader.admission.internal(link.url)
            and link.url not in skip
        ):
            found = await reader.read(link.url, "column")
            if found is not None and found.fetched.ok and found.parsed is not None and found.parsed.root is not None:
                return found
            return None
    return None


async def more_pages(
    reader: Reader, kind: str, cls: str, parsed: ParsedPage, url: str, rows: list[extract.Row], known: set[str]
) -> list[extract.Row]:
    """Further list pages, only while a check needs them."""
    config = reader.admission.config
    if config.full_lists:
        horizon, wanted = None, config.list_pages_per_column
    elif kind == "board":
        horizon = reader.day - MESSAGE_HORIZON
        wanted = config.list_pages_per_column
    elif cls == "news":
        horizon, wanted = None, min(NEWS_PAGES, config.list_pages_per_column)
    else:
        horizon, wanted = None, 1
    out = list(rows)
    current = parsed
    page_url = url
    for page_number in range(2, wanted + 1):
        oldest = min((r.date for r in out if r.date), default=None)
        if horizon is not None and oldest is not None and oldest < horizon:
            break
        assert current.root is not None
        nxt = extract.next_page(current.root, page_url)
        if nxt is None:
            break
        found = await reader.read(nxt, "column")
        if found is None or found.parsed is None or found.parsed.root is None:
            break
        more = extract.list_items(extract.rows(found.parsed.root, found.fetched.final_url, reader.day, known))
        seen = {r.url for r in out}
        fresh = [extract.Row(r.title, r.url, r.date, r.text, page_number) for r in more if r.url not in seen]
        if not fresh:
            break
        out += fresh
        current, page_url = found.parsed, found.fetched.final_url
    return out


def _may_contain(name: str, cls: str, level: int) -> bool:
    """Whether a column at ``level`` may list sub-columns rather than items: any at level
    1; below it, not past :data:`MAX_LEVEL` and not a guides or interaction column
    (whose short item titles, 居民身份证办理指南 …, read like column names)."""
    if level >= MAX_LEVEL:
        return False
    return level == 1 or ("指南" not in name and cls not in ("service", "interaction"))


def _residue(main_text: str, name: str) -> str:
    """A column page's main text without its name and breadcrumb words."""
    text = main_text.replace(name, " ")
    for word in ("当前位置", "首页", ">", "您现在的位置", "所在位置"):
        text = text.replace(word, " ")
    return clean(text)
