"""The snapshot: a frozen, JSON-serialisable picture of one site at one moment.

Everything the checks need and nothing live: pages with their outcome, redirect
chain, timing, text, links, forms and meta tags; the columns (栏目) with their items
and dates; the message board; service guides; the search probe; every link checked.
``to_json``/``from_json`` round-trip it exactly (docs/snapshot.md is the schema).
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class HopRecord:
    url: str
    status: int
    kind: str  # http | meta | script


@dataclass(frozen=True)
class LinkRecord:
    url: str
    text: str
    region: str  # nav | header | main | footer
    kind: str = "a"  # a (a hyperlink) | img | frame | script | style


@dataclass(frozen=True)
class FormRecord:
    action: str
    method: str
    fields: tuple[str, ...]


@dataclass(frozen=True)
class Page:
    """One fetched page."""

    url: str
    final_url: str
    kind: str  # home | column | article | message | guide | search
    outcome: str
    status: int | None
    error: str | None
    chain: tuple[HopRecord, ...]
    elapsed: float
    content_type: str
    charset: str | None
    size: int
    record_id: str | None  # the WARC record of the final response
    title: str = ""
    meta: dict[str, str] = dataclasses.field(default_factory=dict)
    links: tuple[LinkRecord, ...] = ()
    forms: tuple[FormRecord, ...] = ()
    scripts: tuple[str, ...] = ()
    footer_text: str = ""
    text: str = ""  # the main region's text (capped)
    published: date | None = None  # the date the page shows (articles)
    meta_date: date | None = None  # meta PubDate
    url_date: date | None = None  # a date written into the URL
    identity: dict[str, str] = dataclasses.field(default_factory=dict)  # footer identifiers (engine/footer.py)
    render: str = ""  # why the plain HTML looked script-built (engine/scripted.py); "": judged as fetched
    rendered: str = ""  # what rendering gave: rendered | not rendered (no browser) | render failed
    render_record: str | None = None  # the WARC record of the rendered DOM (or of why there is none)

    @property
    def unrendered(self) -> bool:
        """The page needed rendering and was judged without it: what it lacks may be there."""
        return bool(self.render) and self.rendered != "rendered"


@dataclass(frozen=True)
class Item:
    """An entry of a column's list: an article, a message or a guide."""

    title: str
    url: str
    date: date | None


@dataclass(frozen=True)
class Column:
    """A column (栏目) as discovered on the site."""

    name: str
    url: str
    level: int  # 1: reached from the homepage; 2 and 3: listed by a container column one level up
    parent: str | None  # URL of the parent column
    cls: str  # news | notice | policy | interpretation | personnel | plan | open_government | service | interaction | other
    kind: str  # list | container | page | board | guides | unreachable
    outcome: str
    items: tuple[Item, ...]
    latest: date | None
    blank: bool
    note: str | None  # a visible explanation of why the column is empty
    pages_fetched: int
    item_total: int | None  # the total the site states (共N条/共N页), when it does


@dataclass(frozen=True)
class Message:
    """A consultation message (咨询留言)."""

    url: str
    title: str
    column: str
    asked: date | None
    replied: bool | None  # None: the page does not say
    reply_date: date | None
    outcome: str


@dataclass(frozen=True)
class Guide:
    """A service guide (办事指南) and the elements it shows."""

    url: str
    title: str
    elements: tuple[str, ...]
    outcome: str


@dataclass(frozen=True)
class SearchProbe:
    form_found: bool
    url: str | None  # the results page requested
    query: str | None
    outcome: str | None
    found: bool | None  # None: the probe could not run
    result_count: int | None
    reason: str | None = None

    @classmethod
    def not_run(
        cls, why: str, *, form_found: bool, url: str | None = None, query: str | None = None, outcome: str | None = None
    ) -> SearchProbe:
        """A probe that could not ask or read an answer, and why."""
        return cls(form_found=form_found, url=url, query=query, outcome=outcome, found=None, result_count=None,
                   reason=why)  # fmt: skip


#: The error of a link target left unchecked when the crawl's time budget ran out.
LINK_UNCHECKED = "not checked: the crawl's time budget (max_seconds) ran out"


@dataclass(frozen=True)
class LinkCheck:
    url: str
    internal: bool
    outcome: str
    status: int | None
    method: str
    sources: tuple[str, ...]  # pages where the link was seen (first few)
    text: str
    error: str | None
    kind: str = "a"  # what the page used the target as: a | img | frame | script | style

    @property
    def unchecked(self) -> bool:
        """Whether the crawl's time ran out before this target was asked."""
        return self.error == LINK_UNCHECKED


@dataclass(frozen=True)
class Probe:
    """One extra homepage probe of the availability rule."""

    outcome: str
    status: int | None
    elapsed: float


@dataclass(frozen=True)
class Stats:
    pages_fetched: int
    requests: int  # every request asked, the browser's included
    links_checked: int
    elapsed: float
    limits_hit: tuple[str, ...]
    browser_requests: int = 0  # of ``requests``, those a page's scripts made while it was rendered
    hosts: dict[str, int] = field(default_factory=dict)  # ``requests`` by host


@dataclass(frozen=True)
class Snapshot:
    schema: int
    url: str  # as given (the registry's URL)
    host: str
    as_of: datetime
    homepage: Page
    homepage_items: tuple[Item, ...]  # dated entries the homepage lists
    probes: tuple[Probe, ...]  # extra homepage probes (availability)
    pages: tuple[Page, ...]
    columns: tuple[Column, ...]
    messages: tuple[Message, ...]
    guides: tuple[Guide, ...]
    search: SearchProbe
    links: tuple[LinkCheck, ...]
    stats: Stats
    warc: str | None

    def to_json(self, indent: int | None = None) -> str:
        return json.dumps(dump(self), ensure_ascii=False, indent=indent, sort_keys=False)

    @classmethod
    def from_json(cls, text: str) -> Snapshot:
        return load(cls, json.loads(text))

    def page(self, url: str) -> Page | None:
        return next((p for p in self.pages if url in (p.url, p.final_url)), None)


def dump(value: Any) -> Any:
    """A JSON-ready form of a snapshot object (dates as ISO strings)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: dump(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [dump(v) for v in value]
    if isinstance(value, dict):
        return {k: dump(v) for k, v in value.items()}
    return value


T = TypeVar("T")


def load(cls: type[T], data: Any) -> T:
    """Rebuild a snapshot object of type ``cls`` from :func:`dump` output."""
    return typing.cast(T, _load(cls, data))


def _load(tp: Any, data: Any) -> Any:
    if data is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        return _load(options[0], data)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        return tp(**{f.name: _load(hints[f.name], data[f.name]) for f in dataclasses.fields(tp) if f.name in data})
    if origin is tuple:
        (inner, *_rest) = typing.get_args(tp)
        return tuple(_load(inner, v) for v in data)
    if origin is dict:
        return dict(data)
    if tp is datetime:
        return datetime.fromisoformat(data)
    if tp is date:
        return date.fromisoformat(data)
    return data
