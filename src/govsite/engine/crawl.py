"""The bounded crawl of one site, from its homepage to a :class:`Snapshot`.

1. The homepage, under the availability rule's own timeout.
2. Columns: column-like links of the homepage (level 1), then the sub-columns of
   columns that only list other columns (level 2). Each column's list page is read
   for items and dates; further list pages only where a check needs them (message
   boards back over the last 15 months, news for repeated stories).
3. A sample of article pages per column, the messages of the last 15 months, the
   service guides.
4. The search probe: the homepage's search form, asked for a recent title.
5. Every link seen on fetched pages, each target once (HEAD, GET where HEAD is
   refused).

Limits (pages, links, time) are settings; what a limit cut is listed in
``stats.limits_hit``. Decisions never depend on which request finished first, so a
replay from the WARC file gives the same snapshot.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit
from urllib.robotparser import RobotFileParser

from govsite.engine import dates, extract, footer
from govsite.engine.config import EngineConfig
from govsite.engine.dom import document
from govsite.engine.fetch import Fetched, Fetcher
from govsite.engine.html import ParsedPage, clean, parse
from govsite.engine.outcome import Outcome
from govsite.engine.snapshot import (
    SCHEMA_VERSION,
    Column,
    FormRecord,
    Guide,
    Item,
    LinkCheck,
    Message,
    Page,
    Probe,
    SearchProbe,
    Snapshot,
    Stats,
    dump,
    load,
)
from govsite.engine.transport import LiveTransport, ReplayTransport, Transport, WarcLog
from govsite.engine.urlnorm import host_of, normalise

TEXT_CAP = 4000  # characters of main text kept per page
TEXT_KINDS = ("home", "article", "message", "guide", "search")  # column pages are kept as their items
MESSAGE_HORIZON = timedelta(days=456)  # a year plus three months: older messages no longer count
NEWS_PAGES = 3  # news list pages read: deep enough to see a story posted again
SOURCES_KEPT = 3  # pages recorded per link target
#: Scripts whose name says they write the footer, and how many footer includes are read.
FOOTER_SCRIPT = re.compile(r"(foot|bottom|btm|copyright|banquan)[^/]*\.js$", re.IGNORECASE)
FOOTER_INCLUDES = 3
DUPLICATE_GROUPS = 30  # same-title groups whose pages are read for comparison
DUPLICATE_GROUP_SIZE = 4
HOME_TEXT_CAP = 20000  # the homepage keeps more text: its footer identifiers are checked
KIND_ORDER = {"home": 0, "include": 1, "column": 2, "article": 3, "message": 4, "guide": 5, "search": 6}

Progress = Callable[[str], None]


async def crawl(
    url: str | None,
    config: EngineConfig | None = None,
    *,
    warc: Path | None = None,
    replay: Path | None = None,
    progress: Progress | None = None,
) -> Snapshot:
    """Crawl the site at ``url``, recording to ``warc``; or, with ``replay``, run the
    same crawl again from such a file, offline, with the settings, start URL and as-of
    date recorded in it."""
    config = config or EngineConfig()
    transport: Transport
    log = None
    recorded: dict[str, Any] = {}
    if replay is not None:
        transport = ReplayTransport(replay)
        recorded = transport.run_info
        if "config" in recorded:
            config = config_from_record(recorded["config"])
        url = url or recorded.get("url")
    start_url = normalise(url or "")
    if start_url is None:
        raise ValueError(f"not an http(s) URL: {url!r}")
    if replay is None:
        log = WarcLog(warc) if warc is not None else None
        transport = LiveTransport(config, log)
    try:
        as_of = config.as_of or datetime.now(dates.CST)
        if as_of.tzinfo is None:
            as_of = as_of.replace(tzinfo=dates.CST)
        run = _Crawl(start_url, config, as_of, Fetcher(transport, config, pace=replay is None), progress)
        snapshot = await run.run()
        if "elapsed" in recorded:
            snapshot = replace(snapshot, stats=replace(snapshot.stats, elapsed=recorded["elapsed"]))
        if log is not None:
            settings = dump(replace(config, as_of=as_of))
            log.run_info({"url": start_url, "elapsed": snapshot.stats.elapsed, "config": settings})
    finally:
        await transport.close()
        if log is not None:
            log.close()
    source = replay or warc
    return replace(snapshot, warc=str(source) if source else None)


@dataclass
class _Found:
    """A fetched page with its parse, kept while the crawl runs."""

    fetched: Fetched
    parsed: ParsedPage | None
    kind: str


@dataclass
class _Crawl:
    url: str
    config: EngineConfig
    as_of: datetime
    fetcher: Fetcher
    progress: Progress | None
    pages: dict[str, Page] = field(default_factory=dict)
    link_sources: dict[str, list[tuple[int, str, str]]] = field(default_factory=dict)  # (kind, page, text)
    link_kinds: dict[str, str] = field(default_factory=dict)  # URL -> a | img | frame | script | style
    limits: set[str] = field(default_factory=set)
    budget: int = 0
    started: float = field(default_factory=time.monotonic)
    robots: RobotFileParser | None = None
    site_hosts: set[str] = field(default_factory=set)

    @property
    def day(self) -> date:
        return self.as_of.date()

    def _say(self, message: str) -> None:
        if self.progress:
            self.progress(message)

    def _out_of_time(self) -> bool:
        if time.monotonic() - self.started > self.config.max_seconds:
            self.limits.add("max_seconds")
            return True
        return False

    async def _page(self, url: str, kind: str, timeout: float | None = None) -> _Found | None:
        """Fetch and parse one page within the budgets; None when a budget says no."""
        if url in self.pages:
            return None
        if self.budget >= self.config.max_pages:
            self.limits.add("max_pages")
            return None
        if self._out_of_time():
            return None
        if not self._robots_allow(url):
            return None
        self.budget += 1
        self.pages[url] = _placeholder(url, kind)
        fetched = await self.fetcher.get(url, timeout=timeout)
        parsed = parse(fetched.text, fetched.final_url, kind == "home") if fetched.is_html and fetched.text else None
        self.pages[url] = self._record(fetched, parsed, kind)
        if parsed is not None:
            # keep the first few sources in a fixed order, whatever order pages arrive in
            order = KIND_ORDER.get(kind, 9)
            for link in (*parsed.links, *parsed.assets):
                self.link_kinds.setdefault(link.url, link.kind)
                sources = self.link_sources.setdefault(link.url, [])
                entry = (order, fetched.final_url, link.text)
                if all(s[1] != entry[1] for s in sources):
                    sources.append(entry)
                    sources.sort()
                    del sources[SOURCES_KEPT:]
        return _Found(fetched, parsed, kind)

    def _record(self, fetched: Fetched, parsed: ParsedPage | None, kind: str) -> Page:
        base = Page(
            url=fetched.url,
            final_url=fetched.final_url,
            kind=kind,
            outcome=fetched.outcome.value,
            status=fetched.status,
            error=fetched.error,
            chain=fetched.chain,
            elapsed=round(fetched.elapsed, 6),
            content_type=fetched.content_type,
            charset=fetched.charset,
            size=fetched.size,
            record_id=fetched.record_id,
        )
        if parsed is None:
            return base
        keep = ("main", "footer") if kind != "home" else ("main", "footer", "nav", "header")
        links = tuple(link for link in parsed.links if link.region in keep)
        published = meta_date = url_date = None
        if kind == "article":
            titles = (parsed.title, parsed.meta_value("ArticleTitle") or "")
            published = extract.published(parsed.main_text, self.day, titles, parsed.text)
            meta = parsed.meta_value("PubDate") or ""
            meta_date = dates.parse_date(meta, self.day)
            url_date = dates.date_in_url(fetched.final_url, self.day)
        return replace(
            base,
            title=parsed.title,
            meta=dict(parsed.meta),
            links=links,
            forms=tuple(FormRecord(f.action, f.method, f.fields) for f in parsed.forms),
            scripts=parsed.scripts,
            footer_text=parsed.footer_text[:TEXT_CAP],
            text=parsed.main_text[: HOME_TEXT_CAP if kind == "home" else TEXT_CAP] if kind in TEXT_KINDS else "",
            published=published,
            meta_date=meta_date,
            url_date=url_date,
            identity=parsed.identity,
        )

    async def run(self) -> Snapshot:
        self._say(f"homepage {self.url}")
        if self.config.respect_robots:
            await self._load_robots()
        home = await self._page(self.url, "home", timeout=self.config.homepage_timeout)
        assert home is not None
        self.site_hosts = {host_of(self.url), host_of(home.fetched.final_url)}
        probing = asyncio.ensure_future(self._probes())
        columns: list[Column] = []
        messages: list[Message] = []
        guides: list[Guide] = []
        search = SearchProbe(False, None, None, None, None, None, "the homepage could not be read")
        homepage_items: tuple[Item, ...] = ()
        if home.parsed is not None and home.parsed.root is not None and home.fetched.ok:
            rows = extract.rows(home.parsed.root, home.fetched.final_url, self.day, {self.url})
            homepage_items = tuple(Item(r.title, r.url, r.date) for r in rows if r.date is not None)
            await self._footer_includes(home)
            columns = await self._columns(home)
            self._say(f"{len(columns)} columns; reading articles, messages and guides")
            messages, guides = await self._details(columns)
            search = await self._search(home, columns)
        links = await self._links() if self.config.check_links else []
        probes = await probing
        pages = sorted(self.pages.values(), key=lambda p: (KIND_ORDER.get(p.kind, 9), p.url))
        homepage = self.pages[self.url]
        stats = Stats(
            pages_fetched=len(self.pages),
            requests=self.fetcher.requests,
            links_checked=len(links),
            elapsed=round(time.monotonic() - self.started, 3),
            limits_hit=tuple(sorted(self.limits)),
        )
        return Snapshot(
            schema=SCHEMA_VERSION,
            url=self.url,
            host=host_of(self.url),
            as_of=self.as_of,
            homepage=homepage,
            homepage_items=homepage_items,
            probes=probes,
            pages=tuple(pages),
            columns=tuple(columns),
            messages=tuple(messages),
            guides=tuple(guides),
            search=search,
            links=tuple(links),
            stats=stats,
            warc=None,
        )

    async def _footer_includes(self, home: _Found) -> None:
        """Footers served apart from the homepage — a same-site frame, or a script named
        for the footer (``footer.js``, ``bottom.js``) that writes it: what they show is
        added to the homepage's footer identifiers, when some are not shown there."""
        record = self.pages[self.url]
        if home.parsed is None or all(record.identity.get(k) == "present" for k in footer.IDS):
            return
        targets = [link.url for link in home.parsed.links if link.kind == "frame"]
        targets += [u for u in home.parsed.scripts if FOOTER_SCRIPT.search(urlsplit(u).path)]
        shown = [footer.Identifiers.from_record(record.identity)]
        for url in [u for u in dict.fromkeys(targets) if self._internal(u)][:FOOTER_INCLUDES]:
            found = await self._page(url, "include")
            if found is None or not found.fetched.ok or found.fetched.text is None:
                continue
            if found.fetched.is_html:
                shown.append(footer.identify(document(found.fetched.text)))
            else:
                shown.append(footer.identify_script(found.fetched.text))
        self.pages[self.url] = replace(record, identity=footer.merge(shown).as_record())

    async def _probes(self) -> tuple[Probe, ...]:
        """Homepage probes started ``probe_interval`` apart through the crawl, each under
        the 15 s rule; a slow homepage costs the crawl one timeout, not one per probe."""

        async def probe(delay: float) -> Probe:
            if self.fetcher.pace and delay:
                await asyncio.sleep(delay)
            fetched = await self.fetcher.get(self.url, timeout=self.config.homepage_timeout, retry=False)
            return Probe(fetched.outcome.value, fetched.status, round(fetched.elapsed, 6))

        interval = self.config.probe_interval
        count = self.config.availability_probes
        if self.fetcher.pace:
            probes = await asyncio.gather(*(probe((n + 1) * interval) for n in range(count)))
        else:  # a replay answers in recorded order: ask one at a time
            probes = [await probe(0) for _ in range(count)]
        return tuple(sorted(probes, key=lambda p: (p.elapsed, p.outcome, p.status or 0)))  # order-free

    async def _load_robots(self) -> None:
        parts = urlsplit(self.url)
        robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
        fetched = await self.fetcher.get(robots_url, page_redirects=False)
        parser = RobotFileParser(robots_url)
        parser.parse((fetched.text or "").splitlines() if fetched.ok else [])
        self.robots = parser
        self.site_hosts = {host_of(self.url)}

    def _robots_allow(self, url: str) -> bool:
        """False for a URL of this site that robots.txt (in robots mode) disallows; the
        homepage is always read, as the availability rule requires."""
        if (
            self.robots is None
            or url == self.url
            or not self._internal(url)
            or self.robots.can_fetch(self.config.user_agent, url)
        ):
            return True
        self.limits.add("robots")
        return False

    def _internal(self, url: str) -> bool:
        return host_of(url) in self.site_hosts

    # -- columns -------------------------------------------------------------------

    def _column_links(self, parsed: ParsedPage, skip: set[str]) -> list[tuple[str, str, bool]]:
        """``(url, name, in navigation)`` of the column-like links of a page."""
        found: dict[str, tuple[str, bool]] = {}
        for link in parsed.links:
            if link.region == "footer" or link.url in skip or link.url in found or extract.is_homepage(link.url):
                continue
            if self._internal(link.url) and extract.column_like(link.text) and not extract.is_document(link.url):
                found[link.url] = (link.text, link.region in ("nav", "header"))
        return [(url, name, nav) for url, (name, nav) in found.items()]

    async def _columns(self, home: _Found) -> list[Column]:
        """Columns linked from the homepage, then the sub-columns of container columns.

        A homepage shortcut to a sub-column (办事指南 under 办事服务) is a second-level
        column: it takes the level, parent and name its container gives it."""
        assert home.parsed is not None
        skip = {self.url, home.fetched.final_url}
        linked = self._column_links(home.parsed, skip)[:60]
        self._say(f"{len(linked)} column links on the homepage")
        fetched = await asyncio.gather(*(self._column(u, n, 1, None) for u, n, _ in linked))
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
        pending: list[tuple[str, str, str]] = []
        for column, subs in firsts:
            for sub_url, sub_name in subs:
                if sub_url in by_url and by_url[sub_url].kind != "container":
                    by_url[sub_url] = replace(by_url[sub_url], level=2, parent=column.url, name=sub_name,
                                              cls=extract.classify(sub_name))  # fmt: skip
                elif sub_url not in by_url and all(sub_url != p[0] for p in pending):
                    pending.append((sub_url, sub_name, column.url))
        seconds = await asyncio.gather(*(self._column(u, n, 2, p) for u, n, p in pending))
        for second, _ in seconds:
            if second is not None and second.url not in by_url:
                by_url[second.url] = second
                order.append(second.url)
        return [by_url[u] for u in order]

    async def _column(
        self, url: str, name: str, level: int, parent: str | None
    ) -> tuple[Column | None, list[tuple[str, str]]]:
        found = await self._page(url, "column")
        if found is None:
            return None, []
        cls = extract.classify(name)
        fetched, parsed = found.fetched, found.parsed
        url = fetched.final_url if fetched.ok else url  # a moved column is known by where it lives now
        if not fetched.ok or parsed is None or parsed.root is None:
            kind = "unreachable" if not fetched.ok else "page"
            return Column(
                name, url, level, parent, cls, kind, fetched.outcome.value, (), None, False, None, 1, None
            ), []
        skip = {self.url, fetched.final_url, url} | ({parent} if parent else set())
        rows = extract.list_items(extract.rows(parsed.root, fetched.final_url, self.day, skip))
        if not rows and (framed := await self._framed_list(parsed, skip)) is not None:
            fetched, parsed = framed.fetched, framed.parsed  # the list lives in a same-site frame
            assert parsed is not None and parsed.root is not None
            rows = extract.list_items(extract.rows(parsed.root, fetched.final_url, self.day, skip))
        dated = [r for r in rows if r.date is not None]
        subs: list[tuple[str, str]] = []
        note = None
        pages_read = 1
        if dated:
            kind = "board" if extract.looks_like_board(dated) else "list"
            rows = await self._more_pages(kind, cls, parsed, fetched.final_url, rows, skip)
            pages_read = max(1, len({r.container for r in rows}))
        elif len(rows) >= 2 and level == 1 and all(extract.column_like(r.title) for r in rows):
            kind, subs, rows = "container", [(r.url, r.title) for r in rows], []
        elif rows:
            kind = "guides" if "指南" in name or cls == "service" else "list"
        else:
            residue = _residue(parsed.main_text, name)
            note = extract.empty_note(residue)
            kind = "page" if note is None and len(residue) >= 40 and not extract.EMPTY_MARKS.search(residue) else "list"
        items = tuple(Item(r.title, r.url, r.date) for r in rows)
        latest = max((r.date for r in rows if r.date is not None), default=None)
        blank = kind == "list" and not items and note is None
        total = extract.stated_total(parsed.main_text)
        column = Column(name, url, level, parent, cls, kind, "ok", items, latest, blank, note, pages_read, total)
        return column, subs

    async def _framed_list(self, parsed: ParsedPage, skip: set[str]) -> _Found | None:
        """The page of the first same-site frame in a column page's main region: many
        platforms show a column's list in an ``<iframe>``."""
        for link in parsed.links:
            if link.kind == "frame" and link.region == "main" and self._internal(link.url) and link.url not in skip:
                found = await self._page(link.url, "column")
                if (
                    found is not None
                    and found.fetched.ok
                    and found.parsed is not None
                    and found.parsed.root is not None
                ):
                    return found
                return None
        return None

    async def _more_pages(
        self, kind: str, cls: str, parsed: ParsedPage, url: str, rows: list[extract.Row], known: set[str]
    ) -> list[extract.Row]:
        """Further list pages, only while a check needs them."""
        if self.config.full_lists:
            horizon, wanted = None, self.config.list_pages_per_column
        elif kind == "board":
            horizon = self.day - MESSAGE_HORIZON
            wanted = self.config.list_pages_per_column
        elif cls == "news":
            horizon, wanted = None, min(NEWS_PAGES, self.config.list_pages_per_column)
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
            found = await self._page(nxt, "column")
            if found is None or found.parsed is None or found.parsed.root is None:
                break
            more = extract.list_items(extract.rows(found.parsed.root, found.fetched.final_url, self.day, known))
            seen = {r.url for r in out}
            fresh = [extract.Row(r.title, r.url, r.date, r.text, page_number) for r in more if r.url not in seen]
            if not fresh:
                break
            out += fresh
            current, page_url = found.parsed, found.fetched.final_url
        return out

    # -- details ---------------------------------------------------------------------

    async def _details(self, columns: list[Column]) -> tuple[list[Message], list[Guide]]:
        """Articles (a sample per column), recent messages and service guides. Each page
        is reduced to what the snapshot keeps as soon as it is read, so a large site's
        parse trees never pile up."""
        article_jobs: list[str] = []
        message_jobs: list[tuple[Column, Item]] = []
        guide_jobs: list[tuple[Column, Item]] = []
        horizon = self.day - MESSAGE_HORIZON
        for column in columns:
            if column.kind == "board":
                recent = [i for i in column.items if i.date is None or i.date >= horizon]
                message_jobs += [(column, i) for i in recent]
            elif column.kind == "guides":
                guide_jobs += [(column, i) for i in column.items]
            elif column.kind == "list":
                picks = [i for i in column.items if not extract.is_document(i.url) and self._internal(i.url)]
                article_jobs += [i.url for i in picks[: self.config.articles_per_column]]
        article_jobs += self._same_titles(columns)
        await asyncio.gather(*(self._article(u) for u in dict.fromkeys(article_jobs)))
        messages = await asyncio.gather(*(self._message(c, i) for c, i in message_jobs[: self.config.messages_max]))
        guides = await asyncio.gather(*(self._guide(i) for _, i in guide_jobs[: self.config.guides_max]))
        return list(messages), list(guides)

    def _same_titles(self, columns: list[Column]) -> list[str]:
        """Both pages of items listed twice under one title on different dates, so the
        checks can compare their text (旧稿新发, 一稿多发)."""
        by_title: dict[str, list[Item]] = {}
        for column in columns:
            if column.kind == "list":
                for item in column.items:
                    if len(item.title) >= 8 and item.date is not None and self._internal(item.url):
                        by_title.setdefault(item.title, []).append(item)
        groups = [g for g in by_title.values() if len({i.url for i in g}) > 1 and len({i.date for i in g}) > 1]
        # the most recent repeats first: a story posted again lately is what 旧稿新发 means
        groups.sort(key=lambda g: (max(i.date or date.min for i in g), g[0].title), reverse=True)
        urls: list[str] = []
        for group in groups[:DUPLICATE_GROUPS]:
            urls += sorted({i.url for i in group})[:DUPLICATE_GROUP_SIZE]
        return urls

    async def _article(self, url: str) -> None:
        await self._page(url, "article")

    async def _message(self, column: Column, item: Item) -> Message:
        found = await self._page(item.url, "message")
        page = self.pages.get(item.url)
        outcome = page.outcome if page else Outcome.SCANNER_ERROR.value
        asked, replied, reply_date = item.date, None, None
        if found is not None and found.parsed is not None and found.fetched.ok:
            asked, replied, reply_date = extract.message_state(found.parsed.main_text, self.day)
            asked = asked or item.date
        return Message(item.url, item.title, column.url, asked, replied, reply_date, outcome)

    async def _guide(self, item: Item) -> Guide:
        found = await self._page(item.url, "guide")
        page = self.pages.get(item.url)
        outcome = page.outcome if page else Outcome.SCANNER_ERROR.value
        elements: tuple[str, ...] = ()
        if found is not None and found.parsed is not None and found.fetched.ok:
            elements = extract.guide_elements(found.parsed.main_text)
        return Guide(item.url, item.title, elements, outcome)

    # -- search ------------------------------------------------------------------------

    async def _search(self, home: _Found, columns: list[Column]) -> SearchProbe:
        assert home.parsed is not None
        form = next((f for f in home.parsed.forms if f.fields and f.method == "get"), None)
        if form is None:
            return SearchProbe(False, None, None, None, None, None, "no search form on the homepage")
        query = self._probe_query(columns)
        if query is None:
            return SearchProbe(True, None, None, None, None, None, "no recent article title to search for")
        params = [(form.fields[0], query), *form.all_fields]
        encoding = home.fetched.charset or "utf-8"
        try:
            qs = urlencode(params, encoding=encoding)
        except UnicodeEncodeError:
            qs = urlencode(params, encoding="utf-8")
        target = form.action.split("#")[0] + ("&" if "?" in form.action else "?") + qs
        found = await self._page(target, "search")
        if found is None:
            return SearchProbe(True, target, query, None, None, None, "page budget spent")
        if not found.fetched.ok or found.parsed is None:
            return SearchProbe(True, target, query, found.fetched.outcome.value, None, None, "results page failed")
        results = [link.text for link in found.parsed.links if link.region == "main"]
        hit, count, why = extract.search_answer(found.parsed.main_text, results, query)
        return SearchProbe(True, target, query, "ok", hit, count, why)

    def _probe_query(self, columns: list[Column]) -> str | None:
        """The title of the newest article in a news-like column."""
        candidates = [
            item
            for column in columns
            if column.kind == "list" and column.cls in ("news", "notice", "policy")
            for item in column.items[:1]
            if item.date is not None
        ]
        if not candidates:
            return None
        newest = max(candidates, key=lambda i: (i.date or date.min, i.title))
        return newest.title

    # -- links ------------------------------------------------------------------------

    async def _links(self) -> list[LinkCheck]:
        known = {p.url: p for p in self.pages.values()} | {p.final_url: p for p in self.pages.values()}
        targets = [u for u in sorted(self.link_sources) if self._robots_allow(u)]
        if len(targets) > self.config.max_links:
            self.limits.add("max_links")
            targets = targets[: self.config.max_links]
        self._say(f"checking {len(targets)} links")
        gate = asyncio.Semaphore(self.config.global_concurrency)

        async def check(url: str) -> LinkCheck:
            sources = self.link_sources[url]
            internal = self._internal(url)
            page = known.get(url)
            if page is not None:
                status, outcome, error, method = page.status, page.outcome, page.error, "GET"
            else:
                async with gate:
                    fetched = await self.fetcher.get(url, method="HEAD", page_redirects=False)
                    method = "HEAD"
                    if fetched.status in (403, 405, 501):  # HEAD refused: ask again with GET
                        fetched = await self.fetcher.get(url, page_redirects=False)
                        method = "GET"
                status, outcome, error = fetched.status, fetched.outcome.value, fetched.error
            pages = tuple(page for _, page, _ in sources)
            return LinkCheck(url, internal, outcome, status, method, pages, sources[0][2], error, self.link_kinds[url])

        return list(await asyncio.gather(*(check(u) for u in targets)))


def config_from_record(data: dict[str, Any]) -> EngineConfig:
    """The settings a recorded crawl ran with (see :meth:`WarcLog.run_info`)."""
    return load(EngineConfig, data)


def _placeholder(url: str, kind: str) -> Page:
    return Page(url, url, kind, Outcome.SCANNER_ERROR.value, None, "in progress", (), 0.0, "", None, 0, None)


def _residue(main_text: str, name: str) -> str:
    """A column page's main text without its name and breadcrumb words."""
    text = main_text.replace(name, " ")
    for word in ("当前位置", "首页", ">", "您现在的位置", "所在位置"):
        text = text.replace(word, " ")
    return clean(text)
