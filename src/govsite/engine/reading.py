"""Reading one page for the crawl: asked of :class:`Admission`, fetched, parsed, reduced
to the :class:`Page` the snapshot keeps, and its links noted in the :class:`LinkBook`.
Every stage reads through one :class:`Reader`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from govsite.engine import dates, extract, scripted
from govsite.engine.admission import Admission
from govsite.engine.fetch import Fetched, Fetcher
from govsite.engine.html import ParsedPage, links_only, parse
from govsite.engine.linkcheck import LinkBook
from govsite.engine.outcome import Outcome
from govsite.engine.render import Renderings
from govsite.engine.snapshot import FormRecord, Page

TEXT_CAP = 4000  # characters of main text kept per page
HOME_TEXT_CAP = 20000  # the homepage keeps more text: its footer identifiers are checked
LEAN_KIND = "page"  # full-site pages: their record keeps the title only (the LinkBook, their links)
LINKS_KEPT = 10_000  # links a page's record keeps (every target is still checked, see LinkBook)
TEXT_KINDS = ("home", "article", "message", "guide", "search")  # column pages are kept as their items

Progress = Callable[[str], None]


@dataclass
class Found:
    """A fetched page with its parse, kept while a stage works on it."""

    fetched: Fetched
    parsed: ParsedPage | None
    kind: str


@dataclass
class Reader:
    admission: Admission
    fetcher: Fetcher
    as_of: datetime
    progress: Progress | None = None
    pages: dict[str, Page] = field(default_factory=dict)
    links: LinkBook = field(default_factory=LinkBook)
    renderings: Renderings | None = (
        None  # None: pages are judged as fetched, no decision made (archives older than rendering)
    )

    @property
    def day(self) -> date:
        return self.as_of.date()

    def say(self, message: str) -> None:
        if self.progress:
            self.progress(message)

    async def read(self, url: str, kind: str, timeout: float | None = None) -> Found | None:
        """Fetch and parse one page; None when admission says no."""
        if not self.admission.admit(url):
            return None
        self.pages[url] = _placeholder(url, kind)
        fetched = await self.fetcher.get(url, timeout=timeout)
        parsed = None
        if fetched.is_html and fetched.text:
            lean = kind == LEAN_KIND  # full-site pages are read for their links only
            parsed = (
                links_only(fetched.text, fetched.final_url)
                if lean
                else parse(fetched.text, fetched.final_url, kind == "home")
            )
        page = None
        if self.renderings is not None and parsed is not None and kind != LEAN_KIND and fetched.ok and fetched.text:
            why = scripted.reason(fetched.text, parsed, kind)
            if why is not None:
                rendering, record = await self.renderings.render(fetched, why)
                if rendering.dom is not None:  # what a visitor sees is what is judged
                    parsed = parse(rendering.dom, fetched.final_url, kind == "home")
                page = replace(self._record(fetched, parsed, kind), render=why, rendered=rendering.outcome,
                               render_record=record)  # fmt: skip
        page = page or self._record(fetched, parsed, kind)
        self.pages[url] = page
        if parsed is not None:
            self.links.note(parsed, kind, fetched.final_url)
        return Found(fetched, parsed, kind)

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
        if kind == LEAN_KIND:
            return replace(base, title=parsed.title)
        keep = ("main", "footer") if kind != "home" else ("main", "footer", "nav", "header")
        links = tuple(dict.fromkeys(link for link in parsed.links if link.region in keep))  # each once
        if len(links) > LINKS_KEPT:
            self.admission.limits.add("page_links")
            links = links[:LINKS_KEPT]
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


def _placeholder(url: str, kind: str) -> Page:
    """A page being read (the scanner's own state until its answer arrives)."""
    return Page(url=url, final_url=url, kind=kind, outcome=Outcome.SCANNER_ERROR.value, status=None,
                error="in progress", chain=(), elapsed=0.0, content_type="", charset=None, size=0,
                record_id=None)  # fmt: skip
