"""URL schemes of the CMS families the fleet imitates, built and resolved here.

- ``trs``: directory columns, ``/zwyw/index_1.html`` pages, ``/zwyw/202605/t20260528_1201.html`` articles.
- ``hanweb``: ``/col/col1201/index.html?uid=1201&pageNum=2``, ``/art/2026/5/28/art_1201_3.html``.
- ``jsp``: ``/list.jsp?catid=1201&page=2``, ``/content.jsp?catid=1201&id=3``.
- ``ucap``: ``/10462/1201/list.shtml``, ``list_2.shtml``, ``/10462/1201/2026/5/28/<32 hex>.shtml``
  (a level-2 column's path carries its parent's id: ``/10462/1200/1205/list.shtml``).
- ``gdjy``: ``/zwyw/index.html``, ``index_2.html``, ``/zwyw/content/post_1201003.html``; a framed
  list is ``/zwyw/frame.html`` and ``frame_2.html``.
- ``asp``: ``/ShowClass.asp?ClassID=1201&page=2``, ``/ShowArticle.asp?ArticleID=120100003``; a
  framed list is ``/ClassList.asp?ClassID=1201&page=2``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from govsite.samples.world import Column, Site, World

PAGE_SIZE = {"trs": 20, "hanweb": 15, "jsp": 12, "ucap": 20, "gdjy": 15, "asp": 25}
HOME = {
    "trs": "/index.html",
    "hanweb": "/index.html",
    "jsp": "/index.jsp",
    "ucap": "/index.shtml",
    "gdjy": "/index.html",
    "asp": "/index.asp",
}
SEARCH = {
    "trs": ("/search.html", "searchword"),
    "hanweb": ("/jrobot/search.do", "q"),
    "jsp": ("/search.jsp", "keyword"),
    "ucap": ("/guestweb4/s", "searchWord"),
    "gdjy": ("/search/index.html", "keywords"),
    "asp": ("/Search.asp", "Keyword"),
}


@dataclass(frozen=True)
class Route:
    """What a path on a site points at."""

    kind: str  # root | home | column | frame | item | attachment | search | image
    column: Column | None = None
    number: int = 0  # page number (1-based) for columns, item index for items


def home(site: Site) -> str:
    return HOME[site.family]


def column(site: Site, col: Column, page: int = 1) -> str:
    if site.family == "trs":
        return f"/{col.path}/index.html" if page == 1 else f"/{col.path}/index_{page - 1}.html"
    if site.family == "hanweb":
        suffix = "" if page == 1 else f"?uid={col.cid}&pageNum={page}"
        return f"/col/col{col.cid}/index.html{suffix}"
    if site.family == "ucap":
        return f"{_ucap_dir(site, col)}/list" + ("" if page == 1 else f"_{page}") + ".shtml"
    if site.family == "gdjy":
        return f"/{col.path}/index" + ("" if page == 1 else f"_{page}") + ".html"
    if site.family == "asp":
        return f"/ShowClass.asp?ClassID={col.cid}" + ("" if page == 1 else f"&page={page}")
    return f"/list.jsp?catid={col.cid}" + ("" if page == 1 else f"&page={page}")


def frame(site: Site, col: Column, page: int = 1) -> str:
    """The page a framed list column shows in its ``<iframe>`` (gdjy and asp sites)."""
    if site.family == "asp":
        return f"/ClassList.asp?ClassID={col.cid}" + ("" if page == 1 else f"&page={page}")
    return f"/{col.path}/frame" + ("" if page == 1 else f"_{page}") + ".html"


def framed(site: Site, col: Column) -> bool:
    return site.layout.framed and col.kind == "list"


def item(site: Site, col: Column, index: int, true_date: date) -> str:
    if site.family == "trs":
        return f"/{col.path}/{true_date:%Y%m}/t{true_date:%Y%m%d}_{col.cid}{index:05d}.html"
    if site.family == "hanweb":
        d = true_date
        return f"/art/{d.year}/{d.month}/{d.day}/art_{col.cid}_{index}.html"
    if site.family == "ucap":
        d = true_date
        return f"/{_ucap_site(site)}/{col.cid}/{d.year}/{d.month}/{d.day}/{_token(site, col.cid, index)}.shtml"
    if site.family == "gdjy":
        return f"/{col.path}/content/post_{col.cid}{index:03d}.html"
    if site.family == "asp":
        return f"/ShowArticle.asp?ArticleID={col.cid}{index:05d}"
    return f"/content.jsp?catid={col.cid}&id={index}"


def _ucap_site(site: Site) -> int:
    return 10000 + int(site.code[-4:]) * 37 % 9000


def _ucap_dir(site: Site, col: Column) -> str:
    parent = site.columns[col.parent].cid if col.parent else None
    return f"/{_ucap_site(site)}" + (f"/{parent}" if parent else "") + f"/{col.cid}"


def _token(site: Site, cid: int, index: int) -> str:
    """An article's 32-hex name: column and index, then a digest of them (the name resolves back)."""
    head = f"{cid:06x}{index:06x}"
    return head + hashlib.md5(f"{site.host}:{head}".encode()).hexdigest()[:20]


def attachment(col: Column, index: int, ext: str) -> str:
    return f"/uploads/{col.cid}/{index}.{ext}"


def search(site: Site) -> tuple[str, str]:
    """The search form's action path and query parameter name."""
    return SEARCH[site.family]


def pages(site: Site, col: Column) -> int:
    return max(1, -(-col.count // PAGE_SIZE[site.family]))


_TRS_ITEM = re.compile(r"^/(?P<path>.+)/(?P<ym>\d{6})/t(?P<ymd>\d{8})_(?P<cid>\d{4})(?P<i>\d{5})\.html$")
_TRS_COL = re.compile(r"^/(?P<path>.+?)/(?:index(?:_(?P<p>\d+))?\.html)?$")
_HANWEB_ITEM = re.compile(r"^/art/(?P<y>\d{4})/(?P<m>\d{1,2})/(?P<d>\d{1,2})/art_(?P<cid>\d+)_(?P<i>\d+)\.html$")
_HANWEB_COL = re.compile(r"^/col/col(?P<cid>\d+)/(?:index\.html)?$")
_UCAP_ITEM = re.compile(
    r"^/(?P<sid>\d+)/(?P<cid>\d+)/(?P<y>\d{4})/(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<token>[0-9a-f]{32})\.shtml$"
)
_UCAP_COL = re.compile(r"^(?P<dir>(?:/\d+)+)/list(?:_(?P<p>\d+))?\.shtml$")
_GDJY_ITEM = re.compile(r"^/(?P<path>.+)/content/post_(?P<cid>\d{4})(?P<i>\d{3})\.html$")
_GDJY_COL = re.compile(r"^/(?P<path>.+?)/(?:(?P<kind>index|frame)(?:_(?P<p>\d+))?\.html)?$")
_ATTACHMENT = re.compile(r"^/uploads/(?P<cid>\d+)/(?P<i>\d+)\.(?P<ext>doc|pdf|xls)$")


def resolve(world: World, site: Site, path: str, query: Mapping[str, str]) -> Route | None:
    """Map a request path to what it shows, or None for a 404."""
    if path == "/":
        return Route("root")
    if path == home(site):
        return Route("home")
    if path.startswith("/images/"):
        return Route("image")
    if path == search(site)[0]:
        return Route("search")
    by_cid = {c.cid: c for c in site.columns.values()}
    if m := _ATTACHMENT.match(path):
        col = by_cid.get(int(m["cid"]))
        return Route("attachment", col, int(m["i"])) if col else None
    page = _int(query.get("pageNum") or query.get("page") or "1")
    if site.family == "trs":
        if m := _TRS_ITEM.match(path):
            col = by_cid.get(int(m["cid"]))
            index = int(m["i"])
            if col is None or col.path != m["path"] or index >= col.count:
                return None
            dated = f"{world.true_date(site, col, index):%Y%m%d}"
            return Route("item", col, index) if dated == m["ymd"] and dated.startswith(m["ym"]) else None
        if m := _TRS_COL.match(path):
            col = next((c for c in site.columns.values() if c.path == m["path"]), None)
            return Route("column", col, int(m["p"] or 0) + 1) if col else None
        return None
    if site.family == "hanweb":
        if m := _HANWEB_ITEM.match(path):
            col = by_cid.get(int(m["cid"]))
            index = int(m["i"])
            if col and index < col.count:
                d = world.true_date(site, col, index)
                if (d.year, d.month, d.day) == (int(m["y"]), int(m["m"]), int(m["d"])):
                    return Route("item", col, index)
            return None
        if m := _HANWEB_COL.match(path):
            col = by_cid.get(int(m["cid"]))
            return Route("column", col, page) if col else None
        return None
    if site.family == "ucap":
        return _resolve_ucap(world, site, path, by_cid)
    if site.family == "gdjy":
        if m := _GDJY_ITEM.match(path):
            col = by_cid.get(int(m["cid"]))
            index = int(m["i"])
            return Route("item", col, index) if col and col.path == m["path"] and index < col.count else None
        if m := _GDJY_COL.match(path):
            col = next((c for c in site.columns.values() if c.path == m["path"]), None)
            kind = "frame" if m["kind"] == "frame" else "column"
            if col is None or (kind == "frame" and not framed(site, col)):
                return None
            return Route(kind, col, int(m["p"] or 1))
        return None
    if site.family == "asp":
        col = by_cid.get(_int(query.get("ClassID", "")))
        if path in ("/ShowClass.asp", "/ClassList.asp") and col:
            kind = "frame" if path == "/ClassList.asp" else "column"
            return None if kind == "frame" and not framed(site, col) else Route(kind, col, page)
        article = query.get("ArticleID", "")
        if path == "/ShowArticle.asp" and article.isdigit() and len(article) == 9:
            col = by_cid.get(int(article[:4]))
            index = int(article[4:])
            return Route("item", col, index) if col and index < col.count else None
        return None
    col = by_cid.get(_int(query.get("catid", "")))
    if path == "/list.jsp" and col:
        return Route("column", col, page)
    if path == "/content.jsp" and col:
        index = _int(query.get("id", ""), -1)
        return Route("item", col, index) if 0 <= index < col.count else None
    return None


def _resolve_ucap(world: World, site: Site, path: str, by_cid: Mapping[int, Column]) -> Route | None:
    if m := _UCAP_ITEM.match(path):
        col = by_cid.get(int(m["cid"]))
        token = m["token"]
        if col is None or int(m["sid"]) != _ucap_site(site) or int(token[:6], 16) != col.cid:
            return None
        index = int(token[6:12], 16)
        if index >= col.count or token != _token(site, col.cid, index):
            return None
        d = world.true_date(site, col, index)
        return (
            Route("item", col, index) if (d.year, d.month, d.day) == (int(m["y"]), int(m["m"]), int(m["d"])) else None
        )
    if m := _UCAP_COL.match(path):
        col = by_cid.get(int(m["dir"].rsplit("/", 1)[1]))
        if col is None or _ucap_dir(site, col) != m["dir"]:
            return None
        return Route("column", col, int(m["p"] or 1))
    return None


def _int(text: str, default: int = 1) -> int:
    return int(text) if text.isdigit() and len(text) < 9 else default
