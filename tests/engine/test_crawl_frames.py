"""A column whose list sits in a same-site <iframe> (markup written here, served on
loopback): the frame's page is the column's list, not a blank column."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta, timezone

from aiohttp import web

from govsite.engine import EngineConfig, crawl

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


async def test_a_column_listed_in_a_same_site_frame_is_read_from_the_frame() -> None:
    async def serve(request: web.Request) -> web.Response:
        body = PAGES.get(request.path)
        if body is None:
            return web.Response(status=404, text="not found")
        return web.Response(text=body, content_type="text/html", charset="utf-8")

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
        snapshot = await crawl(f"http://127.0.0.1:{port}/", config)
    finally:
        await runner.cleanup()
    [column] = [c for c in snapshot.columns if c.name == "通知公告"]
    assert (column.kind, column.blank, len(column.items)) == ("list", False, 3)
    assert column.latest == date(2026, 11, 12)
