"""Sites whose lists a browser builds: the fleet learns JavaScript.

In a world built with ``scripted=True`` three healthy sites serve their list columns
as an empty container and a script that fills it, in the site's own list markup:

- ``inline``: the page carries the rows as a data literal (``var DATA = [...]``); the
  same site writes its footer with ``document.write``;
- ``xhr``: the rows come from ``/api/col<cid>.json`` by XMLHttpRequest — this site has
  a truly empty list column (its JSON holds no rows: blank, as in the HTML world);
- ``paged``: each list page asks a paged API, ``/api/list?col=<cid>&page=N``, with
  ``fetch``; the pager stays in the HTML.

What each column holds is unchanged (the manifest's truth is the same), and every
other site needs no script at all.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from typing import Any

from govsite.samples import render, urls
from govsite.samples.layouts import Layout
from govsite.samples.world import Column, Site, World

MODES = ("inline", "xhr", "paged")

#: Each row layout's row, as the HTML list writes it (samples/render.py ``ROWS``).
_ROWS = {
    "ul": "'<li><a href=\"'+e(r.u)+'\" target=\"_blank\" title=\"'+e(r.t)+'\">'+e(r.t)+'</a>"
    "<span class=\"date\">'+e(r.d)+'</span></li>'",
    "table": "'<tr><td class=\"title\"><a href=\"'+e(r.u)+'\" title=\"'+e(r.t)+'\">'+e(r.t)+'</a></td>"
    "<td class=\"date\">'+e(r.d)+'</td></tr>'",
    "div": "'<div class=\"item\"><a href=\"'+e(r.u)+'\">'+e(r.t)+'</a><div class=\"time\">'+e(r.d)+'</div></div>'",
}
_BOXES = {
    "ul": '<ul class="list-ul" id="list-box"></ul>',
    "table": '<table class="list-table" width="100%"><tbody id="list-box"></tbody></table>',
    "div": '<div class="news-list" id="list-box"></div>',
}
_EMPTY_BOX = '<div id="list-empty"></div>'


def script_sites(world: World) -> None:
    """Make three healthy sites build their lists by script (one per mode), deterministically."""
    hosts = sorted(h for h, s in world.sites.items() if s.availability == "ok" and s.home_redirect == "none")
    xhr = next(h for h in hosts if any(_blank(c) for c in world.sites[h].columns.values()))
    paged = next(
        h for h in hosts if h != xhr and any(_paged(world.sites[h], c) for c in world.sites[h].columns.values())
    )
    inline = next(h for h in hosts if h not in (xhr, paged))
    for host, mode in ((inline, "inline"), (xhr, "xhr"), (paged, "paged")):
        world.sites[host].script = mode
        world.sites[host].layout = _plain(world.sites[host].layout)
    world.sites[inline].footer_written = True


def _plain(layout: Layout) -> Layout:
    """The layout a script here writes: title then full date, in a ul, table or div list
    shown in the page itself."""
    return dataclasses.replace(
        layout,
        rows=layout.rows if layout.rows in _ROWS else "ul",
        date_first=False,
        bracket=False,
        framed=False,
        date_style="iso" if layout.date_style == "md" else layout.date_style,
    )


def _blank(col: Column) -> bool:
    return col.kind == "list" and col.count == 0 and col.note is None


def _paged(site: Site, col: Column) -> bool:
    return col.kind == "list" and col.count > urls.PAGE_SIZE[site.family]


def scripted(site: Site, col: Column) -> bool:
    """Whether ``col``'s list is built by script on ``site``."""
    return bool(site.script) and col.kind == "list"


def rows(world: World, site: Site, col: Column, number: int) -> list[dict[str, str]]:
    """List page ``number``'s rows as the JSON carries them: title, link, date shown."""
    size = urls.PAGE_SIZE[site.family]
    items = world.items(site, col, (number - 1) * size, number * size)
    style = site.layout.date_style
    return [
        {
            "t": it.title,
            "u": render.item_href(world, site, col, it.index, from_column_page=True),
            "d": render.fmt(render.shown_date(it), style),
        }
        for it in items
    ]


def listing(world: World, site: Site, col: Column, number: int) -> str:
    """The list region of page ``number``: an empty container and the script that fills it."""
    if site.script == "inline":
        source = f"show({_js(rows(world, site, col, number))});"
    elif site.script == "xhr":
        source = (
            f"var x=new XMLHttpRequest();x.open('GET','/api/col{col.cid}.json');"
            "x.onload=function(){show(JSON.parse(x.responseText).rows);};x.send();"
        )
    else:
        source = f"fetch('/api/list?col={col.cid}&page={number}').then(function(r){{return r.json();}})" + (
            ".then(function(d){show(d.rows);});"
        )
    script = (
        "(function(){var box=document.getElementById('list-box');"
        "function e(s){return String(s).replace(/&/g,'&amp;').replace(/</g,'&lt;').replace(/>/g,'&gt;')"
        ".replace(/\"/g,'&quot;');}"
        f"function show(rs){{if(!rs.length){{document.getElementById('list-empty').innerHTML={_js(render.empty(site, col))};return;}}"
        f"var h='';for(var i=0;i<rs.length;i++){{var r=rs[i];h+={_ROWS[site.layout.rows]};}}box.innerHTML=h;}}"
        f"{source}}})();"
    )
    library = '<script src="/images/jquery.min.js"></script>'  # a script file the browser asks for, as such pages load
    return f"{_BOXES[site.layout.rows]}{_EMPTY_BOX}{library}<script>{script}</script>"


def api(world: World, site: Site, path: str, query: Mapping[str, str]) -> dict[str, Any] | None:
    """The JSON a scripted site's API answers, or None (404)."""
    if site.script == "xhr" and path.startswith("/api/col") and path.endswith(".json"):
        cid, number = path.removeprefix("/api/col").removesuffix(".json"), 1
    elif site.script == "paged" and path == "/api/list":
        cid, number = query.get("col", ""), int(query.get("page", "1")) if query.get("page", "1").isdigit() else 0
    else:
        return None
    col = next((c for c in site.columns.values() if str(c.cid) == cid and scripted(site, c)), None)
    if col is None or not 1 <= number <= urls.pages(site, col):
        return None
    return {"total": col.count, "page": number, "pages": urls.pages(site, col), "rows": rows(world, site, col, number)}


def written_footer(markup: str) -> str:
    """``markup`` written by an inline ``document.write``, as many footers are."""
    return f"<script>document.write({_js(markup)});</script>"


def _js(value: Any) -> str:
    """``value`` as a JavaScript literal safe inside ``<script>`` (ASCII, no ``</``)."""
    return json.dumps(value, ensure_ascii=True).replace("</", "<\\/")
