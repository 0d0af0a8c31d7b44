"""The sample world's data model: sites, columns (栏目) and what they hold.

A :class:`World` is built once from a seed and an as-of date (监测时间点) by
:mod:`govsite.samples.generate`. Column items are computed on demand from the seed,
so a site can be made very large without holding its pages in memory.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from govsite.samples import content
from govsite.samples.layouts import FIXED, Layout
from govsite.samples.places import Department, Place

#: Column classes (栏目类别) as the engine will classify them.
COLUMN_CLASSES = (
    "news",
    "notice",
    "policy",
    "interpretation",
    "personnel",
    "plan",
    "open_government",
    "service",
    "interaction",
    "other",
)

#: Update windows in days by column class (栏目不更新): news 2 weeks, notices and
#: policies 6 months, personnel and plans 1 year. Inclusive: an age of exactly the
#: window is stale.
UPDATE_WINDOWS: dict[str, int] = {
    "news": 14,
    "notice": 180,
    "policy": 180,
    "personnel": 365,
    "plan": 365,
}


@dataclass(frozen=True)
class Article:
    index: int
    title: str
    shown: date  # the date the page displays
    true: date  # the real publication date (differs only when forged)
    paragraphs: tuple[str, ...]
    attachment: str | None = None  # file extension of an attached document


@dataclass(frozen=True)
class Message:
    """A consultation message (咨询留言) on the message board."""

    index: int
    title: str
    asked: date
    question: str
    replied: date | None
    reply: str | None


@dataclass(frozen=True)
class Guide:
    """A service guide (办事指南) with the elements it shows."""

    index: int
    title: str
    updated: date
    elements: tuple[tuple[str, str], ...]
    missing: tuple[str, ...]


@dataclass(frozen=True)
class BrokenLink:
    """A dead link planted on a page: ``on`` is ``"home"`` or ``(column key, item)``."""

    on: str | tuple[str, int]
    href: str  # as written in the page
    target: str  # absolute URL
    text: str
    status: int  # what the fleet answers: 404, 403 or 502 (unknown host)
    scope: str  # internal | external


@dataclass
class Column:
    """A column (栏目) of a site."""

    key: str
    name: str
    cls: str
    kind: str  # list | page | container | board | guides | reports
    path: str  # directory-style path, used by the trs URL family
    cid: int  # numeric column id, used by every URL family but trs
    parent: str | None = None
    count: int = 0
    latest_age: int = 0  # days between the as-of date and the newest item
    gap: float = 1.0  # average days between consecutive items
    note: str | None = None  # explanatory note shown when the column is empty
    explicit: tuple[Article | Message | Guide, ...] = ()

    @property
    def level(self) -> int:
        return 1 if self.parent is None else 2

    @property
    def has_items(self) -> bool:
        return self.kind in ("list", "board", "guides", "reports")


@dataclass
class Site:
    """One government website (政府网站) of the fleet, with its injected defects."""

    host: str
    name: str
    code: str  # 网站标识码 as registered
    kind: str  # portal | department
    level: str  # one of the seven statistical levels
    place: Place
    department: Department | None
    organizer: str  # 主办单位
    supervisor: str  # 主管单位
    family: str  # URL/markup family: one of samples/layouts.py FAMILIES
    charset: str
    charset_in_header: bool
    charset_in_meta: bool
    home_redirect: str  # none | http | meta | script
    footer_style: str  # div | id | footer | table
    contacts: dict[str, str]
    columns: dict[str, Column] = field(default_factory=dict)
    shown_code: str | None = None  # code in the footer; None = not shown
    conac: bool = True
    icp: str | None = None
    psb: str | None = None
    jiucuo: bool = True
    search: str = "ok"  # ok | broken | missing
    availability: str = "ok"  # ok | down | error | slow | intermittent
    broken_links: tuple[BrokenLink, ...] = ()
    forged: dict[tuple[str, int], date] = field(default_factory=dict)  # -> true date
    republished: dict[tuple[str, int], int] = field(default_factory=dict)  # -> source
    miswritten: dict[tuple[str, int], str] = field(default_factory=dict)  # -> phrase
    links_out: tuple[tuple[str, str], ...] = ()  # (name, url) friendly links
    #: How the lists of its columns reach a browser (a scripted world only, ``samples/scripted.py``):
    #: "" in the HTML; inline (a data literal written by a script); xhr (one JSON file per
    #: column, XMLHttpRequest); paged (a paged JSON API asked with fetch)
    script: str = ""
    footer_written: bool = False  # the footer is written by an inline document.write
    layout: Layout = FIXED["trs"]  # its template's list, date and guide layout (samples/layouts.py)

    @property
    def url(self) -> str:
        return f"http://{self.host}/"

    @property
    def org(self) -> str:
        """The organisation that speaks in the site's text."""
        return self.organizer if self.department else self.place.name + "人民政府"

    def column(self, key: str) -> Column | None:
        return self.columns.get(key)


@dataclass
class World:
    """The whole sample province as served by the fleet."""

    seed: int
    as_of: date
    sites: dict[str, Site]
    items_per_column: int | None = None

    def site(self, host: str) -> Site | None:
        return self.sites.get(host)

    def item_date(self, column: Column, index: int) -> date:
        """The natural (true) date of a list item: newest first, never in the future."""
        return self.as_of - timedelta(days=column.latest_age + int(index * column.gap))

    def item(self, site: Site, column: Column, index: int) -> Article | Message | Guide:
        if column.explicit:
            return column.explicit[index]
        return _article(self, site.host, column.key, index)

    def title(self, site: Site, column: Column, index: int) -> str:
        """An item's title alone, cheaper than the whole item (site search uses it)."""
        if column.explicit:
            return column.explicit[index].title
        return _title(self, site, column, index)[0]

    def true_date(self, site: Site, column: Column, index: int) -> date:
        """The date an item's URL carries: its real publication date."""
        if not column.explicit:
            return self.item_date(column, index)
        found = column.explicit[index]
        if isinstance(found, Message):
            return found.asked
        if isinstance(found, Guide):
            return found.updated
        return found.true

    def items(self, site: Site, column: Column, start: int, stop: int) -> list[Article | Message | Guide]:
        stop = min(stop, column.count)
        return [self.item(site, column, i) for i in range(max(start, 0), stop)]


def _title(world: World, site: Site, column: Column, index: int) -> tuple[str, random.Random, date]:
    """The item's title, the random stream that goes on to write its body, and the date
    of the text (a republished item copies an older item's words)."""
    source = site.republished.get((column.key, index), index)
    rng = random.Random(f"{world.seed}:{site.host}:{column.key}:{source}")
    source_date = world.item_date(column, source)
    return content.title(rng, column.cls, site.org, site.place.name, source_date.year), rng, source_date


def _article(world: World, host: str, key: str, index: int) -> Article:
    site = world.sites[host]
    column = site.columns[key]
    title, rng, source_date = _title(world, site, column, index)
    true_date = world.item_date(column, index)
    shown = world.as_of if (key, index) in site.forged else true_date
    place = site.place.name
    paragraphs = content.paragraphs(
        rng,
        site.org,
        place,
        source_date,
        rng.randint(2, 5),
        content.MISWRITINGS[site.miswritten[(key, index)]] if (key, index) in site.miswritten else None,
    )
    attachment = None
    if column.cls == "service" or (column.cls == "policy" and rng.random() < 0.4):
        attachment = rng.choice(("doc", "pdf", "xls"))
    return Article(index, title, shown, true_date, tuple(paragraphs), attachment)
