"""The address guard: only globally routable targets, however they are spelled or reached."""

from __future__ import annotations

import ipaddress
import re
import socket
from pathlib import Path

import pytest

from govsite.engine.config import EngineConfig
from govsite.engine.fetch import Fetched, Fetcher
from govsite.engine.guard import REFUSED_NETWORKS, address_refusal, url_refusal
from govsite.engine.outcome import Outcome
from govsite.engine.transport import LiveTransport
from govsite.samples.server import FleetServer

DOCS = Path(__file__).parents[2] / "docs" / "engine.md"
#: Spellings of non-global targets an attacker would try.
HOSTILE = (
    "http://100.100.100.200/latest/meta-data/",  # a cloud metadata service in carrier-grade NAT space
    "http://100.64.0.1/",
    "http://[::ffff:127.0.0.1]/",  # IPv4-mapped
    "http://[::ffff:a9fe:a9fe]/",
    "http://[2002:7f00:1::1]/",  # 6to4 around 127.0.0.1
    "http://[64:ff9b::a9fe:a9fe]/",  # NAT64 around 169.254.169.254
    "http://2130706433/",  # 127.0.0.1 as one integer
    "http://0x7f.1/",
    "http://127.1/",
    "http://localhost./",
    "http://printer.local/",
    "http://192.0.0.8/",
    "http://198.18.0.1/",
    "http://[fd00::1]/",
)


def test_the_docs_list_every_refused_range_and_each_is_refused() -> None:
    listed = re.findall(r"^\| `([0-9a-f.:/]+)` \| (.+?) \|$", DOCS.read_text(encoding="utf-8"), re.MULTILINE)
    assert listed == list(REFUSED_NETWORKS)
    for network, _what in REFUSED_NETWORKS:
        net = ipaddress.ip_network(network)
        for address in (net.network_address, net.broadcast_address, net.network_address + net.num_addresses // 2):
            assert address_refusal(str(address)), address
    for public in ("8.8.8.8", "114.114.114.114", "2400:3200::1", "::ffff:8.8.8.8", "2002:808:808::1"):
        assert address_refusal(public) is None, public


@pytest.mark.parametrize("url", HOSTILE)
def test_hostile_spellings_are_refused_before_any_request(url: str) -> None:
    assert url_refusal(url), url


async def _get(config: EngineConfig, url: str) -> Fetched:
    transport = LiveTransport(config, None)
    try:
        return await Fetcher(transport, config).get(url)
    finally:
        await transport.close()


async def test_direct_requests_to_hostile_spellings_are_refused() -> None:
    config = EngineConfig(timeout=3, retries=())
    for url in HOSTILE:
        fetched = await _get(config, url)
        assert fetched.outcome is Outcome.SCANNER_ERROR and "address guard" in (fetched.error or ""), url


async def test_behind_a_proxy_names_are_resolved_and_checked_here_first(sample_fleet: FleetServer) -> None:
    """The fleet's proxy would answer for any name; the guard must not leave the check to it."""
    config = EngineConfig(proxy=sample_fleet.proxy, timeout=3, retries=())
    local_name = socket.gethostname()  # resolves to this machine: a stand-in for wildcard DNS to 127.0.0.1
    resolved = {info[4][0] for info in socket.getaddrinfo(local_name, None, type=socket.SOCK_STREAM)}
    if not all(address_refusal(str(a)) for a in resolved):
        pytest.skip(f"{local_name} resolves to a global address here ({resolved})")
    for url in (*HOSTILE, f"http://{local_name}/", f"http://{local_name}.:{sample_fleet.port}/"):
        fetched = await _get(config, url)
        assert fetched.outcome is Outcome.SCANNER_ERROR and "address guard" in (fetched.error or ""), url
    # A fictional fleet host does not resolve here, so it is never sent to the proxy ...
    unchecked = await _get(config, "http://www.huachuan.gov.cn/")
    assert unchecked.outcome is Outcome.DNS and "X-Squid-Error" not in str(unchecked.chain)
    # ... unless the deployment says its proxy enforces the same rules itself.
    trusted = await _get(
        EngineConfig(proxy=sample_fleet.proxy, proxy_resolves_safely=True, timeout=3), "http://www.huachuan.gov.cn/"
    )
    assert trusted.outcome is Outcome.OK
    literal = await _get(EngineConfig(proxy=sample_fleet.proxy, proxy_resolves_safely=True, timeout=3), HOSTILE[0])
    assert literal.outcome is Outcome.SCANNER_ERROR  # literals and local names are refused either way


async def test_allow_private_turns_the_guard_off(sample_fleet: FleetServer) -> None:
    fetched = await _get(
        EngineConfig(proxy=sample_fleet.proxy, allow_private=True, timeout=3), "http://www.huachuan.gov.cn/"
    )
    assert fetched.outcome is Outcome.OK
