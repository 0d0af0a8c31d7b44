"""The engine's one frozen configuration: politeness, timeouts and limits, all named.

Defaults are safe for real government sites (slow, old, shared hosting): two requests
in flight per host at most, half a second between request starts, 30 s per request,
the 15 s homepage rule of the availability indicator, bounded crawl sizes.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime

from govsite import __version__

USER_AGENT = f"govsite/{__version__} (government website supervision; +https://github.com/govsite)"


#: Full-site mode's limits where none is given: the whole site, not a sample (``full``).
FULL_LIMITS = {"max_pages": 100_000, "max_links": 1_000_000, "max_seconds": 4 * 3600.0}


class ConfigError(ValueError):
    """A setting is out of range; the message names the setting."""


@dataclass(frozen=True)
class EngineConfig:
    as_of: datetime | None = None  # 监测时间点; None = now, in China Standard Time
    proxy: str | None = None  # HTTP forward proxy for every request
    allow_private: bool = False  # allow targets that are not globally routable (the address guard off)
    proxy_resolves_safely: bool = False  # the proxy refuses non-global targets itself: names are not resolved here
    user_agent: str = USER_AGENT
    respect_robots: bool = False  # obey robots.txt (supervision scans usually do not)

    per_host_concurrency: int = 2
    min_interval: float = 0.5  # seconds between two request starts to one host
    global_concurrency: int = 64
    timeout: float = 30.0  # total seconds for one request
    connect_timeout: float = 10.0
    read_timeout: float = 15.0  # seconds without a byte arriving
    #: The homepage's timeout; None: the indicator profile's ``probe_timeout`` (the
    #: availability rule, 15 s), see ``profile.homepage_timeout``.
    homepage_timeout: float | None = None
    retries: tuple[float, ...] = (1.0, 3.0)  # backoff before each retry
    max_retry_after: float = 30.0  # longest Retry-After honoured
    max_redirects: int = 10
    max_body_bytes: int = 5 * 1024 * 1024

    max_pages: int = 300  # pages fetched per site (link checks not included)
    max_links: int = 2000  # distinct link targets checked per site
    max_seconds: float = 600.0  # time budget of one site's crawl
    list_pages_per_column: int = 3  # list pages fetched per column at most
    full_lists: bool = False  # read every list page (up to the limit above), not only those a check needs
    articles_per_column: int = 5  # article pages sampled per column (the newest)
    messages_max: int = 60  # message pages read at most
    guides_max: int = 20  # service guide pages read at most
    check_links: bool = True
    render: bool = True  # render pages whose HTML looks script-built (engine/render.py)
    browser: str = "/usr/bin/chromium"  # the chromium that renders them
    render_timeout: float = 20.0  # seconds for one page's rendering
    render_pages: int = 2  # pages rendered at once
    render_restart: int = 100  # the browser is started afresh after this many pages
    render_memory_mb: int = 512  # heap of one page's scripts at most
    full: bool = (
        False  # full-site mode: every page of the site's hosts reachable from the homepage (engine/fullsite.py)
    )
    availability_probes: int = 3  # extra homepage probes during the crawl (availability rule)
    probe_interval: float = 2.0  # seconds between them

    def __post_init__(self) -> None:
        positive = (
            "per_host_concurrency",
            "global_concurrency",
            "timeout",
            "connect_timeout",
            "read_timeout",
            "homepage_timeout",
            "max_body_bytes",
            "max_pages",
            "max_seconds",
            "list_pages_per_column",
            "render_timeout",
            "render_pages",
            "render_restart",
            "render_memory_mb",
        )
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in positive and value is not None and not value > 0:
                raise ConfigError(f"{f.name} must be greater than 0, not {value!r}")
        for name in (
            "min_interval",
            "max_retry_after",
            "max_redirects",
            "max_links",
            "articles_per_column",
            "availability_probes",
            "probe_interval",
        ):
            if getattr(self, name) < 0:
                raise ConfigError(f"{name} must not be negative")
        if any(delay < 0 for delay in self.retries):
            raise ConfigError("retries must be non-negative delays")
        if self.proxy is not None and not self.proxy.startswith(("http://", "https://")):
            raise ConfigError(f"proxy must be an http:// URL, not {self.proxy!r}")
