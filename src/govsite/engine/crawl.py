"""The bounded crawl of one site, from its homepage to a :class:`Snapshot`.

1. The homepage, under the availability rule's own timeout.
2. Columns: column-like links of the homepage (level 1), then the sub-columns of
   columns that only list other columns (level 2). Each column's list page is read
   for items and dates; further list pages only where a check needs them (message
   boards back over the last 15 months, news for repeated stories).
3. A sample of article pages per column, the messages of the last 15 months, the
   service guides.
4. The search probe: the homepage's search form, asked for a recent title.
5. In full-site mode (``full``), every other page of the site's hosts reachable from
   those read (``fullsite``).
6. Every link seen on fetched pages, each target once (HEAD, GET where HEAD is
   refused); targets on other hosts are asked while the crawl goes on.

Limits (pages, links, time) are settings; what a limit cut is listed in
``stats.limits_hit``. Decisions never depend on which request finished first, so a
replay from the WARC file gives the same snapshot.

This module is the plan; each stage lives in a module of its own and reads pages
through one :class:`~govsite.engine.reading.Reader`, which asks the one
:class:`~govsite.engine.admission.Admission` (duplicates, budgets, robots) first:
``columns`` (discovery and paging), ``details`` (articles, messages, guides),
``search_probe``, ``linkcheck`` (the link book and the checks).
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections import Counter
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from govsite.engine import dates, extract, footer
from govsite.engine.admission import Admission
from govsite.engine.columns import discover
from govsite.engine.config import EngineConfig
from govsite.engine.details import start_details
from govsite.engine.dom import document
from govsite.engine.fetch import Fetcher
from govsite.engine.fullsite import read_site
from govsite.engine.hostlimit import HostLimiter
from govsite.engine.linkcheck import KIND_ORDER, Questions, check_links
from govsite.engine.profile import homepage_timeout
from govsite.engine.reading import Found, Progress, Reader
from govsite.engine.render import ArchivedRenderings, Browser, LiveRenderings, Renderings
from govsite.engine.search_probe import probe_search
from govsite.engine.snapshot import (
    SCHEMA_VERSION,
    Column,
    Guide,
    Item,
    Message,
    Probe,
    SearchProbe,
    Snapshot,
    Stats,
    dump,
    load,
)
from govsite.engine.transport import LiveTransport, ReplayTransport, Transport, WarcLog
from govsite.engine.urlnorm import host_of, normalise

#: Scripts whose name says they write the footer, and how many footer includes are read.
FOOTER_SCRIPT = re.compile(r"(foot|bottom|btm|copyright|banquan)[^/]*\.js$", re.IGNORECASE)
FOOTER_INCLUDES = 3


async def crawl(
    url: str | None,
    config: EngineConfig | None = None,
    *,
    warc: Path | None = None,
    replay: Path | None = None,
    progress: Progress | None = None,
    limiter: HostLimiter | None = None,
    browser: Browser | None = None,
) -> Snapshot:
    """Crawl the site at ``url``, recording to ``warc``; or, with ``replay``, run the
    same crawl again from such a file, offline, with the settings, start URL and as-of
    date recorded in it. ``limiter``: per-host politeness shared with other scans
    (none: this crawl's own, from ``config``); ``browser``: the chromium that renders
    script-built pages, shared with other scans of this event loop (none: this crawl's
    own, started only if a page needs it; a replay reads the recorded renderings)."""
    config = config or EngineConfig()
    config = replace(config, homepage_timeout=homepage_timeout(config))  # recorded as applied
    transport: Transport
    log = None
    own_browser: Browser | None = None
    browser_transport: LiveTransport | None = None
    browser_fetcher: Fetcher | None = None
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
        fetcher = Fetcher(transport, config, pace=replay is None, limiter=limiter)
        renderings: Renderings | None = None
        if isinstance(transport, ReplayTransport):  # an archive made before rendering was judged without it
            renderings = ArchivedRenderings(transport) if "render" in recorded.get("config", {}) else None
        else:
            if not config.render:
                browser = Browser.configured(config)  # never started: pages are judged as fetched
            elif browser is None:
                own_browser = browser = Browser.configured(config)
            browser_transport = LiveTransport(config, log, via="browser")
            browser_fetcher = Fetcher(browser_transport, config, limiter=fetcher.limiter)
            renderings = LiveRenderings(browser, browser_fetcher, log, config.render_timeout)
        reader = Reader(Admission(start_url, config), fetcher, as_of, progress, renderings=renderings)
        snapshot = await _run(reader, start_url)
        # the browser's requests: counted by its fetcher, or (a replay makes none) as recorded
        by_browser = Counter(browser_fetcher.hosts if browser_fetcher else recorded.get("browser_requests") or {})
        snapshot = replace(snapshot, stats=_with_browser(snapshot.stats, fetcher.hosts, by_browser))
        if "elapsed" in recorded:
            snapshot = replace(snapshot, stats=replace(snapshot.stats, elapsed=recorded["elapsed"]))
        if log is not None:
            settings = dump(replace(config, as_of=as_of))
            log.run_info({"url": start_url, "elapsed": snapshot.stats.elapsed, "config": settings,
                          "browser_requests": dict(by_browser)})  # fmt: skip
    finally:
        await transport.close()
        if browser_transport is not None:
            await browser_transport.close()
        if own_browser is not None:
            await own_browser.close()
        if log is not None:
            log.close()
    source = replay or warc
    return replace(snapshot, warc=str(source) if source else None)


def _with_browser(stats: Stats, crawled: Counter[str], by_browser: Counter[str]) -> Stats:
    """``stats`` counting the requests of the crawl's fetcher and of the browser's, per host."""
    hosts = crawled + by_browser
    return replace(stats, requests=sum(hosts.values()), browser_requests=sum(by_browser.values()),
                   hosts=dict(sorted(hosts.items())))  # fmt: skip


async def _run(reader: Reader, start: str) -> Snapshot:
    """The plan: homepage, columns, details, search probe, links; the availability
    probes run beside it all."""
    admission, config = reader.admission, reader.admission.config
    reader.say(f"homepage {start}")
    if config.respect_robots:
        await admission.load_robots(reader.fetcher)
    home = await reader.read(start, "home", timeout=config.homepage_timeout)
    assert home is not None
    admission.site_hosts = {host_of(start), host_of(home.fetched.final_url)}
    crawled = asyncio.Event()
    probing = asyncio.ensure_future(_probes(reader, start, crawled))
    questions = Questions(admission, reader.fetcher, config)
    if config.check_links:
        questions.start_early(reader.links)
    columns: list[Column] = []
    messages: list[Message] = []
    guides: list[Guide] = []
    search = SearchProbe.not_run("the homepage could not be read", form_found=False)
    homepage_items: tuple[Item, ...] = ()
    if home.parsed is not None and home.parsed.root is not None and home.fetched.ok:
        rows = extract.rows(home.parsed.root, home.fetched.final_url, reader.day, {start})
        homepage_items = tuple(Item(r.title, r.url, r.date) for r in rows if r.date is not None)
        await _footer_includes(reader, start, home)
        columns = await discover(reader, home, start)
        reader.say(f"{len(columns)} columns; reading articles, messages and guides")
        details = start_details(reader, columns)
        searching = asyncio.ensure_future(probe_search(reader, home, columns))  # admitted after the details
        messages, guides = await details
        search = await searching
        if config.full:
            if config.check_links:  # the walk reads pages only: other targets are asked beside it
                questions.start_unreadable()
            await read_site(reader, drained=crawled.set)  # the probes take the walk's last free slots
    links = await check_links(reader.links, reader.pages, questions, reader.say) if config.check_links else []
    crawled.set()
    probes = await probing
    pages = sorted(reader.pages.values(), key=lambda p: (KIND_ORDER.get(p.kind, 9), p.url))
    stats = Stats(
        pages_fetched=len(reader.pages),
        requests=reader.fetcher.requests,
        links_checked=len(links),
        elapsed=round(time.monotonic() - admission.started, 3),
        limits_hit=tuple(sorted(admission.limits)),
    )
    return Snapshot(
        schema=SCHEMA_VERSION,
        url=start,
        host=host_of(start),
        as_of=reader.as_of,
        homepage=reader.pages[start],
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


async def _footer_includes(reader: Reader, start: str, home: Found) -> None:
    """Footers served apart from the homepage — a same-site frame, or a script named
    for the footer (``footer.js``, ``bottom.js``) that writes it: what they show is
    added to the homepage's footer identifiers, when some are not shown there."""
    record = reader.pages[start]
    if home.parsed is None or all(record.identity.get(k) == "present" for k in footer.IDS):
        return
    targets = [link.url for link in home.parsed.links if link.kind == "frame"]
    targets += [u for u in home.parsed.scripts if FOOTER_SCRIPT.search(urlsplit(u).path)]
    shown = [footer.Identifiers.from_record(record.identity)]
    for url in [u for u in dict.fromkeys(targets) if reader.admission.internal(u)][:FOOTER_INCLUDES]:
        found = await reader.read(url, "include")
        if found is None or not found.fetched.ok or found.fetched.text is None:
            continue
        if found.fetched.is_html:
            shown.append(footer.identify(document(found.fetched.text)))
        else:
            shown.append(footer.identify_script(found.fetched.text))
    reader.pages[start] = replace(record, identity=footer.merge(shown).as_record())


async def _probes(reader: Reader, start: str, crawled: asyncio.Event) -> tuple[Probe, ...]:
    """Homepage probes started ``probe_interval`` apart through the crawl, each under
    the homepage timeout; a slow homepage costs the crawl one timeout, not one per probe.
    Probes still waiting when the crawl is done — in full-site mode, as soon as the walk
    has nothing left to queue — start then (the host's pause between them still kept):
    a site's fixed cost overlaps its crawl rather than following it."""
    fetcher, config = reader.fetcher, reader.admission.config

    async def probe(delay: float) -> Probe:
        if fetcher.pace and delay:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(crawled.wait(), delay)
        fetched = await fetcher.get(start, timeout=config.homepage_timeout, retry=False)
        return Probe(fetched.outcome.value, fetched.status, round(fetched.elapsed, 6))

    interval = config.probe_interval
    count = config.availability_probes
    if fetcher.pace:
        probes = await asyncio.gather(*(probe((n + 1) * interval) for n in range(count)))
    else:  # a replay answers in recorded order: ask one at a time
        probes = [await probe(0) for _ in range(count)]
    return tuple(sorted(probes, key=lambda p: (p.elapsed, p.outcome, p.status or 0)))  # order-free


def config_from_record(data: dict[str, Any]) -> EngineConfig:
    """The settings a recorded crawl ran with (see :meth:`WarcLog.run_info`)."""
    return load(EngineConfig, data)
