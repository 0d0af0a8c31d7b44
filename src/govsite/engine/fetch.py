"""Polite fetching: per-host limits, retries, redirects of every kind, decoding.

:class:`Fetcher` turns a URL into a :class:`Fetched`: the final URL, the redirect
chain (HTTP, meta refresh and simple script redirects, with loop detection), the
decoded text and exactly one :class:`~govsite.engine.outcome.Outcome`.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections import Counter
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

from govsite.engine import charset
from govsite.engine.config import EngineConfig
from govsite.engine.hostlimit import HostLimiter
from govsite.engine.inflate import decoded_body
from govsite.engine.outcome import FetchFailure, Outcome, from_status
from govsite.engine.snapshot import HopRecord
from govsite.engine.transport import RawResponse, Transport

TEXT_TYPES = ("text/", "application/xhtml", "application/xml", "application/javascript", "application/json")
_META_REFRESH = re.compile(
    r"""<meta[^>]+http-equiv\s*=\s*["']?refresh["']?[^>]*content\s*=\s*["']\s*(\d+)\s*[;,]\s*url\s*=\s*['"]?([^"'>\s]+)""",
    re.IGNORECASE,
)
_SCRIPT_REDIRECT = re.compile(
    r"""(?:window\.|document\.|top\.|self\.)?location(?:\.href)?\s*=\s*["']([^"']+)["']"""
    r"""|location\.replace\(\s*["']([^"']+)["']\s*\)""",
    re.IGNORECASE,
)
_WAF_MARKS = (
    "安全狗",
    "云锁",
    "网站防火墙",
    "访问被阻断",
    "访问已被拦截",
    "非法请求",
    "Web应用防火墙",
    "Access Denied",
)
SQUID_ERRORS = {
    "ERR_DNS_FAIL": Outcome.DNS,
    "ERR_CONNECT_FAIL": Outcome.CONNECT,
    "ERR_READ_TIMEOUT": Outcome.TIMEOUT,
    "ERR_CONNECT_TIMEOUT": Outcome.TIMEOUT,
    "ERR_LIFETIME_EXP": Outcome.TIMEOUT,
    "ERR_SECURE_CONNECT_FAIL": Outcome.TLS,
}


@dataclass(frozen=True)
class Fetched:
    url: str  # as requested
    final_url: str
    method: str
    outcome: Outcome
    status: int | None
    content_type: str
    text: str | None  # decoded text of text responses
    charset: str | None
    chain: tuple[HopRecord, ...]
    elapsed: float  # seconds, all hops and retries included
    record_id: str | None  # WARC record of the final response
    error: str | None = None
    binary: bool = False  # a body that is not text whatever its type says
    size: int = 0

    @classmethod
    def failed(
        cls,
        url: str,
        final_url: str,
        method: str,
        outcome: Outcome,
        *,
        chain: tuple[HopRecord, ...],
        elapsed: float,
        error: str,
        status: int | None = None,
        content_type: str = "",
        record_id: str | None = None,
    ) -> Fetched:
        """An answer that is no page: a failure, a refused proxy request, a redirect loop."""
        return cls(url=url, final_url=final_url, method=method, outcome=outcome, status=status,
                   content_type=content_type, text=None, charset=None, chain=chain, elapsed=elapsed,
                   record_id=record_id, error=error)  # fmt: skip

    @property
    def ok(self) -> bool:
        return self.outcome is Outcome.OK

    @property
    def is_html(self) -> bool:
        return self.text is not None and not self.binary and "html" in (self.content_type or "text/html")


class Fetcher:
    """Fetches URLs politely through a :class:`Transport`."""

    def __init__(
        self, transport: Transport, config: EngineConfig, *, pace: bool = True, limiter: HostLimiter | None = None
    ) -> None:
        self.transport = transport
        self.config = config
        self.pace = pace  # False when replaying: no waiting between requests
        #: Per-host politeness: shared with other scans when given, else this fetcher's own.
        self.limiter = limiter or HostLimiter(config.per_host_concurrency, config.min_interval)
        self.hosts: Counter[str] = Counter()  # requests sent to each host, retries included

    @property
    def requests(self) -> int:
        """Requests sent, retries included."""
        return sum(self.hosts.values())

    async def get(
        self,
        url: str,
        *,
        method: str = "GET",
        timeout: float | None = None,
        page_redirects: bool = True,
        retry: bool = True,
    ) -> Fetched:
        """Fetch ``url``, following redirects (HTTP, and for pages meta refresh and script).
        ``retry=False`` makes each hop a single attempt (availability probes)."""
        chain: list[HopRecord] = []
        seen = {url}
        current = url
        elapsed = 0.0
        while True:
            try:
                raw, spent = await self._attempts(method, current, timeout or self.config.timeout, retry)
            except FetchFailure as failure:
                return Fetched.failed(url, current, method, failure.outcome, chain=tuple(chain),
                                      elapsed=elapsed + failure.elapsed, error=str(failure))  # fmt: skip
            elapsed += spent
            fetched = self._interpret(url, method, raw, tuple(chain), elapsed)
            target, kind = self._next_hop(raw, fetched, page_redirects)
            if target is None:
                return fetched
            chain.append(HopRecord(current, raw.status, kind))
            if target in seen or len(chain) > self.config.max_redirects:
                reason = "redirect loop" if target in seen else f"more than {self.config.max_redirects} redirects"
                return Fetched.failed(url, target, method, Outcome.TOO_MANY_REDIRECTS, chain=tuple(chain),
                                      elapsed=elapsed, error=f"{reason} at {target}", status=raw.status,
                                      record_id=raw.record_id)  # fmt: skip
            seen.add(target)
            current = target
            if method == "HEAD" and kind != "http":
                method = "GET"

    async def _attempts(self, method: str, url: str, timeout: float, retry: bool) -> tuple[RawResponse, float]:
        """One request with the configured retries; returns the last response and the time spent."""
        spent = 0.0
        delays = (0.0, *self.config.retries) if retry else (0.0,)
        for attempt, delay in enumerate(delays):
            last = attempt == len(delays) - 1
            if delay and self.pace:
                await asyncio.sleep(delay)
            try:
                raw = await self._send(method, url, timeout)
            except FetchFailure as failure:
                spent += failure.elapsed
                if failure.outcome is Outcome.CONNECT and not last:
                    continue
                failure.elapsed = spent
                raise
            spent += raw.elapsed
            retry_after = self._retry_after(raw)
            if last or retry_after is None:
                return raw, spent
            if retry_after and self.pace:
                await asyncio.sleep(retry_after)
        raise AssertionError("unreachable")

    def _retry_after(self, raw: RawResponse) -> float | None:
        """Seconds to wait before retrying this response, or None when it is final."""
        squid = self._proxy_failure(raw)
        if squid is not None:
            return 0.0 if squid is Outcome.CONNECT else None
        if raw.status == 429 or raw.status >= 500:
            value = raw.header("Retry-After")
            if value is None:
                return 0.0
            if value.strip().isdigit():
                return min(float(value), self.config.max_retry_after)
            try:
                when = parsedate_to_datetime(value).timestamp()
            except (TypeError, ValueError):
                return 0.0
            return max(0.0, min(when - time.time(), self.config.max_retry_after))
        return None

    async def _send(self, method: str, url: str, timeout: float) -> RawResponse:
        """One request under the host's politeness; its evidence is written once the
        answer is in and the host's slot given back to the next request."""
        host = urlsplit(url).netloc.lower()
        try:
            async with self.limiter.request(host, pace=self.pace):
                self.hosts[host] += 1
                raw = await self.transport.send(method, url, timeout)
        except FetchFailure as failure:
            self.transport.record_failure(method, url, failure)
            raise
        return self.transport.record(method, raw)

    def _proxy_failure(self, raw: RawResponse) -> Outcome | None:
        """A proxy's report that it could not reach the site (Squid's X-Squid-Error), from
        our forward proxy or a reverse proxy in front of the site: either way the site's
        server did not answer."""
        if raw.status not in (502, 503, 504):
            return None
        code = (raw.header("X-Squid-Error") or "").split(" ")[0]
        if not code:
            return None
        return SQUID_ERRORS.get(code, Outcome.CONNECT)

    def _interpret(
        self, url: str, method: str, raw: RawResponse, chain: tuple[HopRecord, ...], elapsed: float
    ) -> Fetched:
        content_type = (raw.header("Content-Type") or "").strip()
        squid = self._proxy_failure(raw)
        if squid is not None:
            return Fetched.failed(url, raw.url, method, squid, chain=chain, elapsed=elapsed,
                                  error=f"proxy: {raw.header('X-Squid-Error')}", content_type=content_type,
                                  record_id=raw.record_id)  # fmt: skip
        outcome = Outcome.TOO_LARGE if raw.truncated else from_status(raw.status)
        body, error = _decompress(raw, self.config.max_body_bytes)
        if error:
            outcome = Outcome.TOO_LARGE if error == "too large" else outcome
        text = encoding = None
        binary = charset.looks_binary(body)
        textual = not content_type or content_type.lower().startswith(TEXT_TYPES)
        if textual and not binary and not raw.truncated:
            text, encoding = charset.decode(body, content_type)
            if outcome is Outcome.OK and raw.status == 200 and _looks_like_waf(text):
                outcome = Outcome.BLOCKED
        message = (
            None if outcome is Outcome.OK else f"HTTP {raw.status}" + (" (body cut at the size cap)" * raw.truncated)
        )
        return Fetched(
            url=url, final_url=raw.url, method=method, outcome=outcome, status=raw.status, content_type=content_type,
            text=text, charset=encoding, chain=chain, elapsed=elapsed, record_id=raw.record_id, error=message,
            binary=binary, size=len(body),
        )  # fmt: skip

    def _next_hop(self, raw: RawResponse, fetched: Fetched, page_redirects: bool) -> tuple[str | None, str]:
        if 300 <= raw.status < 400 and raw.status != 304 and fetched.outcome is Outcome.OK:
            location = raw.header("Location")
            return (urljoin(raw.url, location.strip()), "http") if location else (None, "")
        if not page_redirects or fetched.text is None or raw.status != 200:
            return None, ""
        head = fetched.text[:4096]
        if (m := _META_REFRESH.search(head)) and int(m.group(1)) <= 10:
            return urljoin(raw.url, m.group(2)), "meta"
        small = len(fetched.text) < 3000 and fetched.text.count("<a ") < 3
        if small and (m2 := _SCRIPT_REDIRECT.search(fetched.text)):
            return urljoin(raw.url, m2.group(1) or m2.group(2)), "script"
        return None, ""


def _decompress(raw: RawResponse, cap: int) -> tuple[bytes, str | None]:
    return decoded_body(raw.body, raw.header("Content-Encoding"), cap)


def _looks_like_waf(text: str) -> bool:
    return len(text) < 6000 and any(mark in text for mark in _WAF_MARKS)
