"""HTML for the fleet's pages, in the markup of the CMS families of samples/layouts.py.

The families differ the way real government CMSs do: list markup (ul, table, div, dl),
date formats and places, relative or absolute links, framed lists, footer layout,
pagination; sites of one family differ by their template's layout
(:class:`~govsite.samples.layouts.Layout`). Text is escaped here and encoded by the
server in each site's own charset.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from html import escape

from govsite.samples import scripted, urls
from govsite.samples.layouts import YEARLESS_DAYS, Layout
from govsite.samples.world import Article, Column, Guide, Message, Site, World

WEEKDAYS = "一二三四五六日"
HOMEPAGE_BLOCK = 7  # items per homepage block
HOMEPAGE_CLASSES = ("news", "notice", "policy", "interpretation")


def fmt(d: date, style: str) -> str:
    """A date in one of the forms Chinese government sites print."""
    if style == "iso":
        return f"{d:%Y-%m-%d}"
    if style == "md":
        return f"{d:%m-%d}"
    if style == "dot":
        return f"{d:%Y.%m.%d}"
    if style == "nopad":
        return f"{d.year}-{d.month}-{d.day}"
    if style == "slash":
        return f"{d.year}/{d.month}/{d.day}"
    if style == "cn":
        return f"{d.year}年{d.month}月{d.day}日"
    if style == "cn0":
        return f"{d:%Y}年{d:%m}月{d:%d}日"
    raise ValueError(style)


HOME_DATE = {"trs": "md", "hanweb": "slash", "jsp": "iso", "ucap": "md", "gdjy": "dot", "asp": "md"}
ARTICLE_DATE = {
    "trs": ("发布时间：", "iso"),
    "hanweb": ("发布日期：", "iso"),
    "jsp": ("发布时间：", "cn0"),
    "ucap": ("发布时间：", "nopad"),
    "gdjy": ("发布日期：", "dot"),
    "asp": ("更新时间：", "cn"),
}
#: Server-rendered Vue markup carries a scoped-style attribute on every element (gdjy).
VUE = "data-v-6f1c2a3e"


def item_href(world: World, site: Site, col: Column, index: int, from_column_page: bool = False) -> str:
    path = urls.item(site, col, index, world.true_date(site, col, index))
    if site.family == "trs" and from_column_page:
        return "./" + path.removeprefix(f"/{col.path}/")
    if site.family == "jsp":
        return f"http://{site.host}{path}"
    return path


def column_href(site: Site, col: Column) -> str:
    """The URL a navigation link uses; trs sites with an old layout link through a 301."""
    if site.family == "trs" and site.home_redirect == "http" and col.key == "interpretation":
        return f"/{col.path}"
    return urls.column(site, col)


def page(site: Site, world: World, title: str, body: str, meta: dict[str, str]) -> str:
    charset = f'<meta charset="{site.charset}">\n' if site.charset_in_meta else ""
    metas = {"SiteName": site.name, "SiteDomain": site.host}
    if site.shown_code:
        metas["SiteIDCode"] = site.shown_code
    metas.update(meta)
    meta_html = "".join(f'<meta name="{k}" content="{escape(v)}">\n' for k, v in metas.items())
    today = ""
    if site.family != "hanweb":
        d = world.as_of
        today = f'<div class="today">今天是：{fmt(d, "cn")} 星期{WEEKDAYS[d.weekday()]}</div>'
    head = (
        f'<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n{charset}<title>{escape(title)}</title>\n{meta_html}'
        f'<link rel="stylesheet" href="/images/style.css">\n</head>\n<body>\n'
    )
    header = (
        f'<div class="header"><a href="{urls.home(site)}"><img src="/images/logo.png" alt="{escape(site.name)}"></a>'
        f'<span class="site-name">{escape(site.name)}</span>{today}{_search_form(site)}</div>\n'
    )
    if site.family == "gdjy":  # a Vue app rendered on the server: the page is the app's root
        return (
            f'{head}<div id="app" data-server-rendered="true"><div {VUE} class="page-wrap">{header}{_nav(site)}\n'
            f'<div {VUE} class="main">\n{body}\n</div>\n{footer(site)}</div></div>\n'
            '<script src="/images/chunk-vendors.js"></script>\n</body>\n</html>\n'
        )
    if site.family == "asp":  # an old layout: everything in nested tables
        return (
            f'{head}<table width="980" border="0" cellspacing="0" cellpadding="0" align="center">'
            f"<tr><td>{header}</td></tr><tr><td>{_nav(site)}</td></tr>\n"
            f'<tr><td><table width="100%" border="0" cellspacing="0" cellpadding="0"><tr><td valign="top" class="main">\n'
            f"{body}\n</td></tr></table></td></tr></table>\n{footer(site)}\n</body>\n</html>\n"
        )
    return f'{head}{header}{_nav(site)}\n<div class="main">\n{body}\n</div>\n{footer(site)}\n</body>\n</html>\n'


def _nav(site: Site) -> str:
    links = [f'<li><a href="{urls.home(site)}">首页</a></li>']
    for col in site.columns.values():
        if col.level != 1:
            continue
        subs = [c for c in site.columns.values() if c.parent == col.key] if site.layout.nav_nested else []
        menu = "".join(f'<li><a href="{urls.column(site, c)}">{escape(c.name)}</a></li>' for c in subs)
        menu = f'<ul class="sub-nav">{menu}</ul>' if menu else ""
        links.append(f'<li><a href="{column_href(site, col)}">{escape(col.name)}</a>{menu}</li>')
    return f'<div class="nav"><ul>{"".join(links)}</ul></div>'


def _search_form(site: Site) -> str:
    if site.search == "missing":
        return ""
    action, param = urls.search(site)
    return (
        f'<form class="search" action="{action}" method="get">'
        f'<input type="text" name="{param}" placeholder="请输入关键字"><button type="submit">搜索</button></form>'
    )


def footer(site: Site) -> str:
    if site.family in FAMILY_FOOTERS:
        own = FAMILY_FOOTERS[site.family](site)
        return scripted.written_footer(own) if site.footer_written else own
    lines = [f"主办单位：{escape(site.organizer)}　联系电话：{site.contacts['电话']}"]
    ids = []
    if site.shown_code:
        ids.append(f"网站标识码：{site.shown_code}")
    if site.icp:
        ids.append(f'<a href="http://beian.miit.gov.cn/" target="_blank">{site.icp}</a>')
    if site.psb:
        record = "".join(ch for ch in site.psb if ch.isdigit())
        ids.append(
            f'<a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode={record}" target="_blank">'
            f'<img src="/images/ga.png" alt="">{site.psb}</a>'
        )
    if ids:
        lines.append("　".join(ids))
    badges = []
    if site.conac:
        badges.append(
            f'<a href="http://bszs.conac.cn/sitename?method=show&amp;id={site.code[-6:]}{site.code[:4]}"'
            ' target="_blank">'
            '<img src="/images/conac.png" alt="党政机关"></a>'
        )
    if site.jiucuo:
        if site.family == "jsp":
            badges.append(
                f'<a href="http://zfwzzc.www.gov.cn/check_web/errorInfo_querySiteInfo.action?sitecode={site.code}"'
                ' target="_blank"><img src="/images/jiucuo.png" alt="政府网站找错"></a>'
            )
        else:
            badges.append(
                f'<script id="_jiucuo_" sitecode="{site.code}" src="http://zfwzzc.www.gov.cn/plugin/js/jiucuo.js"></script>'
            )
    inner = "".join(f"<p>{line}</p>" for line in lines) + "".join(badges)
    if site.footer_written:
        inner = scripted.written_footer(inner)
    if site.footer_style == "div":
        return f'<div class="footer">{inner}</div>'
    if site.footer_style == "id":
        return f'<div id="foot"><div class="foot-inner">{inner}</div></div>'
    if site.footer_style == "footer":
        return f"<footer>{inner}</footer>"
    return f'<table class="bottom" width="100%"><tr><td align="center">{inner}</td></tr></table>'


def _conac_href(site: Site) -> str:
    return f"http://bszs.conac.cn/sitename?method=show&amp;id={site.code[-6:]}{site.code[:4]}"


def _jiucuo_href(site: Site) -> str:
    return f"http://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code={site.code}&amp;url=http%3A%2F%2F{site.host}%2F"


def _psb_href(site: Site) -> str:
    assert site.psb
    return f"http://www.beian.gov.cn/portal/registerSystemInfo?recordcode={''.join(c for c in site.psb if c.isdigit())}"


def _ucap_footer(site: Site) -> str:
    """开普云 (www.sc.gov.cn): 网站标识码 with no colon, a space after ICP备, badges as links."""
    ids = []
    if site.shown_code:
        ids.append(f"网站标识码{site.shown_code}")
    if site.icp:
        ids.append(f'<a href="http://beian.miit.gov.cn" target="_blank">{site.icp.replace("备", "备 ", 1)}</a>')
    if site.psb:
        ids.append(f'<a target="_blank" href="{_psb_href(site)}">{site.psb.replace("备", "备 ", 1)}</a>')
    badges = ""
    if site.conac:
        badges += (
            f'<a class="dzjglg" href="{_conac_href(site)}" target="_blank"><img src="/images/conac.png" alt=""></a>'
        )
    if site.jiucuo:
        badges += (
            f'<div class="slhzfwzzc"><a href="{_jiucuo_href(site)}" target="_blank">'
            '<img src="/images/jiucuo.png" alt=""></a></div>'
        )
    return (
        '<div class="newfootbox"><div class="foot"><div class="container2 clearfix"><div class="ftleft">'
        f'<div class="p2"><span>主办单位：{escape(site.organizer)}</span></div>'
        f'<div class="p3">联系电话：{site.contacts["电话"]}</div><div class="p4">{" ".join(ids)}</div></div>'
        f'<div class="tpjhd"><div class="ftmid clearfix">{badges}</div></div></div></div></div>'
    )


def _gdjy_footer(site: Site) -> str:
    """A 集约化 platform (www.gz.gov.cn): badge spans, then one identifier per ``<p>``."""
    badges = ""
    if site.conac:
        badges += (
            f'<span id="_ideConac" wzades="党政机关"><a href="{_conac_href(site)}" target="_blank">'
            '<img id="imgConac" src="/images/conac.png"></a></span>'
        )
    if site.jiucuo:
        badges += (
            f'<span id="_span_jiucuo" wzades="政府网站找错"><a href="{_jiucuo_href(site)}" target="_blank">'
            '<img src="/images/jiucuo.png" title="政府网站找错" alt="政府网站找错"></a></span>'
        )
    rows = [f"<p>主办单位：{escape(site.organizer)}</p>", f"<p>联系我们：{site.contacts['电话']}</p>"]
    if site.shown_code:
        rows.append(f"<p>网站标识码：{site.shown_code}</p>")
    if site.icp:
        rows.append(f'<p>ICP备案号：<a href="http://beian.miit.gov.cn/" target="_blank">{site.icp}-1</a></p>')
    if site.psb:
        rows.append(
            f'<p><span><img src="/images/ga.png" title="{site.psb}" alt="{site.psb}">'
            f'<a target="_blank" href="{_psb_href(site)}"> {site.psb.replace("备", "备 ", 1)}</a></span></p>'
        )
    return (
        f'<div {VUE} class="footer2022"><div {VUE} class="newfooter"><div class="wzjctb clearfix">{badges}</div>'
        f'<div class="copyright">{"".join(rows)}</div></div></div>'
    )


def _asp_footer(site: Site) -> str:
    """An old ASP site: a table, the conac badge written by its official script embed."""
    cells = [f"主办单位：{escape(site.organizer)}&nbsp;&nbsp;电话：{site.contacts['电话']}"]
    ids = []
    if site.shown_code:
        ids.append(f"网站标识码:{site.shown_code}")
    if site.icp:
        ids.append(f'<a target="_blank">{site.icp.removesuffix("号")}</a>')
    if site.psb:
        ids.append(f'<a href="{_psb_href(site)}" target="_blank">{site.psb}</a>')
    if ids:
        cells.append("&nbsp;&nbsp;".join(ids))
    badges = ""
    if site.conac:
        badges += (
            '<script type="text/javascript">document.write(unescape("%3Cspan id=\'_ideConac\' %3E%3C/span%3E'
            f"%3Cscript src='http://dcs.conac.cn/js/{site.code[:2]}/000/0000/{site.code}/CA{site.code}0001.js'"
            " type='text/javascript'%3E%3C/script%3E\"));</script>"
        )
    if site.jiucuo:
        badges += (
            f'<script id="_jiucuo_" sitecode="{site.code}" src="http://zfwzgl.www.gov.cn/exposure/jiucuo.js"></script>'
        )
    rows = "".join(f'<tr><td align="center" height="24">{c}</td></tr>' for c in cells)
    return (
        '<table width="980" border="0" align="center" cellpadding="0" cellspacing="0" class="bottom">'
        f'{rows}<tr><td align="center">{badges}</td></tr></table>'
    )


FAMILY_FOOTERS = {"ucap": _ucap_footer, "gdjy": _gdjy_footer, "asp": _asp_footer}


def root(site: Site) -> tuple[int, dict[str, str], str | None]:
    """The response for ``/``: the homepage itself (None body) or a redirect."""
    target = urls.home(site)
    if site.home_redirect == "http":
        return 302, {"Location": target}, ""
    if site.home_redirect == "meta":
        return 200, {}, f'<html><head><meta http-equiv="refresh" content="0;url={target}"></head><body></body></html>'
    if site.home_redirect == "script":
        return 200, {}, f'<html><head><script>window.location.href="{target}";</script></head><body></body></html>'
    return 200, {}, None


def home(world: World, site: Site) -> str:
    blocks = []
    for col in site.columns.values():
        if col.cls not in HOMEPAGE_CLASSES or col.kind != "list":
            continue
        blocks.append(_home_block(world, site, col))
    parts = ["".join(blocks), _home_services(site), _home_topics(world, site), _friend_links(site)]
    return page(site, world, site.name, "\n".join(parts), {"ColumnName": "首页"})


def _home_block(world: World, site: Site, col: Column) -> str:
    items = world.items(site, col, 0, HOMEPAGE_BLOCK)
    style = HOME_DATE[site.family]
    if style == "md" and (col.cls != "news" or any((world.as_of - shown_date(i)).days > 330 for i in items)):
        style = "iso"
    rows = []
    for it in items:
        when = fmt(shown_date(it), style)
        when = f"[{when}]" if style == "md" else when
        link = f'<a href="{item_href(world, site, col, it.index)}">{escape(it.title)}</a>'
        rows.append(
            f"<li><span>{when}</span>{link}</li>" if site.layout.date_first else f"<li>{link}<span>{when}</span></li>"
        )
    empty = "" if rows else "<li>暂无信息</li>"
    return (
        f'<div class="block"><div class="block-title"><h3>{escape(col.name)}</h3>'
        f'<a class="more" href="{column_href(site, col)}">更多&gt;&gt;</a></div><ul>{"".join(rows)}{empty}</ul></div>'
    )


def _home_services(site: Site) -> str:
    links = []
    for key, label in (("guides", "办事指南"), ("forms", "表格下载"), ("board", "我要咨询"), ("survey", "调查征集")):
        col = site.column(key)
        if col:
            links.append(f'<a href="{urls.column(site, col)}">{label}</a>')
    return f'<div class="quick">{"".join(links)}</div>' if links else ""


def _home_topics(world: World, site: Site) -> str:
    links = [f'<li><a href="{urls.column(site, site.columns["annual"])}">政府网站工作年度报表</a></li>']
    for link in site.broken_links:
        if link.on == "home":
            links.append(f'<li><a href="{link.href}">{escape(link.text)}</a></li>')
    return f'<div class="topics"><h3>专题专栏</h3><ul>{"".join(links)}</ul></div>'


def _friend_links(site: Site) -> str:
    links = "".join(f'<a href="{url}" target="_blank">{escape(name)}</a>' for name, url in site.links_out)
    return f'<div class="links"><h3>友情链接</h3>{links}</div>'


def shown_date(it: Article | Message | Guide) -> date:
    if isinstance(it, Message):
        return it.asked
    if isinstance(it, Guide):
        return it.updated
    return it.shown


def column_page(world: World, site: Site, col: Column, number: int) -> str | None:
    """A column's page ``number``, or None when there is no such page."""
    crumbs = _crumbs(site, col)
    meta = {"ColumnName": col.name, "ColumnType": col.cls}
    if col.kind == "container":
        children = [c for c in site.columns.values() if c.parent == col.key]
        return page(site, world, f"{col.name}_{site.name}", crumbs + _catalogue(site, children), meta)
    if col.kind == "page":
        body = "".join(f"<p>{escape(p)}</p>" for p in _about(site))
        return page(site, world, f"{col.name}_{site.name}", f'{crumbs}<div class="content">{body}</div>', meta)
    last = urls.pages(site, col)
    if number < 1 or number > last:
        return None
    size = urls.PAGE_SIZE[site.family]
    items = world.items(site, col, (number - 1) * size, number * size)
    if col.kind == "board":
        listing = _board_list(world, site, col, items)
    elif col.kind == "guides":
        listing = _guide_list(world, site, col, items)
    elif scripted.scripted(site, col):
        listing = scripted.listing(world, site, col, number)
    elif urls.framed(site, col):  # the list and its pager are the frame's page
        height = 40 * urls.PAGE_SIZE[site.family]
        frame = f'<iframe src="{urls.frame(site, col)}" width="100%" height="{height}" frameborder="0" scrolling="no"></iframe>'
        body = f'{crumbs}<div class="column-title">{escape(col.name)}</div>{frame}'
        return page(site, world, f"{col.name}_{site.name}", body, meta) if number == 1 else None
    else:
        listing = _list(world, site, col, items)
    if not items and not scripted.scripted(site, col):
        listing += empty(site, col)
    body = f'{crumbs}<div class="column-title">{escape(col.name)}</div>{listing}{_pager(site, col, number, last)}'
    return page(site, world, f"{col.name}_{site.name}", body, meta)


def frame_page(world: World, site: Site, col: Column, number: int) -> str | None:
    """A framed column's list page ``number``: a bare document with the rows and the pager."""
    last = urls.pages(site, col)
    if number < 1 or number > last:
        return None
    size = urls.PAGE_SIZE[site.family]
    items = world.items(site, col, (number - 1) * size, number * size)
    listing = _list(world, site, col, items) + ("" if items else empty(site, col))
    charset = f'<meta charset="{site.charset}">' if site.charset_in_meta else ""
    return (
        f"<!DOCTYPE html>\n<html><head>{charset}<title>{escape(col.name)}</title>"
        '<base target="_blank"><link rel="stylesheet" href="/images/style.css"></head>\n'
        f"<body>{listing}{_pager(site, col, number, last, framed=True)}</body></html>\n"
    )


def _catalogue(site: Site, children: list[Column]) -> str:
    """A container column's sub-columns, as the family's catalogue (信息公开目录) shows them."""
    pairs = [(urls.column(site, c), escape(c.name)) for c in children]
    if site.family == "ucap":
        return (
            '<div class="gkml-tree"><h4>目录导航</h4><dl>'
            + "".join(f'<dd><a href="{u}" target="_self">{n}</a></dd>' for u, n in pairs)
            + "</dl></div>"
        )
    if site.family == "gdjy":
        nodes = "".join(
            f'<div {VUE} class="el-tree-node" role="treeitem"><div class="el-tree-node__content">'
            f'<span class="el-tree-node__label"><a href="{u}">{n}</a></span></div></div>'
            for u, n in pairs
        )
        return f'<div {VUE} class="el-tree" role="tree">{nodes}</div>'
    if site.family == "asp":
        rows = "".join(
            f'<tr><td height="26"><img src="/images/arrow.gif"> <a href="{u}">{n}</a></td></tr>' for u, n in pairs
        )
        return f'<table width="100%" border="0" cellspacing="0" cellpadding="0">{rows}</table>'
    return '<ul class="sub-columns">' + "".join(f'<li><a href="{u}">{n}</a></li>' for u, n in pairs) + "</ul>"


def _crumbs(site: Site, col: Column) -> str:
    trail = [f'<a href="{urls.home(site)}">首页</a>']
    if col.parent:
        parent = site.columns[col.parent]
        trail.append(f'<a href="{urls.column(site, parent)}">{escape(parent.name)}</a>')
    trail.append(f'<a href="{urls.column(site, col)}">{escape(col.name)}</a>')
    return f'<div class="crumbs">当前位置：{" &gt; ".join(trail)}</div>'


#: Each row layout: the list's opening and closing tags, and a row's title and date parts.
ROWS = {
    "ul": ('<ul class="list-ul">', "</ul>", '<a href="{href}" target="_blank" title="{title}">{title}</a>',
           '<span class="date">{when}</span>', "<li>{}</li>"),
    "table": ('<table class="list-table" width="100%">', "</table>",
              '<td class="title"><a href="{href}" title="{title}">{title}</a></td>', '<td class="date">{when}</td>',
              "<tr>{}</tr>"),
    "div": ('<div class="news-list">', "</div>", '<a href="{href}">{title}</a>', '<div class="time">{when}</div>',
            '<div class="item">{}</div>'),
    "dl": ('<div class="list-dl">', "</div>", '<dt><a href="{href}" title="{title}">{title}</a></dt>',
           "<dd>{when}</dd>", "<dl>{}</dl>"),
}  # fmt: skip


def _list(world: World, site: Site, col: Column, items: Iterable[Article | Message | Guide]) -> str:
    layout: Layout = site.layout
    opening, closing, title_part, date_part, row = ROWS[layout.rows]
    if site.family == "asp" and layout.rows == "table":  # a bullet cell before the title, as old sites print
        title_part = '<td width="12">·</td>' + title_part
    items = list(items)
    style = layout.date_style
    if style == "md" and any((world.as_of - shown_date(it)).days > YEARLESS_DAYS for it in items):
        style = "iso"
    parts = []
    for it in items:
        href = escape(item_href(world, site, col, it.index, from_column_page=True))
        when = fmt(shown_date(it), style)
        when = f"[{when}]" if layout.bracket else when
        title = title_part.format(href=href, title=escape(it.title))
        dated = date_part.format(when=when)
        parts.append(row.format(dated + title if layout.date_first else title + dated))
    return f"{opening}{''.join(parts)}{closing}"


def _board_list(world: World, site: Site, col: Column, items: Iterable[Article | Message | Guide]) -> str:
    rows = ["<tr><th>留言标题</th><th>留言时间</th><th>办理状态</th></tr>"]
    for it in items:
        assert isinstance(it, Message)
        href = escape(item_href(world, site, col, it.index, from_column_page=True))
        state = "已回复" if it.replied else "办理中"
        rows.append(
            f'<tr><td><a href="{href}">{escape(it.title)}</a></td><td>{fmt(it.asked, "iso")}</td><td>{state}</td></tr>'
        )
    return f'<table class="message-list">{"".join(rows)}</table>'


def _guide_list(world: World, site: Site, col: Column, items: Iterable[Article | Message | Guide]) -> str:
    rows = []
    for it in items:
        href = escape(item_href(world, site, col, it.index, from_column_page=True))
        rows.append(f'<li><a href="{href}">{escape(it.title)}</a> <a class="btn" href="{href}">办事指南</a></li>')
    return f'<ul class="guide-list">{"".join(rows)}</ul>'


EMPTY = {
    "trs": "",
    "hanweb": '<div class="no-data">暂无信息</div>',
    "jsp": "<p>暂无数据</p>",
    "ucap": '<div class="nodata">暂无内容</div>',
    "gdjy": f'<div {VUE} class="el-table__empty-block"><span class="el-table__empty-text">暂无数据</span></div>',
    "asp": '<table width="100%"><tr><td align="center">该栏目下暂无文章</td></tr></table>',
}


def empty(site: Site, col: Column) -> str:
    """What an empty list shows: its note, or the family's 暂无信息."""
    if col.note:
        return f'<div class="empty-note">{escape(col.note)}</div>'
    return EMPTY[site.family]


def _pager(site: Site, col: Column, number: int, last: int, framed: bool = False) -> str:
    if last == 1:
        return ""

    def href(n: int) -> str:
        path = urls.frame(site, col, n) if framed else urls.column(site, col, n)
        if site.family == "trs":
            return path.rsplit("/", 1)[1]
        return path

    links = [f"共{last}页　第{number}页"]
    if number > 1:
        links += [f'<a href="{href(1)}">首页</a>', f'<a href="{href(number - 1)}">上一页</a>']
    if number < last:
        links += [f'<a href="{href(number + 1)}">下一页</a>', f'<a href="{href(last)}">尾页</a>']
    return f'<div class="pager">{" ".join(links)}</div>'


def _about(site: Site) -> list[str]:
    if site.department:
        return [
            f"{site.organizer}是{site.place.name}人民政府组成部门，负责全{site.place.name[-1]}{site.department.topic}等工作。",
            f"内设机构：办公室、政策法规科、{site.department.topic}科、财务审计科。",
            f"办公地址：{site.place.name}政务中心{len(site.host) % 9 + 1}号楼。联系电话：{site.contacts['电话']}。",
        ]
    return [
        f"{site.place.name}位于华川省，行政区划代码{site.place.division_code}。",
        f"{site.place.name}人民政府地址：{site.place.name}人民路{len(site.host) * 7 % 300 + 1}号。",
    ]


def item_page(world: World, site: Site, col: Column, index: int) -> str:
    it = world.item(site, col, index)
    crumbs = _crumbs(site, col)
    if isinstance(it, Message):
        return page(site, world, it.title, crumbs + _message(site, it), {"ColumnName": col.name})
    if isinstance(it, Guide):
        return page(site, world, it.title, crumbs + _guide(site, it), {"ColumnName": col.name})
    label, style = ARTICLE_DATE[site.family]
    minute = f"{8 + index % 10:02d}:{index * 7 % 60:02d}"
    info = f"{label}{fmt(it.shown, style)} {minute}　来源：{escape(site.organizer)}"
    text = "".join(f"<p>{escape(p)}</p>" for p in it.paragraphs)
    extra = ""
    if it.attachment:
        href = urls.attachment(col, index, it.attachment)
        extra += f'<p class="attachment">附件：<a href="{href}">{escape(it.title)}.{it.attachment}</a></p>'
    related = [link for link in site.broken_links if link.on == (col.key, index)]
    if related:
        extra += (
            '<div class="related">相关链接：'
            + "".join(f'<a href="{link.href}">{escape(link.text)}</a>' for link in related)
            + "</div>"
        )
    meta = {"ColumnName": col.name, "ArticleTitle": it.title, "PubDate": f"{it.true:%Y-%m-%d} {minute}"}
    body = (
        f'{crumbs}<div class="article"><h1>{escape(it.title)}</h1><div class="info">{info}</div>'
        f'<div class="content">{text}</div>{extra}</div>'
    )
    return page(site, world, it.title, body, meta)


def _message(site: Site, msg: Message) -> str:
    reply = (
        f"<tr><th>回复单位</th><td>{escape(site.organizer)}</td></tr>"
        f"<tr><th>回复时间</th><td>{fmt(msg.replied, 'iso')}</td></tr>"
        f"<tr><th>回复内容</th><td>{escape(msg.reply or '')}</td></tr>"
        if msg.replied
        else "<tr><th>办理状态</th><td>办理中，尚未回复</td></tr>"
    )
    return (
        f'<table class="message"><tr><th>留言标题</th><td>{escape(msg.title)}</td></tr>'
        f"<tr><th>留言时间</th><td>{fmt(msg.asked, 'iso')}</td></tr>"
        f"<tr><th>留言内容</th><td>{escape(msg.question)}</td></tr>{reply}</table>"
    )


NUMERALS = "一二三四五六七八九十"


def _guide(site: Site, guide: Guide) -> str:
    """A 办事指南 in the site's layout, each element under the label the site prints for it."""
    labels = dict(site.layout.labels)
    shown = [(labels.get(k, k), escape(v)) for k, v in guide.elements]
    style = site.layout.guide
    if style == "labels":  # label cells, two elements to a row, as service platforms print them
        cells = [f'<td class="label" width="15%">{k}</td><td width="35%">{v}</td>' for k, v in shown]
        rows = "".join(f"<tr>{''.join(cells[i : i + 2])}</tr>" for i in range(0, len(cells), 2))
        inner = f'<table class="bszn" border="1" cellspacing="0">{rows}</table>'
    elif style == "dl":
        inner = '<dl class="bszn">' + "".join(f"<dt>{k}：</dt><dd>{v}</dd>" for k, v in shown) + "</dl>"
    elif style == "numbered":
        inner = "".join(f"<p><strong>{NUMERALS[i]}、{k}</strong></p><p>{v}</p>" for i, (k, v) in enumerate(shown))
    elif style == "headings":
        inner = "".join(f'<h3 class="item-title">{k}</h3><div class="item-text">{v}</div>' for k, v in shown)
    else:
        inner = '<table class="guide-table">' + "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in shown)
        inner += "</table>"
    return f'<div class="guide"><h1>{escape(guide.title)}</h1>{inner}</div>'


def search_page(world: World, site: Site, query: str) -> str:
    found: list[tuple[Column, Article]] = []
    if query and site.search == "ok":
        for col in site.columns.values():
            if col.kind != "list":
                continue
            for index in range(col.count):
                if query in world.title(site, col, index):
                    it = world.item(site, col, index)
                    assert isinstance(it, Article)
                    found.append((col, it))
                if len(found) >= 50:
                    break
    rows = "".join(
        f'<div class="result"><a href="{item_href(world, site, col, it.index)}">{escape(it.title)}</a>'
        f"<span>{fmt(it.shown, 'iso')}</span></div>"
        for col, it in found
    )
    summary = f"共找到{len(found)}条相关结果" if found else "未找到相关结果，共找到0条"
    body = f'<div class="search-summary">搜索“{escape(query)}”：{summary}</div><div class="results">{rows}</div>'
    return page(site, world, f"搜索结果_{site.name}", body, {"ColumnName": "搜索"})
