"""Extraction heuristics on markup the sample fleet does not use: lists in dl, p,
tables with headers, dates before titles, titles that contain dates, sidebars."""

from __future__ import annotations

from datetime import date

import pytest

from govsite.engine import extract
from govsite.engine.html import parse
from govsite.samples.testing import TEST_AS_OF

BASE = "http://www.example.gov.cn/col/list.html"


def items(html: str) -> list[tuple[str, str, date | None]]:
    page = parse(f"<html><body>{html}</body></html>", BASE)
    assert page.root is not None
    rows = extract.list_items(extract.rows(page.root, BASE, TEST_AS_OF, set()))
    return [(r.title, r.url.rsplit("/", 1)[1], r.date) for r in rows]


def test_definition_list_with_spans() -> None:
    got = items(
        "<dl><dd><a href='a1.html'>全市安全生产工作会议召开</a><span>2026-05-28</span></dd>"
        "<dd><a href='a2.html'>市政府召开常务会议研究部署</a><span>2026-05-20</span></dd></dl>"
    )
    assert got == [
        ("全市安全生产工作会议召开", "a1.html", date(2026, 5, 28)),
        ("市政府召开常务会议研究部署", "a2.html", date(2026, 5, 20)),
    ]


def test_a_short_title_with_a_date_is_an_item_and_a_dated_action_link_is_not() -> None:
    # a 信息公开 list of a county portal titles decrees 嘉奖令 (tests/corpus: zhecheng-zfwj)
    got = items(
        "<ul><li><a href='1.html'>关于印发农村生活垃圾治理工作实施方案的通知</a><span>2026-06-11</span></li>"
        "<li><a href='2.html'>嘉奖令</a><span>2026-06-07</span></li>"
        "<li><a href='3.html'>关于加强县级财政投资项目管理规定的通知</a> <a href='3d.html'>[下载]</a>"
        "<span>2026-05-11</span></li></ul><p><a href='all.html'>更多</a></p>"
    )
    assert [(title, url) for title, url, _ in got] == [
        ("关于印发农村生活垃圾治理工作实施方案的通知", "1.html"),
        ("嘉奖令", "2.html"),
        ("关于加强县级财政投资项目管理规定的通知", "3.html"),
    ]


def test_table_with_a_header_row_and_chinese_dates() -> None:
    got = items(
        "<table><tr><th>标题</th><th>发布日期</th></tr>"
        "<tr><td><span><a href='/x/1.html' title='关于做好冬季森林防火工作的通知（全文）'>关于做好冬季森林防火工作…</a></span></td>"
        "<td>2026年11月02日</td></tr>"
        "<tr><td><a href='/x/2.html'>关于开展消防安全检查的通知</a></td><td>2026年10月9日</td></tr></table>"
    )
    assert [(t, d) for t, _, d in got] == [
        ("关于做好冬季森林防火工作的通知（全文）", date(2026, 11, 2)),
        ("关于开展消防安全检查的通知", date(2026, 10, 9)),
    ]


def test_month_day_before_the_title_takes_the_year_from_the_as_of_date() -> None:
    got = items(
        "<div class='list'><div class='item'><span class='time'>11-20</span><a href='b1.html'>县政府党组召开专题会议</a></div>"
        "<div class='item'><span class='time'>12-30</span><a href='b2.html'>县长主持召开年终工作会议</a></div></div>"
    )
    assert [d for _, _, d in got] == [date(2026, 11, 20), date(2025, 12, 30)]


def test_a_date_inside_the_title_is_not_the_items_date() -> None:
    got = items(
        "<ul><li><a href='c1.html'>关于2026年5月1日放假安排的通知</a> <em>2026-04-28</em></li>"
        "<li><a href='c2.html'>关于2026年10月1日国庆节放假的通知</a> <em>2026-09-25</em></li></ul>"
    )
    assert [d for _, _, d in got] == [date(2026, 4, 28), date(2026, 9, 25)]


def test_a_date_in_brackets_ending_a_links_heading_is_the_items_date() -> None:
    # a city site group's picture list (tests/corpus: pds-jyj-*): <a><img><h3>title(date)</h3><p>…</p></a>
    got = items(
        "<ul><a href='n1.html' class='box'><img src='1.jpg'><h3>全市教育系统安全稳定工作推进会召开(2026-11-29)</h3>"
        "<p>全市教育系统安全稳定工作推进会召开</p></a>"
        "<a href='n2.html' class='box'><img src='2.jpg'><h3>中小学劳动教育实践基地座谈会举行（2026-11-14）</h3>"
        "<p>摘要</p></a></ul>"
    )
    assert [(url, d) for _, url, d in got] == [("n1.html", date(2026, 11, 29)), ("n2.html", date(2026, 11, 14))]


def test_a_card_link_takes_its_labelled_date_not_one_in_its_summary() -> None:
    # a site group's department page (tests/corpus: pds-1751): the whole card is the link
    got = items(
        "<ul><li><a href='k1.html'><h2>关于全国高等教育自学考试延期举行的公告</h2><div class='note'>"
        "<div class='licontent'>原定于2026年4月11日举行的全国高等教育自学考试延期举行，具体考试时间将根据疫情防控"
        "形势另行通知，请广大考生关注省教育考试院网站。</div>"
        "<p><i>主题分类：教育</i><i class='date'>日期：2026-02-28 </i></p></div></a></li>"
        "<li><a href='k2.html'><h2>全市教育系统工作会议召开</h2><div class='note'><div>会议总结了全年工作。</div>"
        "<p><i class='date'>日期：2026-01-06 </i></p></div></a></li></ul>"
    )
    assert [(url, d) for _, url, d in got] == [("k1.html", date(2026, 2, 28)), ("k2.html", date(2026, 1, 6))]


def test_paragraph_rows_with_dates_in_brackets() -> None:
    got = items(
        "<div><p><a href='d1.html'>我市召开优化营商环境推进会</a>（2026-08-01）</p>"
        "<p><a href='d2.html'>我市举行重点项目集中开工仪式</a>（2026-07-15）</p></div>"
    )
    assert [d for _, _, d in got] == [date(2026, 8, 1), date(2026, 7, 15)]


def test_the_main_list_wins_over_a_shorter_sidebar() -> None:
    got = items(
        "<div class='side'><ul><li><a href='hot1.html'>热点新闻标题一二</a><span>2026-11-01</span></li></ul></div>"
        "<div class='content'><ul>"
        + "".join(
            f"<li><a href='m{i}.html'>本栏目第{i}条信息标题</a><span>2026-10-{10 + i:02d}</span></li>" for i in range(5)
        )
        + "</ul></div>"
    )
    assert [u for _, u, _ in got] == [f"m{i}.html" for i in range(5)]


def test_navigation_breadcrumbs_and_pagers_are_not_items() -> None:
    got = items(
        "<div class='nav'><a href='/zwgk/'>政务公开栏目</a></div>"
        "<div class='position'>当前位置：<a href='/'>首页</a> &gt; <a href='/zwgk/'>政务公开栏目</a></div>"
        "<ul><li><a href='e1.html'>市生态环境局召开会议</a><span>2026-11-11</span></li></ul>"
        "<div class='page'><a href='list_2.html'>下一页</a><a href='list_9.html'>尾页</a></div>"
    )
    assert [u for _, u, _ in got] == ["e1.html"]


def test_an_empty_column_and_its_note() -> None:
    assert items("<ul></ul><p>暂无信息</p>") == []
    assert extract.empty_note("当前位置 暂无信息") is None
    note = extract.empty_note("说明：本单位不涉及行政事业性收费，故本栏目暂无信息。")
    assert note is not None and "不涉及" in note


@pytest.mark.parametrize(
    ("name", "cls"),
    [
        ("政务要闻", "news"),
        ("部门动态", "news"),
        ("乡镇动态", "news"),
        ("通知公告", "notice"),
        ("公示公告", "notice"),
        ("政策文件", "policy"),
        ("规范性文件", "policy"),
        ("政策解读", "interpretation"),
        ("图解政策", "interpretation"),
        ("人事信息", "personnel"),
        ("招考录用", "personnel"),
        ("规划计划", "plan"),
        ("工作总结", "plan"),
        ("政府信息公开", "open_government"),
        ("重点领域信息公开", "other"),
        ("办事指南", "service"),
        ("表格下载", "service"),
        ("领导信箱", "interaction"),
        ("在线访谈", "interaction"),
        ("调查征集", "interaction"),
        ("机构概况", "other"),
        ("政府网站工作年度报表", "other"),
    ],
)
def test_column_classes(name: str, cls: str) -> None:
    assert extract.classify(name) == cls


def test_column_like_names() -> None:
    assert extract.column_like("通知公告")
    assert not extract.column_like("首页")
    assert not extract.column_like("关于开展2026年民生实事专项检查的通知")
    assert not extract.column_like("食品经营许可证核发")  # a service item, not a column
    assert not extract.column_like("2026-05-28")


def test_message_pages_in_several_wordings() -> None:
    asked, replied, when = extract.message_state(
        "来信时间：2026-03-01 处理状态：已办结 答复时间：2026-03-05", TEST_AS_OF
    )
    assert (asked, replied, when) == (date(2026, 3, 1), True, date(2026, 3, 5))
    assert extract.message_state("留言时间 2026-05-01 办理状态 办理中，尚未回复", TEST_AS_OF) == (
        date(2026, 5, 1),
        False,
        None,
    )
    assert extract.message_state("提问时间：2026年6月2日 答复内容：您好，已转相关部门。", TEST_AS_OF)[1] is True
    assert extract.message_state("提问时间：2026年6月2日", TEST_AS_OF)[1] is None  # the page does not say
    assert extract.message_state("写信时间：2026-06-02 办理状态：已反馈", TEST_AS_OF)[1] is True
    assert extract.message_state("写信时间：2026-06-02 状态：已办结", TEST_AS_OF)[1] is True
    assert extract.message_state("写信时间：2026-06-02 状态：待处理", TEST_AS_OF)[1] is False
    assert extract.message_state("写信时间：2026-06-02 状态：转办中（已受理）", TEST_AS_OF)[1] is False
    assert extract.message_state("写信时间：2026-06-02 状态：未答复", TEST_AS_OF)[1] is False


def test_a_label_in_bold_reads_before_its_value() -> None:
    # a provincial board prints each field as <strong>label</strong>value (tests/corpus: qb-msg-*)
    page = parse(
        "<html><body><div class='article'><p><span><strong>留言时间：</strong>2026-08-05 16:07:19</span></p>"
        "<p><span><strong>答复时间：</strong>2026-08-17 11:36:28</span></p><!-- x -->"
        "<p><span><strong>回　　复：</strong>您好！已转相关部门。</span></p></div></body></html>",
        BASE,
    )
    assert page.main_text.startswith("留言时间： 2026-08-05 16:07:19 答复时间： 2026-08-17")
    assert extract.message_state(page.main_text, TEST_AS_OF) == (date(2026, 8, 5), True, date(2026, 8, 17))


def test_next_page_links() -> None:
    page = parse("<div><a href='index_1.html'>下一页</a></div>", "http://x.gov.cn/col/index.html")
    assert extract.next_page(page.root, "http://x.gov.cn/col/index.html") == "http://x.gov.cn/col/index_1.html"
    page = parse("<div><a href='?page=3'>&gt;</a></div>", "http://x.gov.cn/list.jsp?page=2")
    assert extract.next_page(page.root, "http://x.gov.cn/list.jsp?page=2") == "http://x.gov.cn/list.jsp?page=3"


def test_guide_elements() -> None:
    text = "事项名称：食品经营许可 设定依据：《食品安全法》 申请条件：… 办理地点：政务服务中心 联系电话：12345"
    assert extract.guide_elements(text) == ("事项名称", "设定依据", "申请条件", "办理地点", "联系电话")


def test_guide_elements_by_their_other_labels_in_tables_and_definition_lists() -> None:
    table = (
        "<table><tr><th>项目名称</th><td>建筑工程施工许可</td></tr><tr><th>法律依据</th><td>《建筑法》</td></tr>"
        "<tr><td>受理条件</td><td>…</td></tr><tr><td>申请材料</td><td>…</td></tr></table>"
        "<dl><dt>受理地点</dt><dd>市民中心</dd><dt>办公时间</dt><dd>工作日</dd><dt>咨询电话</dt><dd>12345</dd>"
        "<dt>办理程序</dt><dd>受理、审查、决定</dd></dl>"
    )
    page = parse(f"<html><body>{table}</body></html>", "http://x.gov.cn/guide/1.html")
    assert extract.guide_elements(page.main_text) == extract.GUIDE_ELEMENTS


def test_guide_elements_labelled_with_banshi() -> None:
    text = "项目名称：… 实施依据：… 办理条件：… 申报材料：… 办事地点：市民中心 办事时间：工作日 咨询方式：12345 办事流程：…"
    assert extract.guide_elements(text) == extract.GUIDE_ELEMENTS


def test_guide_elements_in_numbered_sections_with_a_window_and_its_address() -> None:
    # a provincial 办事指引 (tests/corpus: qb-guide-*): 服务事项 names the item, 办事窗口 with
    # 地址 is the place; 办理时限 and 收费标准 are read as well
    text = (
        "服务事项 三侨生证明办理 办理对象 归侨 办理条件 户籍在本省 所需材料 身份证明 办理流程 1、申请 "
        "办理时限说明 30个工作日 办事窗口 各地级市侨务部门 工作时间：正常工作日 地 址：各地级市 "
        "联系电话：各地 收费标准 免费 办理依据 《实施办法》"
    )
    assert extract.guide_elements(text) == (*extract.GUIDE_ELEMENTS, "办理时限", "收费标准")
    # an address a form asks for is not where the service is given
    assert "办理地点" not in extract.guide_elements("申请材料：申请表（填写通讯地址：）、身份证")


def test_a_guide_without_an_element_lacks_it() -> None:
    text = "事项名称：户口迁移 申请材料：身份证 受理地点：派出所 咨询电话：110 办理流程：受理 办理时限：5个工作日"
    assert set(extract.GUIDE_ELEMENTS) - set(extract.guide_elements(text)) == {"设定依据", "申请条件", "办理时间"}


def _published(body: str, title: str = "") -> date | None:
    page = parse(f"<html><head><title>{title}</title></head><body>{body}</body></html>", "http://x.gov.cn/a/1.html")
    return extract.published(page.main_text, date(2026, 11, 23), (page.title,), page.text)


def test_published_prefers_the_publication_label_to_a_document_date() -> None:
    body = "<table><tr><td>成文日期：2024-06-04</td></tr></table><h1>关于开展某项工作的通知</h1><p>正文</p><p>发布日期：2024-06-13</p>"
    assert _published(body, "关于开展某项工作的通知 - 某某部门户网站") == date(2024, 6, 13)


def test_published_is_the_date_printed_with_the_heading() -> None:
    body = (
        "<div class='side'><a href='/1'>另一条新闻标题很长</a> 2024-01-25</div>"
        "<h2>第六届人才交流会将于11月12日开幕</h2><p>来源：宣教中心 2022-11-14 14:59</p>"
        "<p>报名时间：2024年3月7日</p>"
    )
    assert _published(body, "第六届人才交流会将于11月12日开幕_某省科技厅") == date(2022, 11, 14)


def test_a_bare_label_ending_another_word_is_not_the_publication_date() -> None:
    assert _published("<p>报名时间：2024年3月7日</p><p>日期：2024-03-03</p>", "某某市政府网") == date(2024, 3, 3)


def test_a_date_in_the_body_alone_is_not_the_pages_date() -> None:
    assert _published("<h1>晋祠博物馆</h1><p>博物馆于1997年6月21日开馆。</p>", "某某市人民政府门户网站") is None


def test_a_wrapper_named_like_a_region_but_holding_the_page_is_main() -> None:
    article = "<h3>标题</h3><p>" + "正文内容。" * 80 + "</p><p>发布时间：2024-06-25</p>"
    page = parse(
        f"<html><body><div class='bg-bottom'><div class='margin-top-15'>{article}</div></div>"
        "<div class='footer'>版权所有</div></body></html>",
        "http://x.gov.cn/",
    )
    assert "发布时间" in page.main_text and page.footer_text == "版权所有"


@pytest.mark.parametrize(
    "rows",
    [
        "<ul>{}</ul>".format(
            "".join(
                f"<li><span>[05-{i + 10}]</span><a href='/a/{i}.html'>关于开展第{i}项工作的通知</a></li>"
                for i in range(4)
            )
        ),
        "<table>{}</table>".format(
            "".join(
                f"<tr><td>{i}</td><td><a href='/a/{i}.html'>关于开展第{i}项工作的通知</a></td><td>2026.5.{i + 10}</td></tr>"
                for i in range(4)
            )
        ),
        "<dl>{}</dl>".format(
            "".join(
                f"<dt><a href='/a/{i}.html'>关于开展第{i}项工作的通知</a></dt><dd>2026年5月{i + 10}日</dd>"
                for i in range(4)
            )
        ),
        "<div>{}</div>".format(
            "".join(
                f"<div><p>2026/05/{i + 10}</p><h3><a href='/a/{i}.html'>关于开展第{i}项工作的通知</a></h3><p>摘要</p></div>"
                for i in range(4)
            )
        ),
        "".join(f"<p><a href='/a/{i}.html'>关于开展第{i}项工作的通知</a>（2026-5-{i + 10}）</p>" for i in range(4)),
        "<div class='list'>{}</div>".format(
            "".join(
                f"<dl><dd>[2026.05.{i + 10}]</dd><dt><a href='/a/{i}.html'>关于开展第{i}项工作的通知</a></dt></dl>"
                for i in range(4)
            )
        ),
    ],
    ids=[
        "ul-date-first",
        "table-cells",
        "definition-list",
        "div-rows-date-first",
        "paragraphs",
        "dl-per-row-date-first",
    ],
)
def test_list_layouts_and_date_forms(rows: str) -> None:
    url = "http://x.gov.cn/col/index.html"
    page = parse(f"<html><body><div class='content'>{rows}</div></body></html>", url)
    items = extract.list_items(extract.rows(page.root, url, date(2026, 11, 23), set()))
    assert [i.date for i in items] == [date(2026, 5, 10 + i) for i in range(4)]


@pytest.mark.parametrize(
    ("page", "results", "found"),
    [
        ("共找到 3 条结果", ["关于开展某项工作的通知"], True),
        ("共找到 0 条结果 最新动态", ["关于开展某项工作的通知"], False),  # the sidebar, not a result
        ("抱歉，没有找到相关结果", ["关于开展某项工作的通知"], False),
        ("系统繁忙，请稍后再试", [], False),
        ("检索结果", ["另一条信息"], False),
        # a results page a script fills (tests/corpus: pds-search-*): no answer of its own
        ("搜索中，请稍后... 抱歉，找不到和您的查询相符的网页。", [], None),
        ("数据加载中 操作失败 很抱歉，您搜索的内容暂未为您找到", [], None),
        ("数据加载中 共找到 3 条结果", ["关于开展某项工作的通知"], True),
        # highlighted words set apart by spaces, a badge before the title, a title cut short
        ("共约 1,629 条结果", ["政务信息 关于开展 某项 工作的通知"], True),
        ("共约 12 条结果", ["关于开展某项工作..."], True),
        ("共约 12 条结果", ["关于开展…"], False),  # too little of it left to name the query
        ("共约 0 条结果", ["关于开展某项工作的通知"], False),
    ],
)
def test_search_answers(page: str, results: list[str], found: bool | None) -> None:
    assert extract.search_answer(page, results, "关于开展某项工作的通知")[0] is found


@pytest.mark.parametrize(("page", "count"), [("共约 1,629 条结果", 1629), ("为您检索到12篇", 12), ("共50页", None)])
def test_search_result_counts(page: str, count: int | None) -> None:
    assert extract.search_answer(page, [], "关于开展某项工作的通知")[1] == count


def test_a_result_row_styled_with_a_bottom_border_is_not_a_footer() -> None:
    # Bootstrap rows (class='db mt-3 border-bottom pb-3') on a site's own search results page
    rows = "".join(
        f"<div class='db mt-3 border-bottom pb-3'><a href='/xw/{i}.html'><div class='fz18'>"
        f"<span class='badge'>政务信息</span>关于开展第{i}项<font color='red'>工作</font>的通知</div></a>"
        f"<div class='item-content'>{'摘要文字。' * 20}</div><div class='text-secondary'>2026-05-{i + 10}</div></div>"
        for i in range(4)
    )
    page = parse(
        f"<html><body><header class='fixed-top'><a href='/'>首页</a></header><main>{rows}</main>"
        "<footer><p>版权所有 某某市人民政府</p></footer></body></html>",
        "http://x.gov.cn/search.html",
    )
    main = [link.text for link in page.links if link.region == "main"]
    assert main == [f"政务信息关于开展第{i}项工作的通知" for i in range(4)]
    assert page.footer_text == "版权所有 某某市人民政府"
    assert [link.region for link in page.links if link.text == "首页"] == ["header"]


@pytest.mark.parametrize(
    "tool",
    [
        "长者专区",
        "关怀版",
        "无障碍浏览",
        "智能问答",
        "登录个人中心",
        "移动版",
        "繁體中文",
        "站群导航",
        "微博矩阵",
        "政务小助手",
        "市民网页",
    ],
)
def test_header_tools_are_not_columns(tool: str) -> None:
    assert not extract.column_like(tool)


@pytest.mark.parametrize(
    ("name", "cls"),
    [("公开", "open_government"), ("政府信息公开", "open_government"), ("数据开放", "other"), ("走进本市", "other"),
     ("政民互动", "interaction"), ("办事服务", "service"), ("解读回应", "interpretation"), ("综合要闻", "news")],
)  # fmt: skip
def test_column_classes_of_navigation_names(name: str, cls: str) -> None:
    assert extract.column_like(name) and extract.classify(name) == cls


def test_every_list_on_a_page_is_its_own_container() -> None:
    # rows of a ul, a table, a dl and div rows side by side: each layout is one list,
    # never merged with another (list_items picks one of them, not a mix)
    layouts = [
        "<ul>{}</ul>".format("".join(f"<li><span>[05-2{i}]</span><a href='u{i}.html'>通知公告第{i}条信息</a></li>" for i in range(3))),
        "<table>{}</table>".format("".join(f"<tr><td><a href='t{i}.html'>政策文件第{i}条信息</a></td><td>2026.05.2{i}</td></tr>" for i in range(3))),
        "<dl>{}</dl>".format("".join(f"<dt><a href='d{i}.html'>工作动态第{i}条信息</a></dt><dd>2026年5月2{i}日</dd>" for i in range(3))),
        "".join(f"<div class='row'><div><a href='v{i}.html'>部门动态第{i}条信息</a></div><div>2026-5-2{i}</div></div>" for i in range(3)),
    ]  # fmt: skip
    for _ in range(3):  # an id() reused after the collector ran merged lists before
        page = parse(f"<html><body><div class='content'>{''.join(layouts)}</div></body></html>", BASE)
        assert page.root is not None
        rows = extract.rows(page.root, BASE, TEST_AS_OF, set())
        groups = {}
        for row in rows:
            groups.setdefault(row.container, set()).add(row.url.rsplit("/", 1)[1][0])
        assert sorted(groups.values(), key=sorted) == [{"d"}, {"t"}, {"u"}, {"v"}]


def test_a_cell_holding_only_a_chinese_month_and_day_is_the_rows_date() -> None:
    got = items(
        "<ul>"
        + "".join(
            f"<li><a href='m{i}.html'>本栏目第{i}条信息标题</a><em>11月{d}日</em></li>"
            for i, d in enumerate((20, 21, 23, 24))
        )
        + "</ul>"
    )
    assert [d for _, _, d in got] == [date(2026, 11, 20), date(2026, 11, 21), date(2026, 11, 23), date(2025, 11, 24)]


def test_a_date_an_inline_script_writes_is_the_pages_date() -> None:
    # a TRS template prints the date, source and author by script, each only when set
    body = (
        "<h1>关于开展某项工作的通知</h1><p>发布时间：<script>var pubdata='2017年08月11日';"
        "if(pubdata!=''){document.write(pubdata);}</script> <script>var wzly='';"
        "if(wzly!=''){document.write('文章来源：'+wzly+'&emsp;');}</script></p><p>正文。</p>"
    )
    page = parse(
        f"<html><head><title>关于开展某项工作的通知</title></head><body>{body}</body></html>", "http://x.gov.cn/"
    )
    assert "发布时间： 2017年08月11日" in page.main_text and "文章来源" not in page.main_text
    assert extract.published(page.main_text, date(2026, 11, 23), [page.title], page.text) == date(2017, 8, 11)


@pytest.mark.parametrize(
    "script",
    [
        "document.write(unknownVar)",  # a value the script does not set is not guessed
        "document.write(a.b('x'))",  # nor a call's result
        "var s='2017-08-11'; if(false){} // no write",
    ],
)
def test_what_a_script_may_write_is_not_guessed(script: str) -> None:
    page = parse(f"<html><body><p>发布时间：<script>{script}</script></p></body></html>", "http://x.gov.cn/")
    assert "2017" not in page.main_text and "unknownVar" not in page.main_text
