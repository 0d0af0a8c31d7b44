"""The address guard (地址防护): which targets the scanner may reach.

A scanned site chooses its links and redirects, and a registry row chooses its
homepage, so neither may point the scanner at the machine it runs on, the intranet
behind it or a cloud's metadata service. Only globally routable addresses are
fetched: an IP literal, an old integer or dotted-shorthand IPv4 spelling, and every
address a name resolves to must be global, after unwrapping IPv4 addresses carried
inside IPv6 (IPv4-mapped, 6to4, NAT64; Teredo is refused whole). :data:`REFUSED_NETWORKS` is the one
list of refused ranges (docs/engine.md shows it), on top of Python's ``is_global``.
"""

from __future__ import annotations

import functools
import ipaddress
import re
import socket
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

#: Every range refused, with what it is (IANA's special-purpose address registries).
REFUSED_NETWORKS: tuple[tuple[str, str], ...] = (
    ("0.0.0.0/8", "this network"),
    ("10.0.0.0/8", "private"),
    ("100.64.0.0/10", "shared address space (carrier-grade NAT, cloud metadata services)"),
    ("127.0.0.0/8", "loopback"),
    ("169.254.0.0/16", "link-local (cloud metadata services)"),
    ("172.16.0.0/12", "private"),
    ("192.0.0.0/24", "IETF protocol assignments"),
    ("192.0.2.0/24", "documentation"),
    ("192.88.99.0/24", "6to4 relay anycast"),
    ("192.168.0.0/16", "private"),
    ("198.18.0.0/15", "benchmarking"),
    ("198.51.100.0/24", "documentation"),
    ("203.0.113.0/24", "documentation"),
    ("224.0.0.0/4", "multicast"),
    ("240.0.0.0/4", "reserved and broadcast"),
    ("::/8", "unspecified, loopback and IPv4-compatible"),
    ("64:ff9b:1::/48", "local-use IPv4/IPv6 translation"),
    ("100::/64", "discard-only"),
    ("2001::/23", "IETF protocol assignments (Teredo included)"),
    ("2001:db8::/32", "documentation"),
    ("fc00::/7", "unique local (private)"),
    ("fe80::/10", "link-local"),
    ("fec0::/10", "site-local (deprecated)"),
    ("ff00::/8", "multicast"),
)
_NETWORKS = tuple((ipaddress.ip_network(net), what) for net, what in REFUSED_NETWORKS)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
#: Names that never reach a public site: loopback names and local-only domains (RFC 6761, 6762, 8375).
LOCAL_SUFFIXES = ("localhost", "local", "internal", "home.arpa", "lan", "intranet")
_LEGACY_IPV4 = re.compile(r"^(0x[0-9a-f]+|[0-9]+)(\.(0x[0-9a-f]+|[0-9]+)){0,3}$")


class AddressRefused(Exception):
    """The address guard refused a target that is not a globally routable address."""


def host_address(host: str) -> IPAddress | None:
    """The IP address ``host`` spells, in any form a resolver accepts (``127.1``,
    ``2130706433``, ``0x7f.0.0.1``), or None when it is a name."""
    host = host.strip("[]").lower()
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if _LEGACY_IPV4.match(host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def unwrapped(ip: IPAddress) -> IPAddress:
    """The IPv4 address an IPv6 address carries (mapped, 6to4, NAT64), else ``ip``."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return ip.ipv4_mapped
        if ip.sixtofour is not None:
            return ip.sixtofour
        if ip in _NAT64:
            return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return ip


def address_refusal(address: str | IPAddress) -> str | None:
    """Why ``address`` may not be fetched, or None when it is globally routable."""
    ip = address if not isinstance(address, str) else host_address(address)
    if ip is None:
        return None
    inner = unwrapped(ip)
    for network, what in _NETWORKS:
        if inner.version == network.version and inner in network:
            return f"{address} is in {network}, {what}"
    if not inner.is_global:
        return f"{address} is not a globally routable address"
    return None


@functools.lru_cache(maxsize=4096)  # asked before every request; a crawl asks a few hosts many times
def name_refusal(host: str) -> str | None:
    """Why the host part of a URL may not be fetched, without resolving it, or None."""
    host = host.lower().rstrip(".")
    if not host:
        return "the URL has no host"
    if host_address(host) is not None:
        return address_refusal(host_address(host) or host)
    if any(host == suffix or host.endswith("." + suffix) for suffix in LOCAL_SUFFIXES):
        return f"{host} is a local-only name"
    return None


def url_refusal(url: str) -> str | None:
    """Why ``url`` may not be scanned judging by its host alone (no DNS), or None."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return "the URL cannot be parsed"
    return name_refusal(host)


def check_resolved(host: str, addresses: list[str]) -> None:
    """Refuse ``host`` when any address it resolved to is not global (raises AddressRefused)."""
    for address in addresses:
        reason = address_refusal(address)
        if reason:
            raise AddressRefused(f"{host} resolves to {reason}")
