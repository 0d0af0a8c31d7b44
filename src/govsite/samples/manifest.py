"""The ground truth of the sample world, read back from what the pages show.

``manifest(world)`` returns a JSON-ready dict: ``defects`` keyed by the check ids
of docs/domain.md, each entry with the site, the ``subject`` (what the defect is
about), the ``url`` of the page where it shows and its ``data``; ``controls``, the
look-alikes that are *not* defects (an empty column with an explanatory note, a
message left unanswered more than a year ago); and ``sites``, the registry record
and every column of each site with its class, latest date and item count.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from govsite.engine.dates import add_months, report_due_year
from govsite.samples import render, urls
from govsite.samples.content import MISWRITINGS
from govsite.samples.places import PROVINCE, place_by_code
from govsite.samples.world import UPDATE_WINDOWS, Column, Guide, Message, Site, World

SCHEMA_VERSION = 1
HOMEPAGE_WINDOW = 14  # days: 首页不更新 after 2 weeks (inclusive)
AVAILABILITY_CLASS = {"down": "connect", "error": "http_5xx", "slow": "timeout", "intermittent": "intermittent"}

Entry = dict[str, Any]


def manifest(world: World) -> dict[str, Any]:
    defects: dict[str, list[Entry]] = {}
    controls: dict[str, list[Entry]] = {}
    for site in world.sites.values():
        for check, entry in _site_defects(world, site):
            defects.setdefault(check, []).append(entry)
        for check, entry in _site_controls(world, site):
            controls.setdefault(check, []).append(entry)
    return {
        "schema": SCHEMA_VERSION,
        "seed": world.seed,
        "as_of": world.as_of.isoformat(),
        "province": PROVINCE.name,
        "defects": {k: defects[k] for k in sorted(defects)},
        "controls": {k: controls[k] for k in sorted(controls)},
        "sites": [site_record(world, s) for s in world.sites.values()],
    }


def absolute(site: Site, path: str) -> str:
    return path if path.startswith("http") else f"http://{site.host}{path}"


def column_url(site: Site, col: Column) -> str:
    return absolute(site, urls.column(site, col))


def item_url(world: World, site: Site, col: Column, index: int) -> str:
    return absolute(site, urls.item(site, col, index, world.true_date(site, col, index)))


def homepage_url(site: Site) -> str:
    """Where the homepage ends up after the root's redirect, if any."""
    return site.url if site.home_redirect == "none" else absolute(site, urls.home(site))


def site_record(world: World, site: Site) -> dict[str, Any]:
    place = site.place
    chain = [place]
    while chain[-1].parent:
        chain.append(place_by_code(chain[-1].parent))
    return {
        "host": site.host,
        "url": site.url,
        "homepage": homepage_url(site),
        "name": site.name,
        "code": site.code,
        "kind": site.kind,
        "level": site.level,
        "region": {"division_code": place.division_code, "names": [p.name for p in reversed(chain)]},
        "organizer": site.organizer,
        "supervisor": site.supervisor,
        "contacts": site.contacts,
        "family": site.family,
        "charset": site.charset,
        "charset_declared": {"header": site.charset_in_header, "meta": site.charset_in_meta},
        "availability": site.availability,
        "script": site.script,  # how its lists reach a browser ("": in the HTML; samples/scripted.py)
        "footer_written": site.footer_written,
        "columns": [_column_record(world, site, c) for c in site.columns.values()],
    }


def _column_record(world: World, site: Site, col: Column) -> dict[str, Any]:
    latest = latest_shown(world, site, col)
    return {
        "key": col.key,
        "name": col.name,
        "url": column_url(site, col),
        "level": col.level,
        "parent": col.parent,
        "class": col.cls,
        "kind": col.kind,
        "item_count": col.count if col.has_items else None,
        "latest_date": latest.isoformat() if latest else None,
        "blank": col.has_items and col.count == 0 and col.note is None,
        "note": col.note,
    }


def latest_shown(world: World, site: Site, col: Column) -> date | None:
    """The newest date a column's list shows (guides show none)."""
    if not col.has_items or col.count == 0 or col.kind == "guides":
        return None
    return max(render.shown_date(it) for it in world.items(site, col, 0, urls.PAGE_SIZE[site.family]))


def homepage_latest(world: World, site: Site) -> date | None:
    dates = [
        render.shown_date(it)
        for col in site.columns.values()
        if col.cls in render.HOMEPAGE_CLASSES and col.kind == "list"
        for it in world.items(site, col, 0, render.HOMEPAGE_BLOCK)
    ]
    return max(dates) if dates else None


def expected_host(site: Site) -> str:
    """The host the 2017 guideline expects: www.<place>.gov.cn or <dept>.<place>.gov.cn."""
    if site.department is None:
        return f"www.{site.place.slug}.gov.cn"
    return f"{site.department.slug}.{site.place.slug}.gov.cn"


def _site_defects(world: World, site: Site) -> list[tuple[str, Entry]]:
    home = site.url
    out: list[tuple[str, Entry]] = []

    def add(check: str, subject: str, url: str, **data: Any) -> None:
        out.append((check, {"site": site.host, "subject": subject, "url": url, "data": data}))

    if site.availability != "ok":
        add("availability.homepage_down", home, home, failure=AVAILABILITY_CLASS[site.availability])
    if site.availability in ("down", "error"):
        return out
    latest = homepage_latest(world, site)
    if latest is None or (world.as_of - latest).days >= HOMEPAGE_WINDOW:
        add("update.homepage_stale", home, home, latest=latest.isoformat() if latest else None)
    for col in site.columns.values():
        if col.kind != "list":
            continue
        col_latest = latest_shown(world, site, col)
        window = UPDATE_WINDOWS.get(col.cls)
        if col_latest and window and (world.as_of - col_latest).days >= window:
            add(
                "update.column_stale",
                column_url(site, col),
                column_url(site, col),
                column=col.name,
                **{"class": col.cls},
                latest=col_latest.isoformat(),
                window_days=window,
            )
        if col.count == 0 and col.note is None:
            add("update.column_blank", column_url(site, col), column_url(site, col), column=col.name)
    if not site.conac:
        add("identity.conac_missing", home, home)
    if site.shown_code != site.code:
        add("identity.site_code_missing", home, home, registered=site.code, shown=site.shown_code)
    if not site.icp:
        add("identity.icp_missing", home, home)
    if not site.psb:
        add("identity.psb_missing", home, home)
    if not site.jiucuo:
        add("identity.error_report_entry_missing", home, home)
    expected = expected_host(site)
    if site.host != expected:
        add("domain.nonconforming", home, home, expected=expected)
    if site.search == "missing":
        add("search.missing", home, home)
    elif site.search == "broken":
        add("search.broken", home, home)
    board = site.column("board")
    if board is None:
        add("interaction.channel_missing", home, home)
    else:
        for msg in board.explicit:
            assert isinstance(msg, Message)
            if _overdue(world, msg) and world.as_of - msg.asked <= timedelta(days=365):
                url = item_url(world, site, board, msg.index)
                add(
                    "interaction.unanswered", url, url, asked=msg.asked.isoformat(), days=(world.as_of - msg.asked).days
                )
    guides = site.column("guides")
    if site.column("service") is None:
        add("service.missing", home, home)
    elif guides is not None:
        for guide in guides.explicit:
            assert isinstance(guide, Guide)
            if guide.missing:
                url = item_url(world, site, guides, guide.index)
                add(
                    "service.guide_incomplete",
                    url,
                    url,
                    missing=list(guide.missing),
                    guides_checked=len(guides.explicit),
                )
    if site.column("interpretation") is None:
        add("interpretation.missing", home, home)
    required = report_due_year(world.as_of)
    years = [int(re.findall(r"（(\d{4})年度）", it.title)[0]) for it in site.columns["annual"].explicit]
    if required not in years:
        add("annual_report.missing", home, home, year=required)
    for (key, later), source in sorted(site.republished.items()):
        col = site.columns[key]
        url = item_url(world, site, col, later)
        add("content.republished", url, url, earlier=item_url(world, site, col, source))
    for (key, index), true in sorted(site.forged.items()):
        col = site.columns[key]
        url = item_url(world, site, col, index)
        add("content.forged_date", url, url, shown=world.as_of.isoformat(), true=true.isoformat())
    for (key, index), phrase in sorted(site.miswritten.items()):
        col = site.columns[key]
        url = item_url(world, site, col, index)
        add("wording.serious_error", url, url, wrong=MISWRITINGS[phrase], correct=phrase)
    for link in site.broken_links:
        if isinstance(link.on, tuple):
            key, index = link.on
            page = item_url(world, site, site.columns[key], index)
        else:
            page = homepage_url(site)
        add("links.broken", link.target, page, status=link.status, scope=link.scope)
    return out


def _overdue(world: World, msg: Message) -> bool:
    return msg.replied is None and add_months(msg.asked, 3) <= world.as_of


def _site_controls(world: World, site: Site) -> list[tuple[str, Entry]]:
    out: list[tuple[str, Entry]] = []
    for col in site.columns.values():
        if col.has_items and col.count == 0 and col.note:
            url = column_url(site, col)
            out.append(
                ("update.column_blank", {"site": site.host, "subject": url, "url": url, "data": {"note": col.note}})
            )
    board = site.column("board")
    for msg in board.explicit if board else ():
        assert isinstance(msg, Message)
        if _overdue(world, msg) and world.as_of - msg.asked > timedelta(days=365):
            url = item_url(world, site, board, msg.index) if board else ""
            out.append(
                (
                    "interaction.unanswered",
                    {"site": site.host, "subject": url, "url": url, "data": {"asked": msg.asked.isoformat()}},
                )
            )
    return out
