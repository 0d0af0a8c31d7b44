"""Footer identifiers as a browser shows them, on markup written here (not the
fleet's templates, not the corpus pages)."""

from __future__ import annotations

import pytest

from govsite.engine.html import parse


def states(body: str) -> dict[str, str]:
    return parse(f"<html><head><title>t</title></head><body>{body}</body></html>", "http://www.x.gov.cn/").identity


CONAC_WRITE = (
    '<script type="text/javascript">document.write(unescape("%3Cspan id=\'_ideConac\' %3E%3C/span%3E'
    "%3Cscript src='https://dcs.conac.cn/js/33/000/0000/60000000/CA330000000600000000001.js' "
    "type='text/javascript'%3E%3C/script%3E\"));</script>"
)


def test_conac_written_by_script_counts() -> None:
    assert states(f"<div class='ft'>{CONAC_WRITE}</div>")["conac"] == "present"


def test_conac_script_served_by_a_relay_host_counts() -> None:
    # a city platform behind an IPv6 relay serves dcs.conac.cn's script from its own host
    # (tests/corpus: jlcity-lyj-gfxwj); a script that is not the badge's path does not count
    relayed = CONAC_WRITE.replace("https://dcs.conac.cn", "http://jlcitylinye001.ipv6ipv4.com.cn")
    assert states(f"<div class='ft'>{relayed}</div>")["conac"] == "present"
    assert (
        states("<div class='ft'><script src='http://cdn.x.gov.cn/js/CA330000.js'></script></div>")["conac"] == "missing"
    )


def test_conac_certificate_link_on_any_conac_host_counts() -> None:
    assert (
        states('<p><a href="//bszs.conac.cn/sitename?method=show&id=AB12"><img src="r.png"></a></p>')["conac"]
        == "present"
    )


def test_numbers_split_by_inline_tags_are_read_whole() -> None:
    got = states(
        "<p><span>浙</span>ICP<span>备</span>12345678<b>号</b> 公安机关备案号：<font>33010202000001</font></p>"
    )
    assert (got["icp"], got["psb"]) == ("present", "present")


@pytest.mark.parametrize(
    "footer",
    [
        "<p>政府网站标识码 3300000001</p>",
        "<p>网站标识码3300000001</p>",
        "<p>网站标识码<br>：3300000001</p>",
        "<p>网站标识码：bm12000001</p>",
    ],
)
def test_site_code_variants(footer: str) -> None:
    parsed = parse(f"<html><body>{footer}</body></html>", "http://www.x.gov.cn/")
    assert parsed.identity["site_code"] == "present"
    assert parsed.identity["site_codes"] in ("3300000001", "bm12000001")


@pytest.mark.parametrize(
    "footer", ["<p>浙ICP备：12345678号</p>", "<p>浙ICP备 12345678</p>", "<p>浙 ICP 证 12345678 号-2</p>"]
)
def test_icp_variants(footer: str) -> None:
    assert states(footer)["icp"] == "present"


@pytest.mark.parametrize(
    "footer",
    [
        "<p>浙公网安备 33010202000001号</p>",
        "<p>浙公网安备号<a>33010202000001</a></p>",
        "<p>京公网安备:33010202000001</p>",
        '<p><a href="http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=33010202000001">备案</a></p>',
    ],
)
def test_psb_variants(footer: str) -> None:
    assert states(footer)["psb"] == "present"


def test_commented_out_markup_does_not_count() -> None:
    got = states(
        "<!-- <p>网站标识码：3300000001 浙ICP备12345678号</p> <script id='_jiucuo_' src='/jiucuo.js'></script> -->"
    )
    assert got["site_code"] == got["icp"] == got["error_report"] == "missing"


def test_hidden_identifiers_are_hidden_not_present() -> None:
    got = states('<div style="display: none"><p>网站标识码：3300000001</p><a href="http://bszs.conac.cn/x">c</a></div>')
    assert (got["site_code"], got["conac"]) == ("hidden", "hidden")
    assert states("<div hidden><p>浙ICP备12345678号</p></div>")["icp"] == "hidden"


def test_a_visible_copy_beats_a_hidden_one() -> None:
    assert states('<p style="display:none">浙ICP备12345678号</p><p>浙ICP备12345678号</p>')["icp"] == "present"


def test_footer_built_in_one_script_and_written_by_another() -> None:
    built = "<script>var foot = '<p>网站标识码：3300000001</p>' + '<p>浙ICP备12345678号</p>';</script>"
    written = "<div id='f'></div><script>document.getElementById('f').innerHTML = foot;</script>"
    got = states(built + written)
    assert (got["site_code"], got["icp"]) == ("present", "present")


def test_script_strings_count_only_when_the_page_writes_markup() -> None:
    assert states("<script>var unused = '<p>浙ICP备12345678号</p>';</script>")["icp"] == "missing"


@pytest.mark.parametrize(
    "entry",
    [
        "<script id='_jiucuo_' sitecode='3300000001' src='/static/js/jiucuo.js'></script>",
        '<a href="https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=3300000001"><img src="e.png"></a>',
        "<a href='#' onclick='window.open(\"http://10.0.0.1/exposure/jiucuo.html?site_code=1\")'><img src='b.png'></a>",
        "<span id='_span_jiucuo'><img onclick=\"Link('3300000001')\" src='/images/jiucuo.png'></span>",
        "<a onclick=\"Open('1')\">x</a><script>function Open(c){window.open('http://h/exposure/jiucuo.html?site_code='+c)}</script>",
        '<div class="j-jiucuo" data-setting="{sitecode:3300000001}"></div>',
    ],
)
def test_error_report_entry_variants(entry: str) -> None:
    assert states(entry)["error_report"] == "present"


def test_a_sites_own_correction_form_is_not_the_national_entry() -> None:
    assert states('<iframe id="jiucuoPage" src="/cms/interact/jiucuo.htm"></iframe>')["error_report"] == "missing"


def test_platform_conac_placeholder_counts() -> None:
    assert states('<div class="dzjg j-gov" data-setting="{sitecode:\'0ADF13855B3F\'}"></div>')["conac"] == "present"


def test_block_tags_separate_numbers() -> None:
    parsed = parse(
        "<html><body><table><tr><td>网站标识码：33000000</td><td>0199</td></tr></table></body></html>", "http://x/"
    )
    assert parsed.identity["site_codes"] == "33000000"
