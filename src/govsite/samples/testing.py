"""Pytest fixtures for the sample fleet: ``pytest_plugins = ["govsite.samples.testing"]``.

``sample_world`` is the province for :data:`TEST_SEED` at :data:`TEST_AS_OF`;
``sample_fleet`` serves it on a free loopback port for the whole session. A small
blocking client, :func:`fetch`, talks to it the way any HTTP client behind a proxy
would, without following redirects.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from email.message import Message

import pytest

from govsite.samples.generate import build_world
from govsite.samples.server import FleetOptions, FleetServer
from govsite.samples.world import World

TEST_SEED = 1
TEST_AS_OF = date(2026, 11, 23)


@dataclass(frozen=True)
class Fetched:
    status: int
    headers: Message
    body: bytes

    def text(self, charset: str) -> str:
        return self.body.decode(charset)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def fetch(proxy: str, url: str, method: str = "GET", timeout: float = 30.0) -> Fetched:
    """One request through ``proxy``; redirects and error statuses are returned as they are."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({"http": proxy, "https": proxy}), _NoRedirect)
    request = urllib.request.Request(url, method=method, headers={"User-Agent": "govsite-tests"})
    try:
        with opener.open(request, timeout=timeout) as response:
            return Fetched(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        return Fetched(error.code, error.headers, error.read())


@pytest.fixture(scope="session")
def sample_world() -> World:
    return build_world(TEST_SEED, TEST_AS_OF)


@pytest.fixture(scope="session")
def sample_fleet(sample_world: World) -> Iterator[FleetServer]:
    server = FleetServer(sample_world, 0, FleetOptions()).start_in_thread()
    try:
        yield server
    finally:
        server.stop_thread()
