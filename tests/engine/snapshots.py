"""Small hand-made snapshots for check and scoring tests: real parsing of the HTML
given, none of the crawl."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from typing import Any

from govsite.engine.html import parse
from govsite.engine.snapshot import Column, FormRecord, Page, SearchProbe, Snapshot, Stats

AS_OF = datetime(2026, 11, 23, 10, tzinfo=timezone(timedelta(hours=8)))
URL = "http://www.example.gov.cn/"


def page(url: str, html: str, kind: str = "home", **changes: Any) -> Page:
    parsed = parse(html, url)
    base = Page(
        url=url,
        final_url=url,
        kind=kind,
        outcome="ok",
        status=200,
        error=None,
        chain=(),
        elapsed=0.1,
        content_type="text/html; charset=utf-8",
        charset="utf-8",
        size=len(html),
        record_id="<urn:uuid:test>",
        title=parsed.title,
        meta=dict(parsed.meta),
        links=parsed.links,
        forms=tuple(FormRecord(f.action, f.method, f.fields) for f in parsed.forms),
        scripts=parsed.scripts,
        footer_text=parsed.footer_text,
        text=parsed.main_text,
        identity=parsed.identity,
    )
    return replace(base, **changes)


def column(name: str, cls: str, latest: date | None, level: int = 1, **changes: Any) -> Column:
    url = f"{URL}col/{abs(hash(name)) % 10000}/index.html"
    base = Column(name, url, level, None, cls, "list", "ok", (), latest, False, None, 1, None)
    return replace(base, **changes)


def snapshot(home_html: str = "<html><body></body></html>", **changes: Any) -> Snapshot:
    home = page(URL, home_html)
    base = Snapshot(
        schema=1,
        url=URL,
        host="www.example.gov.cn",
        as_of=AS_OF,
        homepage=home,
        homepage_items=(),
        probes=(),
        pages=(home,),
        columns=(),
        messages=(),
        guides=(),
        search=SearchProbe(True, f"{URL}search?q=x", "x", "ok", True, 1),
        links=(),
        stats=Stats(1, 1, 0, 0.1, ()),
        warc=None,
    )
    return replace(base, **changes)
