"""How each site lays out its lists, dates and guides: drawn per site by the generator.

The three first families (trs, hanweb, jsp) keep one layout each. The families modelled
on the platforms of the real-page corpus (tests/corpus) draw theirs per site, the way
two sites on one CMS still differ by template:

- ``ucap`` (开普云, e.g. www.sc.gov.cn): ``/10462/10465/list.shtml`` columns,
  ``/10462/10465/2026/5/28/<32 hex>.shtml`` articles; a footer with ``网站标识码5100000062``
  (no colon), ``蜀ICP备 13001288号`` (a space) and links to the conac certificate and
  the national 找错 page;
- ``gdjy`` (a provincial 集约化 platform with a Vue front end, e.g. www.gz.gov.cn):
  server-rendered Vue markup (``data-v-`` attributes), ``/xw/content/post_1201003.html``
  articles, lists often inside a same-site ``<iframe>``, 网站标识码 and 公网安备 in
  ``<p>`` rows, ``_ideConac``/``_span_jiucuo`` badge spans;
- ``asp`` (an old ASP site in nested tables): ``ShowClass.asp?ClassID=``,
  ``ShowArticle.asp?ArticleID=``, the conac badge written by its
  ``document.write(unescape(...))`` embed, ``网站标识码:`` with an ASCII colon, record
  numbers without spaces or 号.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

#: The original families, then the ones modelled on the corpus's platforms.
FAMILIES = ("trs", "hanweb", "jsp", "ucap", "gdjy", "asp")


@dataclass(frozen=True)
class Layout:
    """One site's template choices."""

    rows: str  # ul | table | div | dl: the markup of a list row
    date_first: bool  # the date printed before the title
    date_style: str  # a style of render.fmt
    bracket: bool  # the date in square brackets: [2026-05-28]
    guide: str  # table | labels | dl | numbered | headings: how a 办事指南 shows its elements
    framed: bool  # list columns show their list in a same-site <iframe>
    nav_nested: bool  # sub-columns listed under their parent in the navigation
    labels: tuple[tuple[str, str], ...] = ()  # guide element -> the label this site prints


FIXED = {
    "trs": Layout("ul", False, "iso", False, "table", False, False),
    "hanweb": Layout("table", False, "iso", False, "table", False, False),
    "jsp": Layout("div", False, "cn", False, "table", False, False),
}

#: Labels 办事指南 print for each element across platforms (the first is the fleet's own).
GUIDE_LABELS: dict[str, tuple[str, ...]] = {
    "事项名称": ("事项名称", "项目名称", "服务事项名称"),
    "设定依据": ("设定依据", "法律依据", "实施依据", "办理依据"),
    "申请条件": ("申请条件", "受理条件", "办理条件"),
    "办理材料": ("办理材料", "申请材料", "申报材料", "申请材料目录"),
    "办理地点": ("办理地点", "受理地点", "办公地址", "办事地点"),
    "办理时间": ("办理时间", "受理时间", "办公时间", "办事时间"),
    "联系电话": ("联系电话", "咨询电话", "咨询方式", "联系方式"),
    "办理流程": ("办理流程", "办理程序", "办事流程", "审批流程"),
}

#: Per family: row layouts, date styles (``md``: a year-less 05-28 wherever the page's
#: dates all fall within :data:`YEARLESS_DAYS`, else the full 2026-05-28) and guide layouts.
_DRAWS = {
    "ucap": (("ul", "dl", "div"), ("iso", "dot", "nopad", "md"), ("dl", "numbered", "labels")),
    "gdjy": (("ul", "div", "dl"), ("iso", "dot", "cn"), ("labels", "headings", "numbered")),
    "asp": (("table", "table", "div"), ("nopad", "cn", "iso", "dot", "md"), ("labels", "table", "numbered")),
}
#: A year-less date is printed only on a page whose dates are all this recent, so the
#: year a reader infers (the latest not after today) is the right one.
YEARLESS_DAYS = 300


def draw(family: str, rng: random.Random) -> Layout:
    """The layout of a site of ``family``; ``rng`` is the site's own stream for it."""
    if family in FIXED:
        return FIXED[family]
    rows, styles, guides = _DRAWS[family]
    labels = tuple((element, rng.choice(choices)) for element, choices in GUIDE_LABELS.items())
    return Layout(
        rows=rng.choice(rows),
        date_first=rng.random() < 0.5,
        date_style=rng.choice(styles),
        bracket=rng.random() < 0.4,
        guide=rng.choice(guides),
        framed=family != "ucap" and rng.random() < 0.5,
        nav_nested=rng.random() < 0.6,
        labels=labels,
    )
