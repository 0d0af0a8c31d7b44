"""One HTTP exchange at a time, live or replayed from a WARC file.

:class:`LiveTransport` sends requests with aiohttp (through the configured proxy,
behind the address guard) and writes every attempt to the scan's WARC file: a
``request`` and a ``response`` record, or a ``metadata`` record for an attempt that
ended without a response. :class:`ReplayTransport` answers the same requests from
such a file, attempt by attempt, so a crawl can be run again offline and give the
same snapshot.
"""

from __future__ import annotations

import asyncio
import io
import json
import socket
import ssl
import time
from collections import defaultdict, deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Protocol
from urllib.parse import urlsplit

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from govsite.engine.config import EngineConfig
from govsite.engine.guard import AddressRefused, check_resolved, url_refusal
from govsite.engine.outcome import FetchFailure, Outcome

ELAPSED_HEADER = "Govsite-Elapsed"
#: Marks the exchanges a browser made while rendering a page (engine/render.py): a replay
#: reads the rendered DOM instead and leaves them out.
VIA_HEADER = "Govsite-Via"
#: Marks the record of a page's rendering: a ``resource`` holding the rendered DOM, or a
#: ``metadata`` record saying why there is none.
RENDERED_HEADER = "Govsite-Rendered"
RUN_URI = "urn:govsite:crawl"
ARCHIVED_PREFIX = "X-Archive-Orig-"
#: Hop-by-hop and framing headers that no longer describe the stored (de-chunked) body.
FRAMING = {"transfer-encoding"}


@dataclass(frozen=True)
class RawResponse:
    """What came back for one attempt, before any interpretation."""

    url: str
    status: int
    reason: str
    headers: tuple[tuple[str, str], ...]
    body: bytes
    truncated: bool
    elapsed: float
    record_id: str | None

    def header(self, name: str) -> str | None:
        lowered = name.lower()
        return next((v for k, v in self.headers if k.lower() == lowered), None)


class Transport(Protocol):
    """``send`` is the exchange over the wire (the host's slot is held for it alone);
    ``record``/``record_failure`` then keep it as evidence, the slot already given back."""

    async def send(self, method: str, url: str, timeout: float) -> RawResponse: ...

    def record(self, method: str, raw: RawResponse) -> RawResponse: ...

    def record_failure(self, method: str, url: str, failure: FetchFailure) -> None: ...

    async def close(self) -> None: ...


class GuardedResolver(AbstractResolver):
    """Resolves names and refuses the non-public addresses they resolve to."""

    def __init__(self, allow_private: bool, allowed_hosts: set[str]) -> None:
        self._inner = aiohttp.ThreadedResolver()
        self._allow_private = allow_private
        self._allowed_hosts = allowed_hosts

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        results = await self._inner.resolve(host, port, family)
        if not self._allow_private and host not in self._allowed_hosts:
            check_resolved(host, [result["host"] for result in results])
        return results

    async def close(self) -> None:
        await self._inner.close()


class WarcLog:
    """Appends every attempt of a scan to one gzipped WARC file."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._file: BinaryIO = path.open("wb")
        self._writer = WARCWriter(self._file, gzip=True)
        info = self._writer.create_warcinfo_record(path.name, {"software": "govsite", "format": "WARC File Format 1.1"})
        self._writer.write_record(info)

    def rendering(
        self, url: str, outcome: str, dom: str | None, details: dict[str, Any], concurrent_to: str | None
    ) -> str:
        """Record what rendering ``url`` gave: a ``resource`` record of the rendered DOM
        beside the raw response, or a ``metadata`` record of why there is none."""
        headers = {RENDERED_HEADER: outcome}
        if concurrent_to:
            headers["WARC-Concurrent-To"] = concurrent_to
        if dom is None:
            return self._metadata(url, {"outcome": outcome, **details}, headers)
        headers["Govsite-Render-Reason"] = json.dumps(details.get("reason", ""))
        record = self._writer.create_warc_record(
            url, "resource", payload=io.BytesIO(dom.encode("utf-8")),
            warc_content_type="text/html; charset=utf-8", warc_headers_dict=headers,
        )  # fmt: skip
        self._writer.write_record(record)
        return str(record.rec_headers.get_header("WARC-Record-ID"))

    def exchange(self, method: str, raw: RawResponse, request_headers: dict[str, str], via: str | None = None) -> str:
        request_line = StatusAndHeaders(
            f"{method} {_target(raw.url)} HTTP/1.1", list(request_headers.items()), is_http_request=True
        )
        request = self._writer.create_warc_record(
            raw.url, "request", payload=io.BytesIO(b""), http_headers=request_line
        )
        headers = [(k, v) if k.lower() not in FRAMING else (ARCHIVED_PREFIX + k, v) for k, v in raw.headers]
        status = StatusAndHeaders(f"{raw.status} {raw.reason}", headers, protocol="HTTP/1.1")
        warc_headers = {ELAPSED_HEADER: f"{raw.elapsed:.6f}", "Govsite-Method": method}
        if via:
            warc_headers[VIA_HEADER] = via
        if raw.truncated:
            warc_headers["WARC-Truncated"] = "length"
        response = self._writer.create_warc_record(
            raw.url,
            "response",
            payload=io.BytesIO(raw.body),
            http_headers=status,
            warc_headers_dict=warc_headers,
        )
        request.rec_headers.add_header("WARC-Concurrent-To", response.rec_headers.get_header("WARC-Record-ID"))
        self._writer.write_record(request)
        self._writer.write_record(response)
        return str(response.rec_headers.get_header("WARC-Record-ID"))

    def failure(self, method: str, url: str, failure: FetchFailure, via: str | None = None) -> str:
        data = {"method": method, "outcome": failure.outcome.value, "message": str(failure), "elapsed": failure.elapsed}
        headers = {"Govsite-Failure": failure.outcome.value, "Govsite-Method": method}
        if via:
            headers[VIA_HEADER] = via
        return self._metadata(url, data, headers)

    def run_info(self, info: dict[str, Any]) -> None:
        """Record the crawl itself (start URL, as-of, duration) so a replay can restore it."""
        self._metadata(RUN_URI, info)

    def _metadata(self, url: str, data: dict[str, Any], headers: dict[str, str] | None = None) -> str:
        """Write a ``metadata`` record of ``data`` as JSON about ``url``; its WARC-Record-ID."""
        record = self._writer.create_warc_record(
            url, "metadata", payload=io.BytesIO(json.dumps(data, ensure_ascii=False).encode()),
            warc_content_type="application/json", warc_headers_dict=headers or {},
        )  # fmt: skip
        self._writer.write_record(record)
        return str(record.rec_headers.get_header("WARC-Record-ID"))

    def close(self) -> None:
        self._file.close()


def _target(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


class LiveTransport:
    """aiohttp over the network (or the configured proxy), recorded to WARC."""

    def __init__(self, config: EngineConfig, warc: WarcLog | None, via: str | None = None) -> None:
        self.config = config
        self.warc = warc
        self.via = via  # "browser": the exchanges a browser made while rendering (see VIA_HEADER)
        self._checked: set[str] = set()  # names resolved and found global (behind a proxy)
        allowed = {urlsplit(config.proxy).hostname or ""} if config.proxy else set()
        connector = aiohttp.TCPConnector(
            limit=config.global_concurrency,
            resolver=GuardedResolver(config.allow_private, allowed),
            ttl_dns_cache=300,
        )
        self.request_headers = {
            "User-Agent": config.user_agent,
            "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
            "Accept-Encoding": "gzip, deflate",
            "Accept-Language": "zh-CN,zh;q=0.9",
        }
        self.session = aiohttp.ClientSession(
            connector=connector,
            headers=self.request_headers,
            auto_decompress=False,
            trust_env=False,
        )

    async def close(self) -> None:
        await self.session.close()

    async def send(self, method: str, url: str, timeout: float) -> RawResponse:
        """One exchange; nothing is recorded until :meth:`record` (or :meth:`record_failure`)."""
        started = time.monotonic()
        try:
            return await self._send(method, url, timeout, started)
        except FetchFailure as failure:
            failure.elapsed = round(time.monotonic() - started, 6)
            raise

    def record(self, method: str, raw: RawResponse) -> RawResponse:
        """``raw`` written to the WARC file, with the id of its record."""
        if self.warc is None:
            return raw
        return _with_record(raw, self.warc.exchange(method, raw, self.request_headers, self.via))

    def record_failure(self, method: str, url: str, failure: FetchFailure) -> None:
        if self.warc is not None:
            self.warc.failure(method, url, failure, self.via)

    async def _guard(self, url: str) -> None:
        """Refuse a target the address guard forbids. Without a proxy the connector's
        resolver checks every address a name resolves to; a proxy would resolve names
        itself, so unless it is trusted to (``proxy_resolves_safely``) they are resolved
        and checked here first."""
        cfg = self.config
        if cfg.allow_private:
            return
        reason = url_refusal(url)
        if reason:
            raise AddressRefused(reason)
        if cfg.proxy and not cfg.proxy_resolves_safely:
            host = (urlsplit(url).hostname or "").rstrip(".")
            if host not in self._checked:
                infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
                check_resolved(host, [str(info[4][0]) for info in infos])
                self._checked.add(host)

    async def _send(self, method: str, url: str, timeout: float, started: float) -> RawResponse:
        cfg = self.config
        client_timeout = aiohttp.ClientTimeout(
            total=timeout, connect=min(cfg.connect_timeout, timeout), sock_read=min(cfg.read_timeout, timeout)
        )
        try:
            await self._guard(url)
            async with self.session.request(
                method, url, proxy=cfg.proxy, allow_redirects=False, timeout=client_timeout
            ) as response:
                body, truncated = await _read_capped(response, cfg.max_body_bytes)
                return RawResponse(
                    url=url,
                    status=response.status,
                    reason=response.reason or "",
                    headers=tuple((k.decode("latin-1"), v.decode("latin-1")) for k, v in response.raw_headers),
                    body=body,
                    truncated=truncated,
                    elapsed=round(time.monotonic() - started, 6),  # as the WARC stores it
                    record_id=None,
                )
        except FetchFailure:
            raise
        except Exception as exc:
            raise classify_exception(exc) from exc


def _with_record(raw: RawResponse, record_id: str) -> RawResponse:
    return RawResponse(raw.url, raw.status, raw.reason, raw.headers, raw.body, raw.truncated, raw.elapsed, record_id)


async def _read_capped(response: aiohttp.ClientResponse, cap: int) -> tuple[bytes, bool]:
    declared = response.content_length
    if declared is not None and declared > cap:
        return b"", True
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.content.iter_chunked(65536):
        chunks.append(chunk)
        size += len(chunk)
        if size > cap:
            return b"".join(chunks)[:cap], True
    return b"".join(chunks), False


def classify_exception(exc: BaseException) -> FetchFailure:
    """The failure class of an exception raised while fetching."""
    message = f"{type(exc).__name__}: {exc}"[:300]
    if isinstance(exc, AddressRefused):
        return FetchFailure(Outcome.SCANNER_ERROR, f"refused by the address guard: {exc}")
    if isinstance(exc, socket.gaierror):  # a name resolved here before a proxy is asked
        return FetchFailure(Outcome.DNS, message)
    if isinstance(exc, aiohttp.ClientProxyConnectionError):
        return FetchFailure(Outcome.SCANNER_ERROR, f"our proxy is unreachable: {message}")
    if isinstance(exc, aiohttp.ClientConnectorDNSError):
        return FetchFailure(Outcome.DNS, message)
    if isinstance(exc, aiohttp.ClientConnectorCertificateError | aiohttp.ClientSSLError | ssl.SSLError):
        return FetchFailure(Outcome.TLS, message)
    if isinstance(exc, aiohttp.ClientConnectorError):
        cause = exc.os_error
        if isinstance(cause, AddressRefused):
            return FetchFailure(Outcome.SCANNER_ERROR, f"refused by the address guard: {cause}")
        if isinstance(cause, socket.gaierror):
            return FetchFailure(Outcome.DNS, message)
        if isinstance(cause, ssl.SSLError):
            return FetchFailure(Outcome.TLS, message)
        return FetchFailure(Outcome.CONNECT, message)
    if isinstance(exc, asyncio.TimeoutError | aiohttp.ServerTimeoutError):
        return FetchFailure(Outcome.TIMEOUT, message or "timed out")
    if isinstance(exc, aiohttp.ServerDisconnectedError | aiohttp.ClientPayloadError | aiohttp.ClientOSError):
        return FetchFailure(Outcome.CONNECT, message)
    if isinstance(exc, aiohttp.ClientResponseError | aiohttp.ClientConnectionError):
        return FetchFailure(Outcome.CONNECT, message)
    return FetchFailure(Outcome.SCANNER_ERROR, message)


class ReplayTransport:
    """Answers requests from a WARC file written by :class:`LiveTransport`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._entries: dict[tuple[str, str], deque[RawResponse | FetchFailure]] = defaultdict(deque)
        #: Each page's recorded renderings in order: (outcome, DOM or None, details, record id).
        self.renderings: dict[str, deque[tuple[str, str | None, dict[str, Any], str]]] = defaultdict(deque)
        self.run_info: dict[str, Any] = {}
        try:
            with path.open("rb") as stream:
                for record in ArchiveIterator(stream):
                    self._load(record)
        except (ArchiveLoadFailed, OSError, ValueError, KeyError, AttributeError) as exc:
            raise ValueError(f"{path} is not a readable WARC file: {exc}") from exc
        if not self.run_info:
            raise ValueError(f"{path} holds no govsite crawl (no {RUN_URI} record)")

    def _load(self, record: Any) -> None:
        headers = record.rec_headers
        url = headers.get_header("WARC-Target-URI")
        method = headers.get_header("Govsite-Method") or "GET"
        rendered = headers.get_header(RENDERED_HEADER)
        if rendered:
            body = record.content_stream().read()
            record_id = headers.get_header("WARC-Record-ID")
            if record.rec_type == "resource":
                details = {"reason": json.loads(headers.get_header("Govsite-Render-Reason") or '""')}
                self.renderings[url].append((rendered, body.decode("utf-8", "replace"), details, record_id))
            else:
                self.renderings[url].append((rendered, None, json.loads(body), record_id))
            return
        if headers.get_header(VIA_HEADER):  # a browser's request: the rendering record stands for it
            return
        if record.rec_type == "response" and record.http_headers is not None:
            http = record.http_headers
            items = [(k.removeprefix(ARCHIVED_PREFIX), v) for k, v in http.headers]
            code, _, reason = http.statusline.partition(" ")
            raw = RawResponse(
                url=url,
                status=int(code),
                reason=reason,
                headers=tuple(items),
                body=record.raw_stream.read(),  # as stored: the fetcher undoes its encoding with its cap
                truncated=headers.get_header("WARC-Truncated") is not None,
                elapsed=float(headers.get_header(ELAPSED_HEADER) or 0.0),
                record_id=headers.get_header("WARC-Record-ID"),
            )
            self._entries[(method, url)].append(raw)
        elif record.rec_type == "metadata" and url == RUN_URI:
            self.run_info = json.loads(record.content_stream().read())
        elif record.rec_type == "metadata" and headers.get_header("Govsite-Failure"):
            data = json.loads(record.content_stream().read())
            failure = FetchFailure(Outcome(data["outcome"]), data["message"])
            failure.elapsed = float(data["elapsed"])
            self._entries[(method, url)].append(failure)

    def first(self, method: str, url: str) -> RawResponse | None:
        """The first response recorded for ``method url`` (none: not in the archive or failed)."""
        entry = next(iter(self._entries.get((method, url), ())), None)
        return entry if isinstance(entry, RawResponse) else None

    def response(self, record_id: str) -> RawResponse | None:
        """The response recorded as ``record_id``."""
        for queue in self._entries.values():
            for entry in queue:
                if isinstance(entry, RawResponse) and entry.record_id == record_id:
                    return entry
        return None

    def record(self, method: str, raw: RawResponse) -> RawResponse:
        return raw  # recorded already

    def record_failure(self, method: str, url: str, failure: FetchFailure) -> None:
        return None

    async def send(self, method: str, url: str, timeout: float) -> RawResponse:
        queue = self._entries.get((method, url))
        if not queue:
            raise FetchFailure(Outcome.SCANNER_ERROR, f"not in the archive {self.path.name}: {method} {url}")
        entry = queue.popleft()
        if isinstance(entry, FetchFailure):
            raise entry
        return entry

    async def close(self) -> None:
        return None
