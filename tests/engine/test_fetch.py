"""Fetching against real servers: every case ends in one outcome, within bounds."""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import AsyncIterator

import pytest

from govsite.engine.config import ConfigError, EngineConfig
from govsite.engine.fetch import Fetched, Fetcher
from govsite.engine.outcome import Outcome
from govsite.engine.transport import LiveTransport
from govsite.samples.server import FleetServer

TIMEOUT = 3.0
CAP = 1 << 20  # 1 MiB body cap in these tests


@pytest.fixture
async def fetcher(sample_fleet: FleetServer) -> AsyncIterator[Fetcher]:
    config = EngineConfig(
        proxy=sample_fleet.proxy,
        proxy_resolves_safely=True,
        timeout=TIMEOUT,
        read_timeout=2,
        min_interval=0,
        retries=(0.05,),
        max_body_bytes=CAP,
    )
    transport = LiveTransport(config, None)
    try:
        yield Fetcher(transport, config)
    finally:
        await transport.close()


async def bounded(fetcher: Fetcher, url: str, method: str = "GET") -> tuple[Fetched, float, float]:
    tracemalloc.start()
    started = time.monotonic()
    try:
        fetched = await fetcher.get(url, method=method)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return fetched, time.monotonic() - started, peak / 1e6


@pytest.mark.parametrize(
    ("host", "outcome"),
    [
        ("endless", Outcome.TOO_LARGE),
        ("huge", Outcome.TOO_LARGE),
        ("trickle", Outcome.TIMEOUT),
        ("loop", Outcome.TOO_MANY_REDIRECTS),
        ("reset", Outcome.CONNECT),
        ("malformed", Outcome.OK),
        ("calendar", Outcome.OK),
        ("wrongcharset", Outcome.OK),
        ("binary", Outcome.OK),
    ],
)
async def test_hostile_servers_are_classified_within_time_and_memory(
    fetcher: Fetcher, host: str, outcome: Outcome
) -> None:
    fetched, seconds, peak_mb = await bounded(fetcher, f"http://{host}.hostile.test/")
    assert fetched.outcome is outcome, fetched.error
    assert seconds < TIMEOUT + 2
    assert peak_mb < 8 * CAP / 1e6  # a capped body, a few copies at most, never the whole stream
    if host == "wrongcharset":
        assert fetched.text is not None and "华川省人民政府" in fetched.text and fetched.charset == "gb18030"
    if host == "binary":
        assert fetched.binary and fetched.text is None
    if host == "loop":
        assert "loop" in (fetched.error or "") and [h.url[-2:] for h in fetched.chain] == ["t/", "/b", "/a"]


async def test_garbage_on_a_tls_port_is_a_tls_failure(sample_fleet: FleetServer) -> None:
    config = EngineConfig(timeout=TIMEOUT, allow_private=True, retries=())
    transport = LiveTransport(config, None)
    try:
        fetched = await Fetcher(transport, config).get(f"https://127.0.0.1:{sample_fleet.garbage_tls.port}/")
    finally:
        await transport.close()
    assert fetched.outcome is Outcome.TLS


async def test_the_address_guard_refuses_private_targets_unless_allowed(sample_fleet: FleetServer) -> None:
    url = f"http://127.0.0.1:{sample_fleet.port}/"
    for target in (
        url,
        f"http://localhost:{sample_fleet.port}/",
        "http://10.1.2.3/",
        "http://[::1]/",
        "http://169.254.1.1/",
    ):
        config = EngineConfig(timeout=TIMEOUT, retries=())
        transport = LiveTransport(config, None)
        try:
            fetched = await Fetcher(transport, config).get(target)
        finally:
            await transport.close()
        assert fetched.outcome is Outcome.SCANNER_ERROR and "address guard" in (fetched.error or ""), target
    allowed = EngineConfig(timeout=TIMEOUT, retries=(), allow_private=True)
    transport = LiveTransport(allowed, None)
    try:
        fetched = await Fetcher(transport, allowed).get(url)
    finally:
        await transport.close()
    assert fetched.outcome is Outcome.DNS  # allowed through: the fleet answered that it knows no such host


async def test_our_proxy_being_down_is_our_error_not_the_sites() -> None:
    config = EngineConfig(proxy="http://127.0.0.1:9", proxy_resolves_safely=True, timeout=TIMEOUT, retries=())
    transport = LiveTransport(config, None)
    try:
        fetched = await Fetcher(transport, config).get("http://www.huachuan.gov.cn/")
    finally:
        await transport.close()
    assert fetched.outcome is Outcome.SCANNER_ERROR and not fetched.outcome.site_failure


async def test_proxy_reports_become_site_failures(fetcher: Fetcher, sample_world: object) -> None:
    assert (await fetcher.get("http://www.no-such-site.gov.cn/")).outcome is Outcome.DNS
    assert (await fetcher.get("http://fgw.beixi.gov.cn/")).outcome is Outcome.CONNECT  # the fleet's down site


async def test_retries_on_5xx_and_429_honouring_retry_after(fetcher: Fetcher) -> None:
    flaky = await fetcher.get("http://flaky.hostile.test/page")
    assert flaky.outcome is Outcome.OK and fetcher.requests == 2
    started = time.monotonic()
    limited = await fetcher.get("http://ratelimit.hostile.test/page")
    assert limited.outcome is Outcome.OK and time.monotonic() - started >= 0.9  # Retry-After: 1


async def test_no_retry_on_other_4xx(fetcher: Fetcher) -> None:
    before = fetcher.requests
    missing = await fetcher.get("http://www.huachuan.gov.cn/no/such/page.html")
    assert missing.outcome is Outcome.HTTP_4XX and fetcher.requests == before + 1
    forbidden = await fetcher.get("http://www.huachuan.gov.cn/manage/")
    assert forbidden.outcome is Outcome.BLOCKED


async def test_redirects_of_every_kind_are_followed(fetcher: Fetcher, sample_fleet: FleetServer) -> None:
    kinds = {}
    for site in sample_fleet.fleet.world.sites.values():
        if site.availability == "ok" and site.home_redirect not in kinds:
            fetched = await fetcher.get(site.url)
            assert fetched.outcome is Outcome.OK and site.name in (fetched.text or "")
            kinds[site.home_redirect] = [hop.kind for hop in fetched.chain]
    assert kinds == {"none": [], "http": ["http"], "meta": ["meta"], "script": ["script"]}


async def test_head_refused_is_asked_again_with_get_by_the_link_checker(fetcher: Fetcher) -> None:
    head = await fetcher.get("http://nohead.hostile.test/", method="HEAD")
    assert head.status == 405


async def test_per_host_interval_is_kept(sample_fleet: FleetServer) -> None:
    config = EngineConfig(
        proxy=sample_fleet.proxy, proxy_resolves_safely=True, min_interval=0.2, per_host_concurrency=4, retries=()
    )
    transport = LiveTransport(config, None)
    try:
        fetcher = Fetcher(transport, config)
        started = time.monotonic()
        import asyncio

        await asyncio.gather(*(fetcher.get(f"http://www.huachuan.gov.cn/images/x{i}.png") for i in range(5)))
    finally:
        await transport.close()
    assert time.monotonic() - started >= 0.8  # five starts, 0.2 s apart


def test_bad_settings_are_rejected_naming_the_field() -> None:
    with pytest.raises(ConfigError, match="per_host_concurrency"):
        EngineConfig(per_host_concurrency=0)
    with pytest.raises(ConfigError, match="proxy"):
        EngineConfig(proxy="socks5://127.0.0.1:1080")
    with pytest.raises(ConfigError, match="min_interval"):
        EngineConfig(min_interval=-1)
