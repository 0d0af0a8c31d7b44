"""The tree is built as a browser builds it, on markup written here."""

from __future__ import annotations

from govsite.engine import dom
from govsite.engine.html import parse

FOOTER = "<div class='footer'>网站标识码：3700000046</div>"


def test_content_after_the_end_of_the_document_is_kept() -> None:
    root = dom.document(f"<html><body><p>正文</p></body></html>\n{FOOTER}")
    assert "3700000046" in root.text_content()


def test_deep_malformed_nesting_keeps_the_rest_of_the_page() -> None:
    page = "<html><body>" + "<div><span><font>" * 20_000 + "正文" + FOOTER + "<a href='/x.html'>链接</a></body></html>"
    parsed = parse(page, "http://www.x.gov.cn/")
    assert parsed.identity["site_code"] == "present"
    assert [link.url for link in parsed.links] == ["http://www.x.gov.cn/x.html"]


def test_flattening_leaves_ordinary_pages_alone() -> None:
    page = "<html><body>" + "<ul>" + "<li><a href='/a'>一</a>" * 3000 + "</ul>" + "<div>" * 40 + "</div>" * 40
    assert dom.flatten(page) == page


def test_characters_and_names_xml_cannot_hold_do_not_break_the_tree() -> None:
    root = dom.document(
        '<html><body><p a<b="1" x:y="2" 1x="3">文\x00字\x0b</p><weird:tag>内容</weird:tag></body></html>'
    )
    assert "文字" in root.text_content() and "内容" in root.text_content()
