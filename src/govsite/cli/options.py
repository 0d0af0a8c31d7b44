"""Options shared by sub-commands: same name, same meaning, same GOVSITE_<NAME> variable."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

import click

from govsite.engine import CST
from govsite.i18n import tr

F = TypeVar("F", bound=Callable[..., Any])

#: China Standard Time; China keeps no daylight saving, so a fixed offset is exact.


def now() -> datetime:
    return datetime.now(CST)


class AsOf(click.ParamType[datetime]):
    """An ISO date or date-time (监测时间点), in China Standard Time unless it says otherwise."""

    name = "ISO"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> datetime:
        if isinstance(value, datetime):
            return value
        try:
            parsed = datetime.fromisoformat(str(value))
        except ValueError:
            self.fail(
                tr(f"不是 ISO 日期：{value!r}（例如 2026-05-28）", f"not an ISO date: {value!r} (e.g. 2026-05-28)")
            )
        return parsed.replace(tzinfo=CST) if parsed.tzinfo is None else parsed.astimezone(CST)


def as_of_option(func: F) -> F:
    return click.option(
        "--as-of",
        type=AsOf(),
        envvar="GOVSITE_AS_OF",
        default=None,
        help=tr("监测时间点（ISO 日期），默认今天", "the monitoring time point (ISO date); default today"),
    )(func)


def format_option(func: F) -> F:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(["text", "json"]),
        envvar="GOVSITE_FORMAT",
        default=None,
        help=tr("输出格式：text（终端默认）或 json", "output format: text (default on a terminal) or json"),
    )(func)


def resolve_format(fmt: str | None) -> str:
    if fmt:
        return fmt
    return "text" if sys.stdout.isatty() else "json"


proxy_resolves_safely_option = click.option(
    "--proxy-resolves-safely", is_flag=True, envvar="GOVSITE_PROXY_RESOLVES_SAFELY",
    help=tr("代理自身拒绝非公网地址（否则先在本机解析并检查域名）",
            "the proxy refuses non-global targets itself (otherwise names are resolved and checked here first)"),
)  # fmt: skip


def fetch_options(func: F) -> F:
    """The options every command that fetches takes (architecture.md's table), less
    ``--as-of``: a campaign's scans keep the campaign's own."""
    options = [
        click.option("--proxy", envvar="GOVSITE_PROXY", default=None, metavar="URL",
                     help=tr("所有请求经过的 HTTP 代理", "an HTTP forward proxy for every request")),
        click.option("--per-host-concurrency", type=click.IntRange(1, 64), envvar="GOVSITE_PER_HOST_CONCURRENCY",
                     default=2, show_default=True, help=tr("对同一主机同时进行的请求数上限", "requests in flight to one host at most")),
        click.option("--min-interval", type=click.FloatRange(0, 60), envvar="GOVSITE_MIN_INTERVAL", default=0.5,
                     show_default=True, help=tr("同一主机两次请求开始之间的最短间隔（秒）", "least seconds between two request starts to one host")),
        click.option("--timeout", type=click.FloatRange(0.1, 600), envvar="GOVSITE_TIMEOUT", default=30.0,
                     show_default=True, help=tr("单个请求的总时限（秒）；首页探测另按 15 秒规则", "total seconds for one request (the homepage probe keeps its 15 s rule)")),
        click.option("--max-pages", type=click.IntRange(1, 1_000_000), envvar="GOVSITE_MAX_PAGES", default=None,
                     help=tr("每个网站最多抓取的页面数（默认 300；--full 时 100000）",
                             "pages fetched per site at most (default 300; 100000 with --full)")),
        click.option("--max-seconds", type=click.FloatRange(1, 7 * 86400), envvar="GOVSITE_MAX_SECONDS", default=None,
                     help=tr("每个网站的抓取时限（秒，默认 600；--full 时 14400）；到时返回已得结果，未完成的检查为待核查",
                             "time budget per site in seconds (default 600; 14400 with --full); what is found by then"
                             " is kept, unfinished checks are left undecided")),
        click.option("--full", is_flag=True, envvar="GOVSITE_FULL",
                     help=tr("全站模式：抓取首页可达的本站全部页面，检查每个链接", "full-site mode: every page of the site"
                             " reachable from the homepage, every link checked")),
        click.option("--allow-private", is_flag=True, envvar="GOVSITE_ALLOW_PRIVATE",
                     help=tr("允许访问内网、回环和链路本地地址", "allow private, loopback and link-local targets")),
        proxy_resolves_safely_option,
        click.option("--respect-robots", is_flag=True, envvar="GOVSITE_RESPECT_ROBOTS",
                     help=tr("遵守 robots.txt（监管检查通常不遵守）", "obey robots.txt (supervision scans usually do not)")),
    ]  # fmt: skip
    for option in reversed(options):
        func = option(func)
    return func


def engine_options(func: F) -> F:
    """The fetch options and ``--as-of``: what ``scan`` and ``crawl`` take."""
    return fetch_options(as_of_option(func))


def engine_config(
    proxy: str | None,
    per_host_concurrency: int,
    min_interval: float,
    timeout: float,
    max_pages: int | None,
    max_seconds: float | None,
    full: bool,
    allow_private: bool,
    proxy_resolves_safely: bool,
    respect_robots: bool,
    as_of: datetime | None = None,
) -> Any:
    """The engine's config from the shared options; a bad value is a usage error.
    ``--full`` lifts the limits not given (``FULL_LIMITS``)."""
    from govsite.engine import FULL_LIMITS, ConfigError, EngineConfig

    limits: dict[str, Any] = dict(FULL_LIMITS) if full else {}
    given = {"max_pages": max_pages, "max_seconds": max_seconds}
    limits |= {name: value for name, value in given.items() if value is not None}
    try:
        return EngineConfig(
            as_of=as_of,
            proxy=proxy,
            allow_private=allow_private,
            proxy_resolves_safely=proxy_resolves_safely,
            respect_robots=respect_robots,
            per_host_concurrency=per_host_concurrency,
            min_interval=min_interval,
            timeout=timeout,
            full=full,
            **limits,
        )
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from exc
