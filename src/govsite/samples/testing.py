"""Pytest fixtures for the sample fleet: ``pytest_plugins = ["govsite.samples.testing"]``.

``sample_world`` is the province for :data:`TEST_SEED` at :data:`TEST_AS_OF`;
``sample_fleet`` serves it on a free loopback port for the whole session (``script_world``
and ``script_fleet``: the same province with three script-built sites);
``sample_scans`` scans each of its sites once a session, when first asked (a scan is
deterministic for the seed and the as-of time: it goes through a fleet of its own, which
no test takes down or has already asked), for tests that need stored results rather
than a run of the executor. A small blocking client, :func:`fetch`, talks to
the fleet the way any HTTP client behind a proxy would, without following redirects.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import gc
import os
import pickle
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from email.message import Message
from pathlib import Path

import pytest

from govsite.engine import CST, EngineConfig, Profile, ScanResult, Snapshot, crawl, load_profile
from govsite.engine.scan import evaluate
from govsite.samples.generate import build_world
from govsite.samples.server import FleetOptions, FleetServer
from govsite.samples.world import World

TEST_SEED = 1
TEST_AS_OF = date(2026, 11, 23)
#: The monitoring time point of the tests' scans and campaigns: 10:00 China Standard Time on TEST_AS_OF.
TEST_NOW = datetime(TEST_AS_OF.year, TEST_AS_OF.month, TEST_AS_OF.day, 10, tzinfo=CST)
DEFAULT_PROFILE = "inspection-2019"
#: Engine settings for scanning the local fleet quickly: no pauses, short homepage timeout.
FAST = {
    "proxy_resolves_safely": True,  # the fleet answers every name itself and reaches nothing
    "min_interval": 0,
    "per_host_concurrency": 8,
    "retries": (0.05,),
    "homepage_timeout": 2,
    "probe_interval": 0,
}


#: The homepage limit of the session's stored scans (:class:`Scans`). They are made while
#: the other pytest-xdist worker and anything else on the machine compete for the cores,
#: and under such load a healthy homepage can take longer than FAST's 2 s, which would
#: class it as down. The fleet's slow homepage answers after ``FleetOptions.slow_seconds``
#: (20 s), so at 10 s it still times out, as the manifest says it must.
SCAN_HOMEPAGE_TIMEOUT = 10.0
#: The region's scan is stored in this many parts, which the xdist workers share out.
REGION_SHARDS = 8


def fast_engine(proxy: str) -> EngineConfig:
    return EngineConfig(proxy=proxy, **FAST)  # type: ignore[arg-type]


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


@pytest.fixture(scope="session")
def script_world() -> World:
    """The province with three sites whose lists a browser builds (``samples/scripted.py``)."""
    return build_world(TEST_SEED, TEST_AS_OF, scripted=True)


@pytest.fixture(scope="session")
def script_fleet(script_world: World) -> Iterator[FleetServer]:
    server = FleetServer(script_world, 0, FleetOptions()).start_in_thread()
    try:
        yield server
    finally:
        server.stop_thread()


@dataclass(frozen=True)
class Target:
    """A site to scan as the registry knows it."""

    url: str
    kind: str | None
    code: str | None


@dataclass(frozen=True)
class Scanned:
    """One site's crawl and scan: its snapshot and result, or the error the scan raised
    (``"Type: message"``, as the executor records it), and its WARC evidence."""

    snapshot: Snapshot | None
    result: ScanResult | str
    warc: Path


class Scans:
    """Each site's scan at each as-of time, made once and kept. The whole region at
    :data:`TEST_NOW` with the default profile is scanned together the first time any of
    it is asked for — once per test run: the first pytest-xdist worker scans it into
    ``shared``, the others read it from there.

    The scans go through a fleet of their own, started for them: the session's
    ``sample_fleet`` is one tests change (a site taken down) and count on (the
    intermittent homepage fails every fourth request it is asked), so a scan through it
    would depend on which tests that worker ran before."""

    def __init__(self, world: World, folder: Path, shared: Path) -> None:
        self.world, self.folder, self.shared = world, folder, shared
        self._done: dict[tuple[Target, datetime, str], Scanned] = {}
        self._region: dict[str, Scanned] | None = None

    @staticmethod
    def config(proxy: str, as_of: datetime) -> EngineConfig:
        settings = {**FAST, "homepage_timeout": SCAN_HOMEPAGE_TIMEOUT}
        return EngineConfig(proxy=proxy, as_of=as_of, **settings)  # type: ignore[arg-type]

    def region(self) -> dict[str, Scanned]:
        """Every site of the world by host, at TEST_NOW, with the default profile.

        The region is scanned in :data:`REGION_SHARDS` parts, each once per run under a
        file lock of its own. A worker first takes the parts of its own share that no one
        holds (its xdist number picks them, so two workers start apart) and scans them
        together, so one site's slow homepage overlaps the others' work instead of holding
        up a part of its own; then it takes, one by one, every other part no one holds;
        then it waits for the parts another worker is scanning. Both cores scan, instead
        of one scanning while the other waits."""
        if self._region is None:
            self.shared.mkdir(parents=True, exist_ok=True)
            first = _worker_number() * REGION_SHARDS // _worker_count()
            order = [(first + n) % REGION_SHARDS for n in range(REGION_SHARDS)]
            share = -(-REGION_SHARDS // _worker_count())  # rounded up
            self._region_parts(order[:share])
            for shard in order[share:]:
                self._region_parts([shard])
            for shard in order:
                self._region_parts([shard], wait=True)
            parts: dict[str, Scanned] = {}
            for shard in range(REGION_SHARDS):
                parts.update(_unpickled((self.shared / f"region-{shard}.pickle").read_bytes()))
            self._region = {host: parts[host] for host in self.world.sites}
        return self._region

    def _region_parts(self, shards: list[int], wait: bool = False) -> None:
        """Scan, together, each of ``shards`` that is not stored yet and that no other worker
        holds (with ``wait``: once it no longer holds it)."""
        with contextlib.ExitStack() as held:
            mine = []
            for shard in shards:
                lock = held.enter_context((self.shared / f"region-{shard}.lock").open("w"))
                try:
                    fcntl.flock(lock, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
                except BlockingIOError:
                    continue
                if not (self.shared / f"region-{shard}.pickle").exists():
                    mine.append(shard)
            sites = {shard: list(self.world.sites.values())[shard::REGION_SHARDS] for shard in mine}
            targets = [(Target(s.url, s.kind, s.code), self.shared / f"{s.host}.warc.gz")
                       for shard in mine for s in sites[shard]]  # fmt: skip
            scanned = iter(self._scan(targets, TEST_NOW, load_profile(DEFAULT_PROFILE)) if targets else [])
            for shard in mine:
                store = self.shared / f"region-{shard}.pickle"
                partial = store.with_suffix(".partial")
                partial.write_bytes(pickle.dumps({s.host: next(scanned) for s in sites[shard]}))
                partial.rename(store)  # whole or absent, whoever reads it

    def results(self, targets: Sequence[Target], as_of: datetime, profile: Profile) -> list[Scanned]:
        """Each target's scan, in order."""
        if as_of == TEST_NOW and profile.digest == load_profile(DEFAULT_PROFILE).digest:
            for scanned in self.region().values():
                if scanned.snapshot is not None and isinstance(scanned.result, ScanResult):
                    key = Target(scanned.result.url, scanned.result.kind, scanned.result.site_code)
                    self._done.setdefault((key, as_of, profile.digest), scanned)
        keys = [(t, as_of, profile.digest) for t in targets]
        missing = list(dict.fromkeys(k for k in keys if k not in self._done))
        if missing:
            first = len(self._done)
            named = [(k[0], self.folder / f"{first + n}-{k[0].code}.warc.gz") for n, k in enumerate(missing)]
            made = self._scan(named, as_of, profile)
            self._done.update(zip(missing, made, strict=True))
        return [self._done[k] for k in keys]

    def _scan(self, targets: list[tuple[Target, Path]], as_of: datetime, profile: Profile) -> list[Scanned]:
        """Each target scanned through a fresh fleet of the world, stopped afterwards."""
        fleet = FleetServer(self.world, 0, FleetOptions()).start_in_thread()
        try:
            return asyncio.run(self._scan_through(fleet.proxy, targets, as_of, profile))
        finally:
            fleet.stop_thread()

    async def _scan_through(
        self, proxy: str, targets: list[tuple[Target, Path]], as_of: datetime, profile: Profile
    ) -> list[Scanned]:
        """What ``engine.scan`` does for each target, keeping the snapshot too."""
        gate = asyncio.Semaphore(6)
        config = self.config(proxy, as_of)

        async def one(target: Target, warc: Path) -> Scanned:
            async with gate:
                try:
                    snapshot = await crawl(target.url, config, warc=warc)
                except Exception as exc:  # kept as the executor keeps it: the site's scan failed
                    return Scanned(None, f"{type(exc).__name__}: {exc}", warc)
            result = evaluate(snapshot, profile, kind=target.kind, site_code=target.code,
                              homepage_timeout=config.homepage_timeout)  # fmt: skip
            return Scanned(snapshot, result, warc)

        return list(await asyncio.gather(*(one(t, w) for t, w in targets)))


def _worker_number() -> int:
    """This pytest-xdist worker's number (``gw1`` → 1); 0 outside xdist."""
    return int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)


def _worker_count() -> int:
    return max(1, int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")))


def _unpickled(data: bytes) -> dict[str, Scanned]:
    """The stored region, read without the cyclic garbage collector running over its
    hundreds of thousands of new objects (about a seventh of the CPU time)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return pickle.loads(data)  # type: ignore[no-any-return]
    finally:
        if enabled:
            gc.enable()


@pytest.fixture(scope="session")
def sample_scans(
    sample_world: World,
    tmp_path_factory: pytest.TempPathFactory,
    request: pytest.FixtureRequest,
) -> Scans:
    """The scans of this test run. ``GOVSITE_TEST_SCANS`` names the folder of the region's
    scan when a run hands it to a pytest it starts (the PostgreSQL rerun)."""
    base = tmp_path_factory.getbasetemp()
    worker = hasattr(request.config, "workerinput")  # a pytest-xdist worker: base is its part of the run's folder
    given = os.environ.get("GOVSITE_TEST_SCANS")
    shared = Path(given) if given else (base.parent if worker else base) / "sample-region"
    return Scans(sample_world, tmp_path_factory.mktemp("scans"), shared)
