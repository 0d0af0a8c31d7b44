"""Hostile and broken servers, for proving the engine stays within its bounds.

Each host under ``.hostile.test`` (a reserved name, RFC 2606) misbehaves one way;
the fleet serves them beside the sample province. :class:`GarbageTLSServer` is a
port that accepts TLS handshakes and answers garbage.
"""

from __future__ import annotations

import asyncio
import functools
import random
from datetime import date, timedelta

from aiohttp import web

SUFFIX = ".hostile.test"
#: Hard ceilings so a forgotten client can never keep the fleet busy for long.
STREAM_LIMIT = 512 * 1024 * 1024
TRICKLE_SECONDS = 120.0
HUGE_BYTES = 100 * 1024 * 1024
SLOW_LINKS, SLOW_LINK_SECONDS = 24, 5.0
#: The manylinks homepage: this many anchors, over this many distinct targets.
MANY_LINKS, MANY_TARGETS = 100_000, 60_000

#: host -> what it does, for docs and tests.
HOSTS: dict[str, str] = {
    "endless": "200 text/html, chunked, a body that never ends",
    "trickle": "200 text/html, one byte every half second (slowloris)",
    "loop": "redirects /a -> /b -> /a",
    "huge": "a 100 MB page with its Content-Length",
    "malformed": "truncated and malformed HTML, unclosed tags, stray bytes",
    "calendar": "a calendar whose every day links to the next: endless URLs",
    "wrongcharset": "declares UTF-8 in the header, sends GBK",
    "binary": "random bytes served as text/html",
    "reset": "sends half the body, then resets the connection",
    "flaky": "answers 503 to the first request for each path, then 200",
    "ratelimit": "answers 429 with Retry-After: 1 to the first request for each path, then 200",
    "nohead": "answers 405 to HEAD, 200 to GET",
    "robots": "a robots.txt that disallows /private/, and a homepage linking there",
    "moved": "answers 301 to the provincial portal: a site that moved to another host",
    "manylinks": f"a homepage of {MANY_LINKS:,} list rows over {MANY_TARGETS:,} distinct targets (?rows=N: fewer)",
    "slowlinks": f"a homepage with {SLOW_LINKS} images that answer after {SLOW_LINK_SECONDS:g} s, and a dead one",
}
_first_seen: set[str] = set()


def is_hostile(host: str) -> bool:
    return host.endswith(SUFFIX) and host.removesuffix(SUFFIX) in HOSTS


async def handle(request: web.BaseRequest, host: str) -> web.StreamResponse:
    name = host.removesuffix(SUFFIX)
    if name in ("flaky", "ratelimit"):
        key = f"{name}{request.path_qs}"
        if key not in _first_seen:
            _first_seen.add(key)
            if name == "flaky":
                return web.Response(status=503, text="busy")
            return web.Response(status=429, text="slow down", headers={"Retry-After": "1"})
        return web.Response(text=f"<html><body><p>{name} ok</p></body></html>", content_type="text/html")
    if name == "robots":
        if request.path == "/robots.txt":
            return web.Response(text="User-agent: *\nDisallow: /private/\n", content_type="text/plain")
        links = '<a href="/private/report.html">内部资料汇编</a><a href="/public/news.html">公开信息汇编</a>'
        return web.Response(text=f"<html><body><div>{links}</div></body></html>", content_type="text/html")
    if name == "nohead":
        if request.method == "HEAD":
            return web.Response(status=405)
        return web.Response(text="<html><body><p>GET works</p></body></html>", content_type="text/html")
    if name == "slowlinks":
        if request.path.startswith("/slow/"):
            await asyncio.sleep(SLOW_LINK_SECONDS)
            return web.Response(body=b"late", content_type="image/png")
        if request.path != "/":
            return web.Response(status=404, text="not found")
        images = "".join(f'<img src="/slow/{n}.png" alt="图片{n}">' for n in range(SLOW_LINKS))
        page = f'<html><body><p>{images}</p><p><a href="/gone.html">已删除的页面</a></p></body></html>'
        return web.Response(text=page, content_type="text/html", charset="utf-8")
    if name == "manylinks":
        if request.path != "/":
            return web.Response(text="<html><body><p>文章</p></body></html>", content_type="text/html", charset="utf-8")
        rows = request.query.get("rows", "")  # a smaller copy for tests: ?rows=N
        count = min(int(rows), MANY_LINKS) if rows.isdigit() else MANY_LINKS
        return web.Response(body=_many_links(count), content_type="text/html", charset="utf-8")
    if name == "moved":
        return web.Response(status=301, headers={"Location": "http://www.huachuan.gov.cn/"})
    if name == "loop":
        target = "/b" if request.path != "/b" else "/a"
        return web.Response(status=302, headers={"Location": target})
    if name == "malformed":
        return web.Response(body=MALFORMED, content_type="text/html", charset="utf-8")
    if name == "calendar":
        return web.Response(text=_calendar(request.query.get("d")), content_type="text/html", charset="utf-8")
    if name == "wrongcharset":
        body = WRONG_CHARSET.encode("gbk")
        return web.Response(body=body, headers={"Content-Type": "text/html; charset=utf-8"})
    if name == "binary":
        return web.Response(body=random.Random(7).randbytes(64 * 1024), headers={"Content-Type": "text/html"})
    return await _stream(request, name)


async def _stream(request: web.BaseRequest, name: str) -> web.StreamResponse:
    response = web.StreamResponse(headers={"Content-Type": "text/html; charset=utf-8"})
    if name == "huge":
        response.content_length = HUGE_BYTES
    else:
        response.enable_chunked_encoding()
    await response.prepare(request)
    chunk = b"<p>" + "政府网站".encode() * 2000 + b"</p>\n"
    sent = 0
    try:
        if name == "trickle":
            loop = asyncio.get_running_loop()
            deadline = loop.time() + TRICKLE_SECONDS
            while loop.time() < deadline:
                await response.write(b"<")
                await asyncio.sleep(0.5)
        elif name == "reset":
            await response.write(b"<html><body>" + chunk * 4)
            await asyncio.sleep(0.05)
            if request.transport is not None:
                request.transport.abort()
            return response
        else:
            limit = HUGE_BYTES if name == "huge" else STREAM_LIMIT
            while sent < limit:
                part = chunk[: limit - sent]
                await response.write(part)
                sent += len(part)
        await response.write_eof()
    except (ConnectionResetError, ConnectionError, asyncio.CancelledError):
        pass
    return response


MALFORMED = (
    b"<html><head><title>\xe6\x94\xbf\xe5\x8a\xa1\xe5\x85\xac\xe5\xbc\x80</title>\n"
    b'<body><div class="nav"><ul><li><a href="/zwyw/">\xe6\x94\xbf\xe5\x8a\xa1\xe8\xa6\x81\xe9\x97\xbb</a>'
    b'<li><a href="/tzgg/>\xe9\x80\x9a\xe7\x9f\xa5\xe5\x85\xac\xe5\x91\x8a</a>\n'
    b"<table><tr><td><a href=/a1.html>\xe6\x96\x87\xe7\xab\xa0\xe4\xb8\x80</td><td>2026-05-28\n"
    b"<tr><td><a href='/a2.html'>\xe6\x96\x87\xe7\xab\xa0\xe4\xba\x8c<td>2026-05-27\n"
    b"<div><p><b><i>\xff\xfe stray bytes <script>document.write('<a href=\"/x\">');</scr"
)

WRONG_CHARSET = (
    "<html><head><title>华川省人民政府</title></head><body>"
    '<div class="nav"><a href="/zwyw/">政务要闻</a></div>'
    "<p>本页面声明了错误的字符集：头部写的是 UTF-8，实际内容是 GBK 编码。</p></body></html>"
)


@functools.cache
def _many_links(count: int) -> bytes:
    """A homepage of ``count`` rows (:data:`MANY_LINKS` under the engine's 5 MiB body cap),
    over 60 % as many targets: every target repeats, a tenth go to other hosts, every
    tenth row is dated."""
    rows = []
    for n in range(count):
        target = n % (count * MANY_TARGETS // MANY_LINKS)
        host = f"//e{target % 50}.example.org" if target % 10 == 0 else ""
        day = f"<i>{date(2026, 5, 28) - timedelta(days=target % 700)}</i>" if n % 10 == 0 else ""
        rows.append(f'<a href="{host}/p{target}.htm">公告{target}</a>{day}')
    body = "<br>".join(rows)
    return f"<html><head><title>链接很多的首页</title></head><body><div>{body}</div></body></html>".encode()


def _calendar(day: str | None) -> str:
    try:
        current = date.fromisoformat(day) if day else date(2026, 1, 1)
    except ValueError:
        current = date(2026, 1, 1)
    links = "".join(
        f'<li><a href="/calendar?d={current + timedelta(days=n)}">{current + timedelta(days=n)} 日程安排</a></li>'
        for n in (-1, 1, 2, 7, 30)
    )
    return (
        f"<html><head><title>日程 {current}</title></head><body>"
        f'<div class="nav"><a href="/calendar">领导日程</a><a href="/calendar?d={current}">日程安排</a></div>'
        f'<div class="main"><h1>{current} 日程</h1><ul>{links}</ul></div></body></html>'
    )


class GarbageTLSServer:
    """A port that speaks neither TLS nor HTTP: every connection gets random bytes."""

    def __init__(self) -> None:
        self.port = 0
        self._server: asyncio.base_events.Server | None = None

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._answer, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _answer(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await asyncio.wait_for(reader.read(512), timeout=2)
            writer.write(random.Random(3).randbytes(4096))
            await writer.drain()
        except (TimeoutError, ConnectionError):
            pass
        finally:
            writer.close()

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
