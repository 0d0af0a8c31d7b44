"""Small hand-made snapshots for check and scoring tests: real parsing of the HTML
given, none of the crawl."""

from __future__ import annotations

import zlib
from dataclasses import replace
from datetime import date
from typing import Any

from govsite.engine.html import parse
from govsite.engine.snapshot import Column, FormRecord, Page, SearchProbe, Snapshot, Stats
from govsite.samples.testing import TEST_NOW

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
    url = f"{URL}col/{zlib.crc32(name.encode()) % 10000}/index.html"  # the same in every process
    base = Column(name=name, url=url, level=level, parent=None, cls=cls, kind="list", outcome="ok", items=(),
                  latest=latest, blank=False, note=None, pages_fetched=1, item_total=None)  # fmt: skip
    return replace(base, **changes)


def snapshot(home_html: str = "<html><body></body></html>", **changes: Any) -> Snapshot:
    home = page(URL, home_html)
    base = Snapshot(
        schema=1,
        url=URL,
        host="www.example.gov.cn",
        as_of=TEST_NOW,
        homepage=home,
        homepage_items=(),
        probes=(),
        pages=(home,),
        columns=(),
        messages=(),
        guides=(),
        search=SearchProbe(
            form_found=True, url=f"{URL}search?q=x", query="x", outcome="ok", found=True, result_count=1
        ),
        links=(),
        stats=Stats(1, 1, 0, 0.1, ()),
        warc=None,
    )
    return replace(base, **changes)
