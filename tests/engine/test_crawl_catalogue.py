"""A 信息公开 catalogue walked to three levels (markup written here, served on loopback):
the catalogue lists its sections, each section its leaf columns, and every leaf is
judged, a blank one deep in the catalogue included."""

from __future__ import annotations

from govsite.engine.snapshot import Column

from .test_crawl_frames import crawled


def _page(body: str) -> str:
    return f"<html><body><div class='nav'><a href='/xxgk/index.html'>信息公开</a></div><div class='main'>{body}</div></body></html>"


def _links(*pairs: tuple[str, str]) -> str:
    return "<ul>" + "".join(f"<li><a href='{u}'>{n}</a></li>" for u, n in pairs) + "</ul>"


DATED = "".join(
    f"<li><a href='/xxgk/zcwj/{i}.html'>关于印发第{i}号文件的通知</a><span>2026-11-{10 + i}</span></li>"
    for i in range(3)
)
PAGES = {
    "/": _page("首页"),
    "/xxgk/index.html": _page(
        _links(
            ("/xxgk/fdzdgk/index.html", "法定主动公开内容"),
            ("/xxgk/zn.html", "政府信息公开指南"),
            ("/xxgk/ysq.html", "依申请公开"),
        )
    ),
    "/xxgk/zn.html": _page(
        "<p>" + "本指南依据《中华人民共和国政府信息公开条例》编制，说明公开的方式与程序。" * 3 + "</p>"
    ),
    "/xxgk/ysq.html": _page(
        "<p>" + "申请人可以通过网络、信函或当面提出政府信息公开申请，本机关依法答复。" * 3 + "</p>"
    ),
    "/xxgk/fdzdgk/index.html": _page(
        _links(("/xxgk/zcwj/index.html", "政策文件"), ("/xxgk/czyjs/index.html", "财政预决算"))
    ),
    "/xxgk/zcwj/index.html": _page(f"<ul class='list'>{DATED}</ul>"),
    "/xxgk/czyjs/index.html": _page("<h2>财政预决算</h2><ul class='list'></ul>"),
}


async def test_a_catalogue_is_walked_to_three_levels_and_a_blank_leaf_is_found() -> None:
    snapshot = await crawled(PAGES)
    by_name: dict[str, Column] = {c.name: c for c in snapshot.columns}
    catalogue, section = by_name["信息公开"], by_name["法定主动公开内容"]
    assert (catalogue.level, catalogue.kind) == (1, "container")
    assert (section.level, section.kind, section.parent) == (2, "container", catalogue.url)
    policy, budget = by_name["政策文件"], by_name["财政预决算"]
    assert (policy.level, policy.parent, policy.kind, len(policy.items)) == (3, section.url, "list", 3)
    assert (budget.level, budget.parent, budget.kind, budget.blank) == (3, section.url, "list", True)
    assert by_name["政府信息公开指南"].kind == "page"  # a page of text is not blank
