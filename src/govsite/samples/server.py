"""The sample fleet as an HTTP forward proxy on loopback.

Clients send absolute-form requests (``GET http://www.huachuan.gov.cn/ HTTP/1.1``)
as to any proxy; the fleet answers for its own fictional hosts and the national
stand-ins, and with 502 for every other host. It never opens a connection itself.
Errors mimic a caching proxy's (``X-Squid-Error``) so a client can tell "no such
host" from "host refused" as it would behind a real proxy.
"""

from __future__ import annotations

import asyncio
import itertools
import socket
import struct
import threading
import zlib
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from aiohttp import web

from govsite.samples import hostile, render, scripted, urls
from govsite.samples.places import NATIONAL_HOSTS
from govsite.samples.world import Article, Site, World

SERVER_NAME = "govsite-fleet"
#: Every how many homepage requests an intermittent site fails.
INTERMITTENT_EVERY = 4
#: What :meth:`Fleet.set_trouble` can make a host do, whatever its plan says.
TROUBLES = {
    "down": "refuses every connection (the proxy reports ERR_CONNECT_FAIL)",
    "blocked": "answers every request with a WAF's 403 page (安全狗)",
}
WAF_PAGE = "<html><body><h1>403</h1><p>您的访问已被网站防火墙拦截（安全狗）。访问被阻断。</p></body></html>"


def _png(rgb: tuple[int, int, int]) -> bytes:
    """A valid 8x8 PNG of one colour, for logos and footer badges."""

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    raw = b"".join(b"\x00" + bytes(rgb) * 8 for _ in range(8))
    header = struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


IMAGES = {"conac.png": _png((200, 20, 20)), "ga.png": _png((30, 60, 160)), "jiucuo.png": _png((220, 120, 0))}
DEFAULT_IMAGE = _png((120, 120, 120))
SCRIPT = b"/* govsite sample fleet */\n"
STYLE = b"body{font-family:sans-serif}.nav li{display:inline;margin:0 8px}.footer,#foot,footer{text-align:center}\n"


@dataclass
class FleetOptions:
    """How the fleet misbehaves where a site's defects say so."""

    slow_seconds: float = 20.0  # the slow homepage answers after this long (rule: 15 s)
    #: Send LinkChecker's opt-out of its own throttle (>= 0.1 s between requests to a
    #: host), so a benchmark compares crawlers rather than LinkChecker's politeness.
    linkchecker_unthrottled: bool = False
    latency: float = 0.0  # seconds added before every answer, as a remote server has (benchmarks)


@dataclass
class Fleet:
    """Request handling for a :class:`World`; one instance per server."""

    world: World
    options: FleetOptions = field(default_factory=FleetOptions)
    _homepage_hits: dict[str, itertools.count[int]] = field(default_factory=lambda: defaultdict(itertools.count))
    _troubles: dict[str, str] = field(default_factory=dict)
    _in_flight: Counter[str] = field(default_factory=Counter)
    #: The most requests each host had in its handlers at once.
    peak_in_flight: Counter[str] = field(default_factory=Counter)

    def set_trouble(self, host: str, trouble: str | None) -> None:
        """Make ``host`` misbehave as :data:`TROUBLES` says (``None``: as its plan says
        again), from now on: how tests and demos take a site down and bring it back."""
        if trouble is None:
            self._troubles.pop(host, None)
        elif trouble in TROUBLES:
            self._troubles[host] = trouble
        else:
            raise ValueError(f"unknown trouble {trouble!r}; known: {', '.join(TROUBLES)}")

    async def handle(self, request: web.BaseRequest) -> web.StreamResponse:
        host = (request.url.host or "").lower().rstrip(".")
        self._in_flight[host] += 1  # what tests of shared politeness measure: the load each host sees
        self.peak_in_flight[host] = max(self.peak_in_flight[host], self._in_flight[host])
        try:
            if self.options.latency:
                await asyncio.sleep(self.options.latency)
            response = await self._handle(request)
        finally:
            self._in_flight[host] -= 1
        if self.options.linkchecker_unthrottled and not response.prepared:
            response.headers["LinkChecker"] = "unthrottled"
        return response

    async def _handle(self, request: web.BaseRequest) -> web.StreamResponse:
        if request.method == "CONNECT":
            return _proxy_error(502, "ERR_CONNECT_FAIL 111", "The sample fleet serves plain HTTP only.")
        host = (request.url.host or "").lower().rstrip(".")
        if hostile.is_hostile(host):
            return await hostile.handle(request, host)
        if host in NATIONAL_HOSTS:
            return _national(host, request.path)
        trouble = self._troubles.get(host)
        if trouble == "down":
            return _proxy_error(502, "ERR_CONNECT_FAIL 111", f"Connection to {host} failed: connection refused")
        if trouble == "blocked":
            return web.Response(status=403, text=WAF_PAGE, content_type="text/html", headers={"Server": SERVER_NAME})
        site = self.world.site(host)
        if site is None:
            return _proxy_error(502, "ERR_DNS_FAIL 0", f"Unable to determine IP address from host name {host}")
        if site.availability == "down":
            return _proxy_error(502, "ERR_CONNECT_FAIL 111", f"Connection to {host} failed: connection refused")
        query = _query(request.raw_path, site.charset)
        if site.script and request.path.startswith("/api/"):
            data = scripted.api(self.world, site, request.path, query)
            if data is None:
                return web.json_response({"error": "not found"}, status=404, headers={"Server": SERVER_NAME})
            return web.json_response(data, headers={"Server": SERVER_NAME})
        route = urls.resolve(self.world, site, request.path, query)
        if route and route.kind in ("root", "home"):
            failure = await self._homepage_trouble(site)
            if failure is not None:
                return failure
        return self._respond(site, route, request.path, query)

    async def _homepage_trouble(self, site: Site) -> web.Response | None:
        if site.availability == "error":
            return web.Response(status=500, text="<h1>500 Internal Server Error</h1>", content_type="text/html")
        if site.availability == "slow":
            await asyncio.sleep(self.options.slow_seconds)
        hit = next(self._homepage_hits[site.host])
        if site.availability == "intermittent" and hit % INTERMITTENT_EVERY == INTERMITTENT_EVERY - 1:
            return web.Response(status=503, text="<h1>503 Service Unavailable</h1>", content_type="text/html")
        return None

    def _respond(self, site: Site, route: urls.Route | None, path: str, query: Mapping[str, str]) -> web.Response:
        world = self.world
        if route is None:
            moved = self._moved(site, path)
            if moved:
                return web.Response(status=301, headers={"Location": moved, "Server": SERVER_NAME})
            if path.startswith("/manage"):
                return _html(site, 403, "<html><body><h1>403 Forbidden</h1></body></html>")
            return _html(site, 404, "<html><body><h1>404 Not Found</h1><p>您访问的页面不存在。</p></body></html>")
        if route.kind == "root":
            status, headers, body = render.root(site)
            if body is None:
                return _html(site, 200, render.home(world, site))
            response = _html(site, status, body)
            response.headers.update(headers)
            return response
        if route.kind == "home":
            return _html(site, 200, render.home(world, site))
        if route.kind == "image":
            name = path.rsplit("/", 1)[1]
            if name == "style.css":
                return web.Response(body=STYLE, content_type="text/css", headers={"Server": SERVER_NAME})
            if name.endswith(".js"):  # script files (a library, a front end's bundle) that do nothing
                return web.Response(body=SCRIPT, content_type="application/javascript", headers={"Server": SERVER_NAME})
            return web.Response(
                body=IMAGES.get(name, DEFAULT_IMAGE), content_type="image/png", headers={"Server": SERVER_NAME}
            )
        if route.kind == "search":
            if site.search == "missing":
                return _html(site, 404, "<html><body><h1>404 Not Found</h1></body></html>")
            return _html(site, 200, render.search_page(world, site, query.get(urls.search(site)[1], "").strip()))
        assert route.column is not None
        col = route.column
        if route.kind == "column":
            text = render.column_page(world, site, col, route.number)
            return _html(site, 200, text) if text else _html(site, 404, "<h1>404 Not Found</h1>")
        if route.kind == "frame":
            text = render.frame_page(world, site, col, route.number)
            return _html(site, 200, text) if text else _html(site, 404, "<h1>404 Not Found</h1>")
        if route.kind == "item":
            return _html(site, 200, render.item_page(world, site, col, route.number))
        # attachment
        if route.number < col.count:
            it = world.item(site, col, route.number)
            ext = path.rsplit(".", 1)[1]
            if isinstance(it, Article) and it.attachment == ext:
                return _attachment(it, ext)
        return _html(site, 404, "<h1>404 Not Found</h1>")

    def _moved(self, site: Site, path: str) -> str | None:
        """Old directory URLs without the trailing part move permanently (301)."""
        if site.family == "trs":
            for col in site.columns.values():
                if path == f"/{col.path}":
                    return urls.column(site, col)
        return None


def _query(raw_path: str, charset: str) -> dict[str, str]:
    """Query parameters, percent-decoded as UTF-8 or else in the site's charset (forms
    on GBK pages submit GBK bytes)."""
    if "?" not in raw_path:
        return {}
    raw = raw_path.split("?", 1)[1]
    try:
        return dict(parse_qsl(raw, encoding="utf-8", errors="strict"))
    except UnicodeDecodeError:
        return dict(parse_qsl(raw, encoding=charset, errors="replace"))


def _html(site: Site, status: int, text: str) -> web.Response:
    body = text.encode(site.charset, "xmlcharrefreplace")
    ctype = f"text/html; charset={site.charset}" if site.charset_in_header else "text/html"
    return web.Response(status=status, body=body, headers={"Content-Type": ctype, "Server": SERVER_NAME})


def _proxy_error(status: int, squid_error: str, message: str) -> web.Response:
    body = f"<html><body><h1>ERROR</h1><p>{message}</p></body></html>"
    return web.Response(
        status=status,
        text=body,
        content_type="text/html",
        headers={"X-Squid-Error": squid_error, "Server": SERVER_NAME},
    )


def _national(host: str, path: str) -> web.Response:
    if path.endswith("jiucuo.js"):
        js = (
            'document.write(\'<a href="http://zfwzzc.www.gov.cn/check_web/errorInfo_querySiteInfo.action" '
            'target="_blank">我为政府网站找错</a>\');\n'
        )
        return web.Response(text=js, content_type="application/javascript", headers={"Server": SERVER_NAME})
    name = NATIONAL_HOSTS[host]
    text = f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{name}</title></head>'
    text += f"<body><h1>{name}</h1></body></html>"
    return web.Response(text=text, content_type="text/html", headers={"Server": SERVER_NAME})


def _attachment(it: Article, ext: str) -> web.Response:
    """Small real files: a PDF, an RTF saved as .doc and an HTML table saved as .xls,
    as government sites really publish them."""
    if ext == "pdf":
        body = _pdf(f"Attachment {it.index}")
        ctype = "application/pdf"
    elif ext == "doc":
        text = "".join(f"\\u{ord(ch)}?" for ch in it.title)
        body = ("{\\rtf1\\ansi\\deff0 " + text + "\\par }").encode("ascii")
        ctype = "application/msword"
    else:
        body = f'<html><meta charset="utf-8"><table><tr><td>{it.title}</td></tr></table></html>'.encode()
        ctype = "application/vnd.ms-excel"
    return web.Response(body=body, headers={"Content-Type": ctype, "Server": SERVER_NAME})


def _pdf(text: str) -> bytes:
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        None,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    stream = f"BT /F1 14 Tf 72 770 Td ({text}) Tj ET".encode("ascii")
    objects[3] = b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + (obj or b"") + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


class FleetServer:
    """Runs a :class:`Fleet` on 127.0.0.1 (or ``host``: a container's own interface, so
    other containers reach it), in the caller's loop or in its own thread."""

    def __init__(
        self, world: World, port: int = 0, options: FleetOptions | None = None, host: str = "127.0.0.1"
    ) -> None:
        self.fleet = Fleet(world, options or FleetOptions())
        self.host = host
        self.requested_port = port
        self.port = 0
        self._server: asyncio.base_events.Server | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self.garbage_tls = hostile.GarbageTLSServer()

    @property
    def proxy(self) -> str:
        return f"http://{'127.0.0.1' if self.host == '0.0.0.0' else self.host}:{self.port}"

    async def start(self) -> None:
        handler = web.Server(
            self.fleet.handle, access_log=None, handler_cancellation=True
        )  # a client gone frees its handler
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self.requested_port))
        self._server = await asyncio.get_running_loop().create_server(handler, sock=sock, backlog=1024)
        self.port = sock.getsockname()[1]
        await self.garbage_tls.start()

    async def stop(self) -> None:
        await self.garbage_tls.stop()
        if self._server is not None:
            self._server.close()
            self._server = None

    def start_in_thread(self) -> FleetServer:
        """Serve from a daemon thread (for tests and benchmarks); returns self."""
        started = threading.Event()
        errors: list[BaseException] = []

        def run() -> None:
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            self._loop = loop
            try:
                loop.run_until_complete(self.start())
            except BaseException as exc:  # reported to the starting thread
                errors.append(exc)
                started.set()
                return
            started.set()
            loop.run_forever()
            loop.run_until_complete(self.stop())
            pending = asyncio.all_tasks(loop)
            for task in pending:  # slow and trickling handlers still asleep
                task.cancel()
            loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
            loop.close()

        self._thread = threading.Thread(target=run, name="govsite-fleet", daemon=True)
        self._thread.start()
        started.wait()
        if errors:
            raise errors[0]
        return self

    def stop_thread(self) -> None:
        if self._loop is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=10)
