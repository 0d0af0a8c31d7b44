"""HTML for the fleet's pages, in the markup of three CMS families.

The families differ the way real government CMSs do: list markup (ul, table, div),
date formats, relative or absolute links, footer layout, pagination. Text is
escaped here and encoded by the server in each site's own charset.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from html import escape

from govsite.samples import scripted, urls
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
    if style == "slash":
        return f"{d.year}/{d.month}/{d.day}"
    if style == "cn":
        return f"{d.year}年{d.month}月{d.day}日"
    if style == "cn0":
        return f"{d:%Y}年{d:%m}月{d:%d}日"
    raise ValueError(style)


LIST_DATE = {"trs": "iso", "hanweb": "iso", "jsp": "cn"}
HOME_DATE = {"trs": "md", "hanweb": "slash", "jsp": "iso"}
ARTICLE_DATE = {"trs": ("发布时间：", "iso"), "hanweb": ("发布日期：", "iso"), "jsp": ("发布时间：", "cn0")}


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
    return (
        f'<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n{charset}<title>{escape(title)}</title>\n{meta_html}'
        f'<link rel="stylesheet" href="/images/style.css">\n</head>\n<body>\n'
        f'<div class="header"><a href="{urls.home(site)}"><img src="/images/logo.png" alt="{escape(site.name)}"></a>'
        f'<span class="site-name">{escape(site.name)}</span>{today}{_search_form(site)}</div>\n'
        f'{_nav(site)}\n<div class="main">\n{body}\n</div>\n{footer(site)}\n</body>\n</html>\n'
    )


def _nav(site: Site) -> str:
    links = [f'<li><a href="{urls.home(site)}">首页</a></li>']
    links += [
        f'<li><a href="{column_href(site, c)}">{escape(c.name)}</a></li>' for c in site.columns.values() if c.level == 1
    ]
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
        rows.append(
            f'<li><a href="{item_href(world, site, col, it.index)}">{escape(it.title)}</a><span>{when}</span></li>'
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
        links = "".join(f'<li><a href="{urls.column(site, c)}">{escape(c.name)}</a></li>' for c in children)
        return page(site, world, f"{col.name}_{site.name}", f'{crumbs}<ul class="sub-columns">{links}</ul>', meta)
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
    else:
        listing = _list(world, site, col, items)
    if not items and not scripted.scripted(site, col):
        listing += empty(site, col)
    body = f'{crumbs}<div class="column-title">{escape(col.name)}</div>{listing}{_pager(site, col, number, last)}'
    return page(site, world, f"{col.name}_{site.name}", body, meta)


def _crumbs(site: Site, col: Column) -> str:
    trail = [f'<a href="{urls.home(site)}">首页</a>']
    if col.parent:
        parent = site.columns[col.parent]
        trail.append(f'<a href="{urls.column(site, parent)}">{escape(parent.name)}</a>')
    trail.append(f'<a href="{urls.column(site, col)}">{escape(col.name)}</a>')
    return f'<div class="crumbs">当前位置：{" &gt; ".join(trail)}</div>'


def _list(world: World, site: Site, col: Column, items: Iterable[Article | Message | Guide]) -> str:
    style = LIST_DATE[site.family]
    rows = []
    for it in items:
        href = escape(item_href(world, site, col, it.index, from_column_page=True))
        title = escape(it.title)
        when = fmt(shown_date(it), style)
        if site.family == "trs":
            rows.append(
                f'<li><a href="{href}" target="_blank" title="{title}">{title}</a><span class="date">{when}</span></li>'
            )
        elif site.family == "hanweb":
            rows.append(
                f'<tr><td class="title"><a href="{href}" title="{title}">{title}</a></td>'
                f'<td class="date">{when}</td></tr>'
            )
        else:
            rows.append(f'<div class="item"><a href="{href}">{title}</a><div class="time">{when}</div></div>')
    if site.family == "trs":
        return f'<ul class="list-ul">{"".join(rows)}</ul>'
    if site.family == "hanweb":
        return f'<table class="list-table" width="100%">{"".join(rows)}</table>'
    return f'<div class="news-list">{"".join(rows)}</div>'


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


def empty(site: Site, col: Column) -> str:
    """What an empty list shows: its note, or the family's 暂无信息."""
    if col.note:
        return f'<div class="empty-note">{escape(col.note)}</div>'
    return {"trs": "", "hanweb": '<div class="no-data">暂无信息</div>', "jsp": "<p>暂无数据</p>"}[site.family]


def _pager(site: Site, col: Column, number: int, last: int) -> str:
    if last == 1:
        return ""

    def href(n: int) -> str:
        path = urls.column(site, col, n)
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


def _guide(site: Site, guide: Guide) -> str:
    rows = "".join(f"<tr><th>{k}</th><td>{escape(v)}</td></tr>" for k, v in guide.elements)
    return f'<div class="guide"><h1>{escape(guide.title)}</h1><table class="guide-table">{rows}</table></div>'


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
