"""Link checking (链接检查): every link target seen on the pages read, each asked once.

The :class:`LinkBook` notes where each target was seen while the crawl reads pages;
:func:`check_links` then answers for each target — from the page itself when the crawl
read it, else with one cheap question (:func:`ask`): ``HEAD`` first, and ``GET`` again
where a server refuses ``HEAD`` (403, 405, 501 — many old CMSs), so a refused method
never reads as a dead link. :class:`Questions` asks about targets on other hosts as soon
as they are seen, while the crawl goes on, so their hosts' politeness runs beside the
site's rather than after it; the site's own targets wait for the crawl, which may read
them as pages (a page read is never asked again) and whose pages come first in the
host's turn. Link checks keep to the crawl's time budget (``max_seconds``):
the questions still open when it runs out are cancelled and their targets reported
unchecked (``LinkCheck.unchecked``), which the links check turns into 待核查."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from govsite.engine import extract
from govsite.engine.config import EngineConfig
from govsite.engine.fetch import Fetched, Fetcher
from govsite.engine.html import ParsedPage
from govsite.engine.outcome import Outcome
from govsite.engine.snapshot import LINK_UNCHECKED, LinkCheck, Page

if TYPE_CHECKING:
    from govsite.engine.admission import Admission

REFUSED_HEAD = (403, 405, 501)
SOURCES_KEPT = 3  # pages recorded per link target
NEVER_READ = ("img", "style", "script")  # link kinds the full-site walk never reads as pages
KIND_ORDER = {"home": 0, "include": 1, "column": 2, "article": 3, "message": 4, "guide": 5, "search": 6}


@dataclass
class LinkBook:
    """Each link target seen: the first few pages showing it (in a fixed order, whatever
    order pages arrive in) with its text, and what it is (a, img, frame, script, style)."""

    sources: dict[str, list[tuple[int, str, str]]] = field(default_factory=dict)  # (kind order, page, text)
    kinds: dict[str, str] = field(default_factory=dict)
    on_new: Callable[[str, str], None] | None = None  # told of each target when first seen: (url, kind)

    def note(self, parsed: ParsedPage, kind: str, page_url: str) -> None:
        order = KIND_ORDER.get(kind, 9)
        for link in (*parsed.links, *parsed.assets):
            if link.url not in self.kinds:
                self.kinds[link.url] = link.kind
                if self.on_new is not None:
                    self.on_new(link.url, link.kind)
            sources = self.sources.setdefault(link.url, [])
            entry = (order, page_url, link.text)
            if len(sources) >= SOURCES_KEPT and entry >= sources[-1]:
                continue  # it would sort after the pages kept
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


class Questions:
    """The link questions of one crawl, each target asked at most once, at most
    ``max_links`` of them, ``global_concurrency`` at a time."""

    def __init__(self, admission: Admission, fetcher: Fetcher, config: EngineConfig) -> None:
        self.admission, self.fetcher, self.config = admission, fetcher, config
        self.asking: dict[str, asyncio.Future[tuple[Fetched, str]]] = {}
        self._gate = asyncio.Semaphore(config.global_concurrency)
        self._book = LinkBook()
        self._unreadable = False

    def start_early(self, book: LinkBook) -> None:
        """From now on (the site's hosts known), ask about each target on another host
        as soon as it is seen; those seen already, at once."""
        self._book = book
        book.on_new = self._early
        for url, kind in list(book.kinds.items()):
            self._early(url, kind)

    def start_unreadable(self) -> None:
        """From now on, also ask about the site's own targets no stage will read as a
        page — attachments, images, scripts, stylesheets — as soon as they are seen:
        once only the full-site walk reads pages, which reads neither."""
        self._unreadable = True
        for url, kind in list(self._book.kinds.items()):
            self._early(url, kind)

    def _early(self, url: str, kind: str) -> None:
        if self.admission.internal(url) and (
            not (self._unreadable and (kind in NEVER_READ or extract.is_document(url))) or url in self.admission.seen
        ):
            return  # the crawl may still read it as a page, or has read it
        if url not in self.asking and len(self.asking) < self.config.max_links and self.admission.robots_allow(url):
            self.ask(url)

    def ask(self, url: str) -> None:
        if url not in self.asking:
            self.asking[url] = asyncio.ensure_future(self._asked(url))

    async def _asked(self, url: str) -> tuple[Fetched, str]:
        async with self._gate:
            return await ask(self.fetcher, url)

    async def drop(self, urls: Iterable[str]) -> None:
        """Cancel the questions about ``urls`` (answered otherwise, or beyond a limit)."""
        dropped = [task for u in urls if (task := self.asking.pop(u, None)) is not None]
        for task in dropped:
            task.cancel()
        await asyncio.gather(*dropped, return_exceptions=True)


async def check_links(
    book: LinkBook,
    pages: dict[str, Page],
    questions: Questions,
    say: Callable[[str], None],
) -> list[LinkCheck]:
    """Every target in ``book`` that robots mode allows, at most ``max_links``, in URL order."""
    admission, config = questions.admission, questions.config
    book.on_new = None
    known = {p.url: p for p in pages.values()} | {p.final_url: p for p in pages.values()}
    targets = [u for u in sorted(book.sources) if admission.robots_allow(u)]
    if len(targets) > config.max_links:
        admission.limits.add("max_links")
        targets = targets[: config.max_links]
    chosen = set(targets)
    await questions.drop([u for u in questions.asking if u not in chosen or u in known])
    for url in targets:
        if url not in known:
            questions.ask(url)
    asking = questions.asking
    say(f"checking {len(targets)} links ({sum(1 for t in asking.values() if t.done())} answered during the crawl)")
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
