"""Link checking (链接检查): every link target seen on the pages read, each asked once.

The :class:`LinkBook` notes where each target was seen while the crawl reads pages;
:func:`check_links` then answers for each target — from the page itself when the crawl
read it, else with one cheap question (:func:`ask`): ``HEAD`` first, and ``GET`` again
where a server refuses ``HEAD`` (403, 405, 501 — many old CMSs), so a refused method
never reads as a dead link. Link checks keep to the crawl's time budget (``max_seconds``):
the questions still open when it runs out are cancelled and their targets reported
unchecked (``LinkCheck.unchecked``), which the links check turns into 待核查."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from govsite.engine.config import EngineConfig
from govsite.engine.fetch import Fetched, Fetcher
from govsite.engine.html import ParsedPage
from govsite.engine.outcome import Outcome
from govsite.engine.snapshot import LINK_UNCHECKED, LinkCheck, Page

if TYPE_CHECKING:
    from govsite.engine.admission import Admission

REFUSED_HEAD = (403, 405, 501)
SOURCES_KEPT = 3  # pages recorded per link target
KIND_ORDER = {"home": 0, "include": 1, "column": 2, "article": 3, "message": 4, "guide": 5, "search": 6}


@dataclass
class LinkBook:
    """Each link target seen: the first few pages showing it (in a fixed order, whatever
    order pages arrive in) with its text, and what it is (a, img, frame, script, style)."""

    sources: dict[str, list[tuple[int, str, str]]] = field(default_factory=dict)  # (kind order, page, text)
    kinds: dict[str, str] = field(default_factory=dict)

    def note(self, parsed: ParsedPage, kind: str, page_url: str) -> None:
        order = KIND_ORDER.get(kind, 9)
        for link in (*parsed.links, *parsed.assets):
            self.kinds.setdefault(link.url, link.kind)
            sources = self.sources.setdefault(link.url, [])
            entry = (order, page_url, link.text)
            if all(s[1] != entry[1] for s in sources):
                sources.append(entry)
                sources.sort()
                del sources[SOURCES_KEPT:]


async def ask(fetcher: Fetcher, url: str) -> tuple[Fetched, str]:
    """The answer for ``url`` and the method that gave it (``HEAD`` or ``GET``); redirects
    are followed as HTTP redirects only (a link target is not read as a page)."""
    fetched = await fetcher.get(url, method="HEAD", page_redirects=False)
    if fetched.status in REFUSED_HEAD:
        return await fetcher.get(url, page_redirects=False), "GET"
    return fetched, "HEAD"


async def check_links(
    book: LinkBook,
    pages: dict[str, Page],
    admission: Admission,
    fetcher: Fetcher,
    config: EngineConfig,
    say: Callable[[str], None],
) -> list[LinkCheck]:
    """Every target in ``book`` that robots mode allows, at most ``max_links``, in URL order."""
    known = {p.url: p for p in pages.values()} | {p.final_url: p for p in pages.values()}
    targets = [u for u in sorted(book.sources) if admission.robots_allow(u)]
    if len(targets) > config.max_links:
        admission.limits.add("max_links")
        targets = targets[: config.max_links]
    say(f"checking {len(targets)} links")
    gate = asyncio.Semaphore(config.global_concurrency)

    async def asked(url: str) -> tuple[Fetched, str]:
        async with gate:
            return await ask(fetcher, url)

    asking = {u: asyncio.ensure_future(asked(u)) for u in targets if u not in known}
    left = admission.started + config.max_seconds - time.monotonic()
    if asking:
        _, late = await asyncio.wait(asking.values(), timeout=max(left, 0))
        for task in late:  # the crawl's time is spent: these targets stay unchecked
            task.cancel()
        await asyncio.gather(*late, return_exceptions=True)
        if late:
            admission.limits.add("max_seconds")

    def checked(url: str) -> LinkCheck:
        sources = book.sources[url]
        page, task = known.get(url), asking.get(url)
        if page is not None:
            status, outcome, error, method = page.status, page.outcome, page.error, "GET"
        elif task is not None and not task.cancelled():
            fetched, method = task.result()
            status, outcome, error = fetched.status, fetched.outcome.value, fetched.error
        else:
            status, outcome, error, method = None, Outcome.SCANNER_ERROR.value, LINK_UNCHECKED, ""
        return LinkCheck(url=url, internal=admission.internal(url), outcome=outcome, status=status, method=method,
                         sources=tuple(page for _, page, _ in sources), text=sources[0][2], error=error,
                         kind=book.kinds[url])  # fmt: skip

    return [checked(u) for u in targets]
