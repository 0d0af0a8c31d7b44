"""Content a page keeps in other files (markup written here, served on loopback): a
column whose list sits in a same-site <iframe>, a footer in a frame or written by a
footer script."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta, timezone

from aiohttp import web

from govsite.engine import EngineConfig, Snapshot, crawl

from ..helpers import FAST

ROWS = "".join(
    f"<li><a href='/art/{i}.html'>关于做好第{i}项工作的通知</a><span>2026-11-{10 + i}</span></li>" for i in range(3)
)
PAGES = {
    "/": "<html><body><div class='nav'><a href='/tzgg/index.html'>通知公告</a></div><div class='main'>首页</div></body></html>",
    "/tzgg/index.html": "<html><body><div class='content'><h2>通知公告</h2>"
    "<iframe src='/tzgg/list.html' width='100%' height='600'></iframe></div></body></html>",
    "/tzgg/list.html": f"<html><body><ul class='list'>{ROWS}</ul></body></html>",
}


async def crawled(pages: dict[str, str]) -> Snapshot:
    async def serve(request: web.Request) -> web.Response:
        body = pages.get(request.path)
        if body is None:
            return web.Response(status=404, text="not found")
        kind = "application/javascript" if request.path.endswith(".js") else "text/html"
        return web.Response(text=body, content_type=kind, charset="utf-8")

    app = web.Application()
    app.router.add_get("/{tail:.*}", serve)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        config = dataclasses.replace(
            EngineConfig(**FAST),  # type: ignore[arg-type]
            allow_private=True,
            as_of=datetime(2026, 11, 23, 10, tzinfo=timezone(timedelta(hours=8))),
        )
        return await crawl(f"http://127.0.0.1:{port}/", config)
    finally:
        await runner.cleanup()


async def test_a_column_listed_in_a_same_site_frame_is_read_from_the_frame() -> None:
    snapshot = await crawled(PAGES)
    [column] = [c for c in snapshot.columns if c.name == "通知公告"]
    assert (column.kind, column.blank, len(column.items)) == ("list", False, 3)
    assert column.latest == date(2026, 11, 12)


FOOTER = (
    "<p>网站标识码：3700000046 鲁ICP备05000000号 鲁公网安备 37010202000001号</p>"
    "<a href='https://bszs.conac.cn/sitename?method=show&id=1'><img src='/c.png'></a>"
)


async def test_a_footer_in_a_frame_or_a_footer_script_counts_for_the_homepage() -> None:
    framed = await crawled(
        {
            "/": "<html><body><div class='main'>首页</div><iframe src='/foot.html'></iframe></body></html>",
            "/foot.html": f"<html><body>{FOOTER}<script id='_jiucuo_' src='/jiucuo.js'></script></body></html>",
        }
    )
    assert set(framed.homepage.identity.values()) - {"3700000046"} == {"present"}
    written = await crawled(
        {
            "/": "<html><body><div class='main'>首页</div><script src='/js/footer.js'></script></body></html>",
            "/js/footer.js": f'document.write("{FOOTER}");',
        }
    )
    shown = written.homepage.identity
    assert (shown["site_code"], shown["icp"], shown["conac"], shown["error_report"]) == (
        "present",
        "present",
        "present",
        "missing",
    )
