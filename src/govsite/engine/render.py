"""Rendering script-built pages (渲染): Debian's chromium driven by Playwright.

Many government sites fill their columns, lists and footers from a JSON API in the
browser; fetched as plain HTML such a column looks blank. :class:`Browser` holds one
chromium for the scans of one event loop: started when a page first needs it, at most
``pages`` pages open at once, each under a time limit and the V8 heap cap, and the
browser started afresh after ``restart_after`` pages or when it crashed. Playwright is
imported only then, so the engine runs without it (the page is recorded
``not rendered (no browser)``).

The browser itself reaches nothing: :func:`render` intercepts every request it makes.
The page's own document is answered with the HTML already fetched; every other
request goes through a :class:`~govsite.engine.fetch.Fetcher` — the engine's proxy,
address guard, per-host limiter and WARC log, exactly as the plain crawl's requests
do. Images, fonts, media and stylesheets are not fetched (nothing is judged on them);
requests other than GET and HEAD are refused.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from govsite.engine.config import EngineConfig
from govsite.engine.fetch import Fetched, Fetcher
from govsite.engine.transport import ReplayTransport, WarcLog

#: What became of a page that needed rendering (``Page.rendered``).
RENDERED = "rendered"
NO_BROWSER = "not rendered (no browser)"
FAILED = "render failed"

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--mute-audio",
]
#: Resource types the browser is not given: nothing on a page is judged by them.
SKIPPED_TYPES = (
    "image", "media", "font", "stylesheet", "websocket", "eventsource", "manifest", "texttrack", "other"
)  # fmt: skip
#: How long the page's requests must all have been answered before its DOM is read
#: (after the load event), and how often that is looked at.
SETTLE_SECONDS = 0.15
_LOOK = 0.05
_CHARSET = re.compile(r";\s*charset=[^;]*", re.IGNORECASE)


@dataclass(frozen=True)
class Rendering:
    """What rendering one page gave: its DOM, or why there is none."""

    outcome: str  # RENDERED | NO_BROWSER | FAILED
    dom: str | None
    error: str | None = None
    requests: int = 0  # requests the page made (answered through the fetcher)
    elapsed: float = 0.0


@dataclass
class Tab:
    """A page of the pool, kept open between renderings (a new page costs a renderer
    process); ``answer`` is the current rendering's request handler."""

    context: Any
    page: Any
    generation: int  # the browser it belongs to
    answer: Callable[[Any], Awaitable[None]] | None = None


class Browser:
    """One chromium for the scans of one event loop (see the module's docstring)."""

    def __init__(
        self,
        executable: str = "/usr/bin/chromium",
        *,
        pages: int = 2,
        restart_after: int = 100,
        memory_mb: int = 512,
    ) -> None:
        self.executable = executable
        self.restart_after = restart_after
        self.memory_mb = memory_mb
        self.missing: str | None = None if Path(executable).exists() else f"no chromium at {executable}"
        self.launches = 0  # browsers started (restarts included)
        self.served = 0  # pages rendered by the current browser
        self._pages = asyncio.Semaphore(pages)
        self._lock = asyncio.Lock()
        self._open = 0
        self._idle: list[Tab] = []
        self._generation = 0
        self._playwright: Any = None
        self._browser: Any = None

    @classmethod
    def configured(cls, config: EngineConfig) -> Browser:
        """The browser ``config`` describes (not started: that waits for a page that needs it)."""
        browser = cls(config.browser, pages=config.render_pages, restart_after=config.render_restart,
                      memory_mb=config.render_memory_mb)  # fmt: skip
        if not config.render:
            browser.missing = "rendering is off (render = false)"
        return browser

    @property
    def available(self) -> bool:
        return self.missing is None

    @contextlib.asynccontextmanager
    async def tab(self) -> AsyncIterator[Tab]:
        """One of the pool's pages, its cookies cleared after use; a page that failed is
        closed rather than kept."""
        async with self._pages:
            tab = await self._take()
            self._open += 1
            kept = False
            try:
                yield tab
                kept = True
            finally:
                self._open -= 1
                self.served += 1
                tab.answer = None
                if kept and tab.generation == self._generation and self._browser is not None:
                    with contextlib.suppress(Exception):
                        await tab.context.clear_cookies()
                        self._idle.append(tab)
                else:
                    with contextlib.suppress(Exception):  # a crashed browser has taken it already
                        await tab.context.close()

    @contextlib.asynccontextmanager
    async def context(self, **options: Any) -> AsyncIterator[Any]:
        """A fresh browser context of its own (screenshots: scripts off), within the pool's bound."""
        async with self._pages:
            browser = await self._ready()
            self._open += 1
            context = None
            try:
                context = await browser.new_context(**options)
                yield context
            finally:
                self._open -= 1
                if context is not None:
                    with contextlib.suppress(Exception):
                        await context.close()

    async def _take(self) -> Tab:
        browser = await self._ready()
        while self._idle:
            tab = self._idle.pop()
            if tab.generation == self._generation and not tab.page.is_closed():
                return tab
        context = await browser.new_context(service_workers="block")
        tab = Tab(context, await context.new_page(), self._generation)

        async def route(request: Any) -> None:
            if tab.answer is None:
                await request.abort("blockedbyclient")
            else:
                await tab.answer(request)

        await context.route("**/*", route)
        return tab

    async def _ready(self) -> Any:
        async with self._lock:
            stale = self._browser is not None and (
                not self._browser.is_connected() or (self.served >= self.restart_after and self._open == 0)
            )
            if stale:
                await self._close_browser()
            if self._browser is None:
                await self._launch()
            return self._browser

    async def _launch(self) -> None:
        if self.missing:
            raise BrowserMissing(self.missing)
        try:
            from playwright.async_api import async_playwright
        except ImportError as exc:
            self.missing = "Playwright is not installed"
            raise BrowserMissing(self.missing) from exc
        if self._playwright is None:
            self._playwright = await async_playwright().start()
        try:
            self._browser = await self._playwright.chromium.launch(
                executable_path=self.executable, args=[*ARGS, f"--js-flags=--max-old-space-size={self.memory_mb}"]
            )
        except Exception as exc:
            self.missing = f"chromium at {self.executable} does not start: {str(exc)[:200]}"
            raise BrowserMissing(self.missing) from exc
        self.launches += 1
        self._generation += 1
        self.served = 0

    async def _close_browser(self) -> None:
        browser, self._browser = self._browser, None
        self._idle.clear()
        if browser is not None:
            with contextlib.suppress(Exception):
                await browser.close()

    async def close(self) -> None:
        async with self._lock:
            await self._close_browser()
            if self._playwright is not None:
                with contextlib.suppress(Exception):
                    await self._playwright.stop()
                self._playwright = None


class BrowserMissing(RuntimeError):
    """Chromium or Playwright is not there: pages are not rendered."""


async def render(browser: Browser, fetcher: Fetcher, url: str, html: str, timeout: float) -> Rendering:
    """Open ``html`` (fetched from ``url``) in ``browser`` and return the DOM its scripts
    built, every request they make answered through ``fetcher``."""
    if not browser.available:
        return Rendering(NO_BROWSER, None, browser.missing)
    started = time.monotonic()
    asked = 0
    pending = 0

    async def answer(route: Any) -> None:
        nonlocal pending
        pending += 1
        try:
            await _answer(route)
        finally:
            pending -= 1

    async def settled() -> None:
        """Until no request of the page has been waiting for SETTLE_SECONDS."""
        quiet = 0.0
        while quiet < SETTLE_SECONDS:
            await asyncio.sleep(_LOOK)
            quiet = quiet + _LOOK if pending == 0 else 0.0

    async def _answer(route: Any) -> None:
        nonlocal asked
        request = route.request
        if request.url.split("#")[0] == url.split("#")[0] and request.is_navigation_request() and asked == 0:
            asked += 1
            await route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html.encode("utf-8"))
            return
        if request.resource_type in SKIPPED_TYPES or request.method not in ("GET", "HEAD"):
            await route.abort("blockedbyclient")
            return
        if not request.url.startswith(("http://", "https://")):
            await route.abort("blockedbyclient")
            return
        asked += 1
        fetched = await fetcher.get(request.url, method=request.method, page_redirects=False, retry=False)
        await _fulfil(route, fetched)

    try:
        async with browser.tab() as tab:
            tab.answer = answer
            page = tab.page
            async with asyncio.timeout(timeout):
                await page.goto(url, wait_until="load", timeout=timeout * 1000)
                with contextlib.suppress(TimeoutError):  # a page that keeps polling is read as it is
                    await asyncio.wait_for(settled(), max(1.0, timeout / 4))
                dom: str = await page.content()
    except BrowserMissing as exc:
        return Rendering(NO_BROWSER, None, str(exc))
    except TimeoutError:
        return Rendering(FAILED, None, f"not rendered within {timeout:g} s", asked, time.monotonic() - started)
    except Exception as exc:  # a crashed tab or browser: the page is read as fetched
        return Rendering(FAILED, None, f"{type(exc).__name__}: {str(exc)[:200]}", asked, time.monotonic() - started)
    return Rendering(RENDERED, dom[: fetcher.config.max_body_bytes], None, asked, round(time.monotonic() - started, 6))


async def _fulfil(route: Any, fetched: Fetched) -> None:
    """Answer the browser's request with what the fetcher got; a failure or a refusal
    by the address guard is a failed request to the page."""
    if fetched.status is None or fetched.text is None or fetched.binary:
        await route.abort("blockedbyclient" if "address guard" in (fetched.error or "") else "failed")
        return
    ctype = _CHARSET.sub("", fetched.content_type or "text/plain") + "; charset=utf-8"
    await route.fulfill(status=fetched.status, content_type=ctype, body=fetched.text.encode("utf-8"))


class Renderings(Protocol):
    """Where the crawl's renderings come from: a browser (live) or the WARC file (replay)."""

    async def render(self, fetched: Fetched, reason: str) -> tuple[Rendering, str | None]:
        """The rendering of ``fetched`` and the WARC record holding it."""
        ...


class LiveRenderings:
    """Pages rendered by a :class:`Browser`, their requests made by a fetcher of their own
    (the engine's proxy, guard and host limiter; ``Govsite-Via: browser`` in the WARC),
    each rendering recorded beside the page's raw response."""

    def __init__(self, browser: Browser, fetcher: Fetcher, log: WarcLog | None, timeout: float) -> None:
        self.browser, self.fetcher, self.log, self.timeout = browser, fetcher, log, timeout

    async def render(self, fetched: Fetched, reason: str) -> tuple[Rendering, str | None]:
        assert fetched.text is not None
        rendering = await render(self.browser, self.fetcher, fetched.final_url, fetched.text, self.timeout)
        record = None
        if self.log is not None:
            details = {"reason": reason, "error": rendering.error, "requests": rendering.requests}
            record = self.log.rendering(fetched.final_url, rendering.outcome, rendering.dom, details, fetched.record_id)
        return rendering, record


class ArchivedRenderings:
    """The renderings a recorded crawl made, answered in the order it made them."""

    def __init__(self, transport: ReplayTransport) -> None:
        self.transport = transport

    async def render(self, fetched: Fetched, reason: str) -> tuple[Rendering, str | None]:
        queue = self.transport.renderings.get(fetched.final_url)
        if not queue:
            return Rendering(FAILED, None, f"no rendering of {fetched.final_url} in the archive"), None
        outcome, dom, details, record = queue.popleft()
        return Rendering(outcome, dom, details.get("error"), int(details.get("requests") or 0)), record
