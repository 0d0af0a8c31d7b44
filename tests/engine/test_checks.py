"""Each check on hand-made snapshots, with markup the fleet does not use."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from govsite.engine import lexicon
from govsite.engine.checks import (
    annual_report,
    availability,
    content,
    domain,
    identity,
    interaction,
    links,
    search,
    update,
)
from govsite.engine.checks.base import CheckContext, Undecided
from govsite.engine.checks.registry import CHECKS
from govsite.engine.html import parse
from govsite.engine.profile import CHECK_IDS, load
from govsite.engine.scan import run_checks
from govsite.engine.snapshot import Item, LinkCheck, Message, Probe, SearchProbe

from .snapshots import URL, column, page, snapshot

CTX = CheckContext(load("inspection-2019"), "portal", "3700000046", lexicon.load())

FULL_FOOTER = """
<div class="copyright">
  <p>主办：某某市人民政府办公室　网站标识码：3700000046</p>
  <p><a href="https://beian.miit.gov.cn">京ICP备05070218号-1</a>
     京公网安备 11010202000001号</p>
  <span id="_ideConac"><a href="https://bszs.conac.cn/sitename?method=show&id=123"><img alt="党政机关"></a></span>
  <script id="_jiucuo_" sitecode="3700000046" src="https://zfwzzc.www.gov.cn/plugin/js/jiucuo.js"></script>
</div>
"""


def ids(findings: list) -> list[str]:  # type: ignore[type-arg]
    return sorted(f.check for f in findings)


def test_the_registry_covers_every_check_id_once() -> None:
    reported = [i for c in CHECKS for i in c.ids]
    assert sorted(reported) == sorted(CHECK_IDS)
    assert CHECKS[0].name == "noop" and CHECKS[0].run(snapshot(), CTX) == []


def test_identifiers_present_in_another_footer_layout() -> None:
    assert identity.check(snapshot(f"<html><body>{FULL_FOOTER}</body></html>"), CTX) == []


def test_identifiers_missing_or_wrong() -> None:
    bare = identity.check(snapshot("<html><body><div class='footer'>主办：某某市人民政府</div></body></html>"), CTX)
    assert ids(bare) == [
        "identity.conac_missing",
        "identity.error_report_entry_missing",
        "identity.icp_missing",
        "identity.psb_missing",
        "identity.site_code_missing",
    ]
    wrong = identity.check(
        snapshot(f"<html><body>{FULL_FOOTER.replace('3700000046', '3700000099')}</body></html>"), CTX
    )
    assert ids(wrong) == ["identity.site_code_missing"] and wrong[0].data == {
        "registered": "3700000046",
        "shown": "3700000099",
    }
    ministries = CheckContext(CTX.profile, "department", "bm01000001", CTX.lexicon)
    text = FULL_FOOTER.replace("3700000046", "bm01000001")
    assert identity.check(snapshot(f"<html><body>{text}</body></html>"), ministries) == []


def test_identity_cannot_be_judged_without_a_homepage() -> None:
    down = snapshot()
    down = replace(down, homepage=replace(down.homepage, outcome="timeout"))
    with pytest.raises(Undecided):
        identity.check(down, CTX)


@pytest.mark.parametrize(
    ("host", "kind", "ok"),
    [
        ("www.jinan.gov.cn", "portal", True),
        ("jnedu.jinan.gov.cn", "department", True),
        ("www.jnedu.com", "department", False),
        ("jinan.gov.cn", "portal", False),
        ("www.jinan.gov.cn", "department", False),
        ("www.xn--mxtq1m.xn--zfr164b", "portal", True),
    ],
)
def test_domain_norms(host: str, kind: str, ok: bool) -> None:
    snap = replace(snapshot(), host=host, url=f"http://{host}/")
    got = domain.check(snap, CheckContext(CTX.profile, kind))
    assert (got == []) is ok


def test_stale_windows_are_inclusive() -> None:
    today = date(2026, 11, 23)
    cols = (
        column("政务动态", "news", date(2026, 11, 10)),  # 13 days: fresh
        column("工作动态", "news", date(2026, 11, 9)),  # 14 days: stale
        column("通知公告", "notice", date(2026, 5, 27)),  # 180 days: stale
        column("人事信息", "personnel", date(2025, 11, 24)),  # 364 days: fresh
        column("网站年报", "other", date(2020, 1, 1)),  # no window
    )
    found = update.column_stale(snapshot(columns=cols), CTX)
    assert [f.data["column"] for f in found] == ["工作动态", "通知公告"]
    assert (today - date(2026, 11, 9)).days == 14


def test_homepage_staleness_ignores_future_dates_and_falls_back_to_columns() -> None:
    items = (
        Item("某新闻标题一二三", URL + "a.html", date(2026, 10, 1)),
        Item("未来日期", URL + "b.html", date(2027, 1, 1)),
    )
    assert ids(update.homepage_stale(snapshot(homepage_items=items), CTX)) == ["update.homepage_stale"]
    nav_only = snapshot(columns=(column("政务动态", "news", date(2026, 11, 20)),))
    assert update.homepage_stale(nav_only, CTX) == []


def test_unanswered_messages_use_calendar_months_and_the_last_year() -> None:
    def msg(asked: date, replied: bool | None) -> Message:
        return Message(f"{URL}m/{asked}.html", "咨询", URL + "board", asked, replied, None, "ok")

    board = column("领导信箱", "interaction", date(2026, 11, 1), kind="board")
    messages = (
        msg(date(2026, 8, 23), False),  # exactly 3 months: counts
        msg(date(2026, 8, 24), False),  # 3 months less a day: not yet
        msg(date(2025, 11, 1), False),  # more than a year ago: no longer counts
        msg(date(2026, 6, 1), True),
    )
    found = interaction.unanswered(snapshot(columns=(board,), messages=messages), CTX)
    assert [f.data["asked"] for f in found] == ["2026-08-23"]
    undecided = snapshot(columns=(board,), messages=(msg(date(2026, 6, 1), None),))
    with pytest.raises(Undecided):
        interaction.unanswered(undecided, CTX)


def test_no_channel_unless_a_board_or_a_named_column() -> None:
    assert ids(interaction.channel_missing(snapshot(), CTX)) == ["interaction.channel_missing"]
    mailbox = column("书记信箱", "interaction", None, kind="unreachable", outcome="timeout")
    with pytest.raises(Undecided):
        interaction.channel_missing(snapshot(columns=(mailbox,)), CTX)


def test_search_probe_outcomes() -> None:
    broken = snapshot(search=SearchProbe(True, URL + "s?q=x", "某标题", "ok", False, 0))
    assert ids(search.check(broken, CTX)) == ["search.broken"]
    linked = snapshot(
        "<html><body><a href='/search.html'>站内搜索</a></body></html>",
        search=SearchProbe(False, None, None, None, None, None, "no form"),
    )
    with pytest.raises(Undecided):
        search.check(linked, CTX)
    none = snapshot(search=SearchProbe(False, None, None, None, None, None, "no form"))
    assert ids(search.check(none, CTX)) == ["search.missing"]


def test_availability_counts_probes_and_never_blames_the_site_for_our_errors() -> None:
    flaky = snapshot(probes=(Probe("ok", 200, 0.1), Probe("http_5xx", 503, 0.1), Probe("ok", 200, 0.1)))
    [finding] = availability.check(flaky, CTX)
    assert finding.severity == "suspected" and finding.data["failures"] == 1 and finding.data["probes"] == 4
    ours = snapshot(probes=(Probe("scanner_error", None, 0.0),))
    ours = replace(ours, homepage=replace(ours.homepage, outcome="scanner_error"))
    with pytest.raises(Undecided):
        availability.check(ours, CTX)


def test_annual_report_due_after_the_31st_of_january() -> None:
    report = column(
        "网站年度报表",
        "other",
        date(2026, 1, 20),
        items=(Item("某某网站政府网站工作年度报表（2025年度）", URL + "r.html", date(2026, 1, 20)),),
    )
    assert annual_report.check(snapshot(columns=(report,)), CTX) == []
    old = replace(report, items=(Item("某某网站政府网站工作年度报表（2024年度）", URL + "r.html", date(2025, 1, 20)),))
    [missing] = annual_report.check(snapshot(columns=(old,)), CTX)
    assert missing.data == {"year": 2025, "latest_seen": 2024}
    january = snapshot(columns=(old,), as_of=snapshot().as_of.replace(month=1, day=20))
    assert annual_report.check(january, CTX) == []


def test_wording_and_forged_dates_and_republished_articles() -> None:
    body = "<div class='content'><p>要坚持以人民为中心，推进全面从严治档。</p></div>"
    art = page(URL + "202611/t20210305_1.html", f"<html><head><title>某工作会议</title></head><body>{body}</body></html>",
               kind="article", published=date(2026, 11, 23), url_date=date(2021, 3, 5))  # fmt: skip
    snap = snapshot(pages=(snapshot().homepage, art))
    [wrong] = run_checks_of(snap, "wording.serious_error")
    assert wrong.data["wrong"] == "全面从严治档" and wrong.data["correct"] == "全面从严治党"
    [forged] = content.forged_date(snap, CTX)
    assert forged.data == {"shown": "2026-11-23", "true": "2021-03-05", "source": "网址中的日期"}
    text = "<div class='content'><p>" + "会议强调要抓好安全生产工作。" * 20 + "</p></div>"
    old = page(
        URL + "a1.html",
        f"<html><head><title>召开安全生产工作会议</title></head><body>{text}</body></html>",
        kind="article",
        published=date(2025, 3, 1),
    )
    new = page(
        URL + "a9.html",
        f"<html><head><title>召开安全生产工作会议</title></head><body>{text}</body></html>",
        kind="article",
        published=date(2026, 11, 20),
    )
    other = page(
        URL + "a5.html",
        "<html><head><title>召开安全生产工作会议</title></head><body><p>完全不同的内容。</p></body></html>",
        kind="article",
        published=date(2026, 6, 1),
    )
    [again] = content.republished(snapshot(pages=(snapshot().homepage, old, other, new)), CTX)
    assert again.subject == URL + "a9.html" and again.data["earlier"] == URL + "a1.html"


def run_checks_of(snap, check_id):  # type: ignore[no-untyped-def]
    findings, _ = run_checks(snap, CTX)
    return [f for f in findings if f.check == check_id]


def test_users_extend_the_lexicon(tmp_path) -> None:  # type: ignore[no-untyped-def]
    extra = tmp_path / "mine.toml"
    extra.write_text('[[phrase]]\ncorrect = "放管服"\nwrong = ["放管福"]\n', encoding="utf-8")
    words = lexicon.load([extra])
    assert words["放管服"] == ("放管福",) and "全面从严治党" in words
    bad = tmp_path / "bad.toml"
    bad.write_text('[[phrase]]\ncorrect = "放管服"\nwrong = []\n', encoding="utf-8")
    with pytest.raises(lexicon.LexiconError, match=r"phrase\[0\].wrong"):
        lexicon.load([bad])


def test_a_crashing_check_is_an_error_not_a_pass() -> None:
    from govsite.engine.checks.base import Check

    def broken(snap, ctx):  # type: ignore[no-untyped-def]
        raise KeyError("bug")

    def stray(snap, ctx):  # type: ignore[no-untyped-def]
        return [replace(identity.check(snapshot(), CTX)[0], check="links.broken")]

    _, runs = run_checks(
        snapshot(), CTX, (Check("broken", ("links.broken",), broken), Check("stray", ("domain.nonconforming",), stray))
    )
    assert [r.status for r in runs] == ["error", "error"]
    assert "KeyError" in (runs[0].reason or "") and "links.broken" in (runs[1].reason or "")


def test_broken_images_scripts_and_stylesheets_are_reported_with_their_kind() -> None:
    parsed = parse(
        '<html><head><link rel="stylesheet" href="/s.css"><script src="/a.js"></script></head>'
        '<body><img src="/logo.png" alt="徽标"><iframe src="/list.html"></iframe><a href="/x.html">x</a></body></html>',
        URL,
    )
    kinds = {link.url.rsplit("/", 1)[1]: link.kind for link in (*parsed.links, *parsed.assets)}
    assert kinds == {"s.css": "style", "a.js": "script", "logo.png": "img", "list.html": "frame", "x.html": "a"}
    broken = LinkCheck(f"{URL}logo.png", True, "http_error", 404, "HEAD", (URL,), "徽标", None, "img")
    (finding,) = links.check(snapshot(links=(broken,)), CTX)
    assert finding.data["kind"] == "img" and "图片不可用" in finding.message and finding.severity == "normal"


def test_a_leaders_name_one_character_off_beside_the_post_is_suspected(tmp_path: Path) -> None:
    sheet = tmp_path / "leaders.csv"
    sheet.write_text("\ufeffname,post,region\n王建国,市长,某某市\n李卫东,市委书记,某某市\n", encoding="utf-8")
    people = lexicon.leaders([sheet])
    assert lexicon.load([sheet]) == lexicon.load()  # a CSV adds leaders, not phrases
    ctx = replace(CTX, leaders=people)
    body = (
        "<div class='content'><p>市长王建图出席会议并讲话。市委书记李卫东主持。副市长张三出席。"
        "王建国市长强调……李卫冬市委书记要求……</p></div>"
    )
    art = page(URL + "a/1.html", f"<html><head><title>会议</title></head><body>{body}</body></html>", kind="article")
    found = [
        f for f in run_checks(snapshot(pages=(snapshot().homepage, art)), ctx)[0] if f.check == "wording.serious_error"
    ]
    assert {(f.data["wrong"], f.data["correct"], f.severity) for f in found} == {
        ("王建图", "王建国", "suspected"),
        ("李卫冬", "李卫东", "suspected"),
    }


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("name,post\n王建国,市长\n", "row 1: the header"),
        ("name,post,region\n王建国,,某某市\n", "row 2: column post is empty"),
        ("name,post,region\n王,市长,某某市\n", "row 2: column name must be 2 to 8"),
    ],
)
def test_a_bad_leaders_file_names_the_row_and_column(tmp_path: Path, text: str, error: str) -> None:
    sheet = tmp_path / "leaders.csv"
    sheet.write_text(text, encoding="utf-8")
    with pytest.raises(lexicon.LexiconError, match=error):
        lexicon.leaders([sheet])


def test_snapshots_made_before_page_identity_are_read_from_their_text() -> None:
    old = snapshot(FULL_FOOTER)
    old = replace(old, homepage=replace(old.homepage, identity={}))
    assert identity.check(old, CTX) == []
    bare = snapshot("<html><body><p>版权所有</p></body></html>")
    bare = replace(bare, homepage=replace(bare.homepage, identity={}))
    assert len(identity.check(bare, CTX)) == 5


def test_a_site_code_only_in_the_meta_tag_is_missing_with_the_meta_as_a_hint() -> None:
    html = '<html><head><meta name="SiteIDCode" content="3700000046"></head><body><p>版权所有</p></body></html>'
    [code] = [f for f in identity.check(snapshot(html), CTX) if f.check == "identity.site_code_missing"]
    assert code.data["meta"] == "3700000046" and "SiteIDCode" in code.message
