"""Read what a government page says: column names and classes, list items with
their dates, pagination, empty-column notes, messages, guides and articles.

The heuristics work on the structure every CMS shares — a list is a run of rows
(li, tr, dd, div, p) each holding one titled link and a date outside the link — not
on any one template.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

from govsite.engine import dates
from govsite.engine.html import clean, own_region
from govsite.engine.urlnorm import normalise

#: Column classes by name, first match wins (政策解读 before 政策文件, …).
CLASS_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("interpretation", re.compile(r"解读|图解|答记者问")),
    ("open_government", re.compile(r"^(政府|政务)?信息公开$|^(政务)?公开$|^信息公开目录$|^法定主动公开")),
    ("other", re.compile(r"^数据(开放|发布|服务|公开)$|^(走进|魅力|美丽)")),
    ("interaction", re.compile(r"互动|交流|咨询|信箱|留言|投诉|调查|征集|访谈|问政|建言|回应")),
    ("service", re.compile(r"办事|服务|指南|表格|下载|办理事项|审批")),
    ("personnel", re.compile(r"人事|任免|招聘|招考|录用|干部")),
    ("plan", re.compile(r"规划|计划|总结")),
    ("notice", re.compile(r"通知|公告|公示|通告")),
    ("policy", re.compile(r"政策|文件|法规|规章|规范性")),
    ("news", re.compile(r"要闻|动态|新闻|资讯|信息快递|工作信息|头条|图片")),
)
#: Links every site's header and footer carry that are tools, not columns: homes,
#: accounts, language and device versions, accessibility and elderly modes, assistants,
#: site maps, media accounts.
NOT_COLUMNS = re.compile(
    r"^(首页|网站首页|返回首页|主页|更多|更多>>|more|RSS|English|关于我们|联系我们|网站声明|隐私(声明|保护)?|"
    r"(网站|站点)地图|(网站|站群)导航|设为首页|加入收藏|(高级)?搜索|退出|"
    r"(用户|个人)?(登录|注册)|(登录)?(个人|用户)(中心|空间)|(市民|企业|法人|个人)(网页|主页|空间)|"
    r"(繁體|繁体|简体|移动|手机|英文|日文|中文|PC|电脑)(版本?|中文|端)?|繁體中文|日本語|日本语|"
    r"无障碍.{0,4}|适老(化|版)?|关怀版|长者(专版|专区|版|模式|助手)|进入适老化|"
    r"智能(问答|咨询|机器人|客服|助手)|.{0,4}小助手|"
    r"(微博|微信|新媒体|政务新媒体)矩阵|手机APP|客户端|.{0,6}公众号)$",
    re.IGNORECASE,
)
CJK = re.compile(r"[\u4e00-\u9fff]")
#: Service items (事项) end with an act; columns do not (办事指南, 表格下载 …).
SERVICE_ACT = re.compile(
    r"(申请|审批|备案|核发|认定|开具|登记|变更|注销|许可|确认|鉴定|核准|审核|补贴|发放|换证|年检)$"
)
HOME_PATHS = re.compile(r"^/(index|default|main)?(\.s?html?|\.jsp|\.php|\.aspx?)?$", re.IGNORECASE)
EMPTY_MARKS = re.compile(
    r"暂无(信息|数据|内容|记录|相关)|没有(相关)?(信息|数据|内容)|无相关信息|no data", re.IGNORECASE
)
NOTE_MARKS = re.compile(r"(说明|注)[:：]|不涉及|无此类|本单位(未|无|不)|职能(调整|划转)|不再更新|故本栏目")
NEXT_PAGE = re.compile(r"^(下一页|下页|后一页|next|>|›|»)$", re.IGNORECASE)
#: The longest text of an element read as a row's date cell (发布时间：2020-02-28 浏览次数：123).
DATE_CELL_MAX = 40
#: A date printed in brackets at the very end of a link's own text (``标题(2020-12-29)``): the
#: item's date when the row prints none outside the link.
TRAILING_DATE = re.compile(r"[(（\[【]\s*([^()（）\[\]【】]{6,12})\s*[)）\]】]\s*$")
#: A short link text that is an action on a row, not the title of an item (嘉奖令, 通告 are titles).
ROW_ACTION = re.compile(
    r"^[\[【(（]?(更多|详情|详细|查看|下载|附件|全文|原文|阅读|打印|关闭|返回|点击|进入|收听|播放|评论|分享)[\]】)）]?$"
)
TOTAL = re.compile(r"共\s*(\d+)\s*(条|页)")
REPLY_STATES = re.compile(
    r"已回复|已办结|已答复|已处理|已反馈|已解答|办理中|处理中|转办中|未回复|待回复|未答复|待处理|待办理|未办结|受理中"
)
CRUMBS = re.compile(r"crumb|position|location|weizhi|dqwz|\bpath\b|bread", re.IGNORECASE)
ASKED_LABELS = "留言时间|来信时间|提问时间|咨询时间|写信时间|提交时间|来信日期|留言日期"
REPLY_LABELS = "回复时间|答复时间|办结时间|回复日期|答复日期|办理时间"
PENDING = re.compile(r"尚未回复|未回复|待回复|未答复|待处理|待办理|办理中|处理中|转办中|正在办理|未办结")
#: A state that says the message was answered, when the page prints no reply date.
REPLIED = re.compile(r"已回复|已答复|已办结|已反馈|已解答|回复内容|答复内容|回复意见|答复意见")
#: Elements of a 办事指南, each with the labels guides use for it across platforms (tables,
#: definition lists, numbered paragraphs and headings all carry the label as text).
GUIDE_LABELS: dict[str, re.Pattern[str]] = {
    "事项名称": re.compile(r"事项名称|项目名称|服务事项名称|审批事项名称|服务名称|服务事项"),
    "设定依据": re.compile(r"(设定|法律|实施|办理|法定|政策|审批)依据"),
    "申请条件": re.compile(r"(申请|受理|办理|申报|准入)条件"),
    "办理材料": re.compile(r"(办理|申请|申报|提交|所需|受理)材料|材料(清单|目录)|申请资料"),
    # a 办事窗口 section, or an address label (not 通讯地址/住址/家庭地址, which a form asks for)
    "办理地点": re.compile(r"(办理|办事|受理|办公|服务|窗口)(地点|地址)|(办事|受理|服务)窗口|(?<![讯住庭])地址[:：]"),
    "办理时间": re.compile(r"(办理|办事|受理|办公|工作|服务|窗口)时间"),
    "联系电话": re.compile(r"(联系|咨询)(电话|方式|途径)"),
    "办理流程": re.compile(r"(办理|办事|审批|受理|申办|工作)(流程|程序|步骤)|流程图"),
    "办理时限": re.compile(r"(办理|承诺|法定|审批|办结)(时限|期限)|时限说明"),
    "收费标准": re.compile(r"收费(标准|依据|情况|项目)|是否收费"),
}
#: The elements a guide must show to be complete (国办秘函〔2019〕19号; the official list is
#: longer and cut off in every copy): 办理时限 and 收费标准 are read, not yet required (docs/checks.md).
GUIDE_ELEMENTS = ("事项名称", "设定依据", "申请条件", "办理材料", "办理地点", "办理时间", "联系电话", "办理流程")
TITLE_SPLIT = re.compile(r"\s*[-–—_|]\s+|\s+[-–—_|]\s*|[_|]|--")
TAGS = re.compile(r"<[^>]*>")
#: A title part that names the site, not the article (…人民政府门户网站, …政府网).
SITE_NAME = re.compile(r"(网站|门户|政府网|政务网|人民政府|www\.|\.gov\.cn)\s*$")
#: How far after an article's heading its date is looked for (characters).
HEADING_WINDOW = 160
#: A results page's count: 共找到 3 条, 共约 1,629 条结果, 检索到 12 篇 (the number may be
#: approximate and grouped by commas).
RESULT_COUNT = re.compile(r"(?:共找到|共检索到|检索到|找到|共有|共)\s*(?:约|大约)?\s*(\d[\d,，]*)\s*(?:条|个|篇|项)")
#: A result title the page cut short (…, ...).
CUT_SHORT = re.compile(r"(…+|\.{2,})$")
#: A results page that says it found nothing, or that the search is not working.
NO_RESULTS = re.compile(
    r"没有找到|未找到|无相关(结果|信息|内容|记录)|暂无(相关)?(结果|信息|内容|数据)|查询结果为空|no results", re.I
)
#: A results page still waiting for a script to bring its answer (搜索中，请稍后… / 数据加载中).
LOADING = re.compile(r"搜索中|检索中|查询中|加载中|正在(加载|检索|搜索|查询)|loading\.\.\.", re.IGNORECASE)
SEARCH_DOWN = re.compile(
    r"系统繁忙|服务器繁忙|请稍后(再)?(试|访问|重试)|访问过于频繁|服务(暂时)?不可用|系统(错误|异常)|检索服务异常|出错了"
)
ATTACHMENT = re.compile(r"\.(pdf|docx?|xlsx?|wps|zip|rar|pptx?|txt|jpg|png|gif)(\?|$)", re.IGNORECASE)


def classify(name: str) -> str:
    """The column class a column's name implies."""
    compact = name.replace(" ", "")
    for cls, pattern in CLASS_RULES:
        if pattern.search(compact):
            return cls
    return "other"


def column_like(text: str) -> bool:
    """True for anchor texts that can name a column: short, Chinese, no date."""
    text = text.strip()
    if not 2 <= len(text) <= 12 or not CJK.search(text) or NOT_COLUMNS.match(text) or SERVICE_ACT.search(text):
        return False
    return not dates.find_dates(text, date.today()) and not re.search(r"\d{3,}", text)


def is_homepage(url: str) -> bool:
    """True for the URLs sites use for their homepage (/, /index.html, /index.jsp …)."""
    return bool(HOME_PATHS.match(urlsplit(url).path or "/")) and not urlsplit(url).query


def is_document(url: str) -> bool:
    return bool(ATTACHMENT.search(url))


@dataclass(frozen=True)
class Row:
    title: str
    url: str
    date: date | None
    text: str  # the whole row's text
    container: int  # index of the list the row belongs to


def _in_marked(element: etree._Element, pattern: re.Pattern[str]) -> bool:
    for node in (element, *element.iterancestors()):
        if pattern.search(f"{node.get('class', '')} {node.get('id', '')}"):
            return True
    return False


def _outside_main(element: etree._Element) -> bool:
    return any(own_region(node) for node in (element, *element.iterancestors()) if node.tag != "body")


def rows(root: lxml.html.HtmlElement, base: str, as_of: date, skip: set[str]) -> list[Row]:
    """Candidate list rows of a page's main region: one titled link each, with a date
    outside the link's own text when the row has one."""
    out: list[Row] = []
    # keyed by the parent element itself: the dict keeps its proxy alive, so lxml hands back
    # the same object for the same node (an ``id()`` of a proxy already collected may be
    # reused by another element's, merging two lists into one)
    containers: dict[object, int] = {}
    seen: set[str] = set()
    resolved: dict[str, str | None] = {}
    for a in root.iter("a"):
        href = a.get("href")
        if not href or href.startswith(("javascript:", "#", "mailto:")):
            continue
        url = resolved[href] if href in resolved else resolved.setdefault(href, normalise(href, base))
        title = clean(a.text_content()) or clean(a.get("title", ""))
        if not url or url in skip or url in seen or len(title) < 2 or NEXT_PAGE.match(title) or ROW_ACTION.match(title):
            continue
        if _outside_main(a) or _in_marked(a, CRUMBS):
            continue
        row, when = _row_of(a, title, as_of)
        if when is None:
            when = _bracketed_date(a, as_of)
        # a title of two or three characters (嘉奖令) is an item only in a row that prints a date
        if len(title) < 4 and (when is None or not CJK.search(title)):
            continue
        if row.tag == "dt":
            when = when or _date_in_definition(row, as_of)
            if _definition_row(row.getparent()):  # a <dl> per row: the rows' list is its parent
                row = row.getparent()
        seen.add(url)
        parent = row.getparent() if row is not a else a.getparent()
        index = containers.setdefault(parent if parent is not None else root, len(containers))
        out.append(Row(clean(a.get("title", "")) or title, url, when, clean(row.text_content()), index))
    return out


def _row_of(a: etree._Element, title: str, as_of: date) -> tuple[etree._Element, date | None]:
    """The row element holding link ``a`` and the date it shows outside the link."""
    node = a
    for _ in range(4):
        parent = node.getparent()
        if parent is None or parent.tag in ("ul", "ol", "table", "tbody", "body", "dl", "html"):
            break
        if _titles_two_targets(parent):
            break
        node = parent
        when = _date_outside(node, a, title, as_of)
        if when:
            return node, when
    return node, None


def _bracketed_date(a: etree._Element, as_of: date) -> date | None:
    """The date printed in brackets at the end of the link's text or of a heading in it
    (``<a><h3>标题(2020-12-29)</h3><p>摘要</p></a>``); bounded to the link's first elements."""
    for node in itertools.islice(a.iter(), 8):
        if isinstance(node.tag, str) and (m := TRAILING_DATE.search(clean(node.text_content()))):
            when = dates.parse_date(m.group(1), as_of)
            if when:
                return when
    return None


def _titles_two_targets(element: etree._Element) -> bool:
    """Whether ``element`` holds titled links to two different targets; stops at the
    second, so a row's walk up stays linear on a list of 100,000 links."""
    first: object = _NONE
    for x in element.iter("a"):
        text = clean(x.text_content())
        if len(text) >= 4 and not ROW_ACTION.match(text):  # a row's [下载] link is not a second title
            href = x.get("href")
            if first is _NONE:
                first = href
            elif href != first:
                return True
    return False


_NONE = object()


def _date_in_definition(term: etree._Element, as_of: date) -> date | None:
    """A ``<dt>`` row's date, printed in its ``<dd>`` (before the next ``<dt>``); in a
    ``<dl>`` that is the row itself (its only ``<dt>``), a ``<dd>`` before it as well."""
    for sibling in term.itersiblings():
        if sibling.tag == "dt":
            break
        if sibling.tag == "dd" and (when := dates.parse_date(clean(sibling.text_content()), as_of)):
            return when
    if not _definition_row(term.getparent()):
        return None
    for sibling in term.itersiblings(preceding=True):
        if sibling.tag == "dd" and (when := dates.parse_date(clean(sibling.text_content()), as_of)):
            return when
    return None


def _definition_row(dl: etree._Element | None) -> bool:
    """Whether ``dl`` is one list row: a short ``<dl>`` with a single ``<dt>`` (bounded:
    a long definition list is not walked)."""
    return dl is not None and dl.tag == "dl" and len(dl) <= 4 and sum(x.tag == "dt" for x in dl) == 1


def _date_outside(node: etree._Element, a: etree._Element, title: str, as_of: date) -> date | None:
    when = dates.parse_date(clean(node.text_content()).replace(title, " "), as_of)
    if when:
        return when
    for cell in node.iter():
        if cell is a or not isinstance(cell.tag, str) or next(cell.iter("a"), None) is not None:
            continue
        text = clean(cell.text_content())
        if len(text) > DATE_CELL_MAX:  # a summary that mentions a date is not the row's date
            continue
        when = dates.parse_date(text, as_of)
        if when:
            return when
    return None


def list_items(rows_: list[Row]) -> list[Row]:
    """The page's main list: the container with the most dated rows, else the most rows."""
    if not rows_:
        return []
    by_container: dict[int, list[Row]] = {}
    for row in rows_:
        by_container.setdefault(row.container, []).append(row)
    dated = {k: sum(r.date is not None for r in v) for k, v in by_container.items()}
    best = max(by_container, key=lambda k: (dated[k], len(by_container[k]), -k))
    chosen = by_container[best]
    if dated[best]:
        return [r for r in chosen if r.date is not None]
    return chosen


def next_page(root: lxml.html.HtmlElement, base: str) -> str | None:
    for a in root.iter("a"):
        if NEXT_PAGE.match(clean(a.text_content())) and a.get("href"):
            url = normalise(a.get("href", ""), base)
            if url and url != normalise(base):
                return url
    return None


def stated_total(text: str) -> int | None:
    m = TOTAL.search(text)
    return int(m.group(1)) if m and m.group(2) == "条" else None


def empty_note(main_text: str) -> str | None:
    """The explanation an empty column gives for being empty, if it gives one."""
    for sentence in re.split(r"(?<=[。！!])", main_text):
        if NOTE_MARKS.search(sentence) and len(sentence.strip()) >= 8:
            return sentence.strip()
    return None


def looks_like_board(items: list[Row]) -> bool:
    return bool(items) and sum(bool(REPLY_STATES.search(r.text)) for r in items) >= max(1, len(items) // 2)


def message_state(text: str, as_of: date) -> tuple[date | None, bool | None, date | None]:
    """``(asked, replied, reply date)`` from a message page's text."""
    asked = dates.labelled_date(text, as_of, ASKED_LABELS) or dates.parse_date(text, as_of)
    reply_date = dates.labelled_date(text, as_of, REPLY_LABELS)
    if reply_date:
        return asked, True, reply_date
    if PENDING.search(text):
        return asked, False, None
    if REPLIED.search(text):
        return asked, True, None
    return asked, None, None


def guide_elements(text: str) -> tuple[str, ...]:
    """The elements a guide's text names, by any of their labels (in canonical names)."""
    compact = re.sub(r"\s+", "", text)
    return tuple(e for e, labels in GUIDE_LABELS.items() if labels.search(compact))


def published(main_text: str, as_of: date, titles: Sequence[str] = (), text: str = "") -> date | None:
    """The publication date an article shows: after a publication label (发布日期 …) in
    its main text; else the full date printed nearest after its heading (found in the
    page's ``text`` from ``titles``: the ``<title>`` less any part naming the site, the
    meta ArticleTitle); else after a weaker label (更新日期, a bare 日期). A date in the
    body alone is not the page's date."""
    strongest, *weaker = dates.PUBLISHED_TIERS
    found = dates.labelled_date(main_text, as_of, strongest)
    if found:
        return found
    near: list[tuple[int, date]] = []
    for heading in _headings(titles):
        for m in list(re.finditer(re.escape(heading), text))[:5]:
            if hit := dates.first_date(text[m.end() : m.end() + HEADING_WINDOW], as_of):
                near.append(hit)
    if near:
        return min(near, key=lambda pair: pair[0])[1]
    for labels in weaker:
        found = dates.labelled_date(main_text, as_of, labels)
        if found:
            return found
    return None


def _headings(titles: Sequence[str]) -> list[str]:
    """The article's heading as the titles give it: the longest part of each that does
    not name the site, tags and extra spaces removed."""
    out = []
    for title in titles:
        parts = [clean(TAGS.sub(" ", p)) for p in TITLE_SPLIT.split(title)]
        parts = [p for p in parts if len(p) >= 6 and not SITE_NAME.search(p)]
        if parts:
            out.append(max(parts, key=len))
    return list(dict.fromkeys(out))


def search_answer(
    main_text: str, result_texts: Sequence[str], query: str
) -> tuple[bool | None, int | None, str | None]:
    """``(found, count, why not)`` of a site search's results page for ``query``: found
    when a result names it, unless the page says the search is down or found nothing
    (a sidebar listing the newest article is not a result). ``found`` is None when the
    page holds no answer yet, only a note that its results are loading (a script fetches
    them; its hidden "nothing found" template is not the answer)."""
    m = RESULT_COUNT.search(main_text)
    count = int(re.sub(r"[,，]", "", m.group(1))) if m else None
    named = any(_names(text, query) for text in result_texts)
    if LOADING.search(main_text) and not count and not named:
        return None, count, "results page loads its answer by script"
    if SEARCH_DOWN.search(main_text) and not count:
        return False, count, "results page says the search is not working"
    if count == 0 or (count is None and NO_RESULTS.search(main_text)):
        return False, count, "results page says nothing was found"
    if named:
        return True, count, None
    return False, count, "no result names the query"


def _names(result: str, query: str) -> bool:
    """Whether a result's text names the query: spaces a highlight put between the
    matched words do not count, and a title the page cut short (…) names a query it
    begins (at least eight characters of it)."""
    text, wanted = re.sub(r"\s+", "", result), re.sub(r"\s+", "", query)
    if wanted and wanted in text:
        return True
    stem = CUT_SHORT.sub("", text)
    if stem == text or not stem:
        return False
    return any(wanted.startswith(stem[i:]) for i in range(max(0, len(stem) - len(wanted)), len(stem) - 7))
