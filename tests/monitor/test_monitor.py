"""The monitor against the fleet over real HTTP and a real database: eight days of
hourly rounds, one site down for twelve hours, alerts by mail and webhook when it
goes down and comes back, the week's failure share deciding 站点无法访问 in a later
census, and retention."""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.test import override_settings

from govsite.engine.dates import CST
from govsite.platform.campaigns.executor import host_limiter, run_campaign
from govsite.platform.campaigns.sampling import create_campaign
from govsite.platform.monitor import runner, uptime
from govsite.platform.monitor.models import Alert, ProbeHour, Watch
from govsite.platform.registry.models import Region, Site
from govsite.platform.registry.samples import load_sample_province
from govsite.samples.server import FleetServer
from govsite.samples.world import World

from ..helpers import FAST, fast_engine

pytestmark = pytest.mark.django_db(transaction=True)
START = datetime(2026, 11, 15, 0, 10, tzinfo=CST)
CLEAN, FLAKY = "www.qinghe.gov.cn", "www.wangchuan.gov.cn"


@pytest.fixture
def hooks() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """A webhook receiver on loopback that keeps what it is sent."""
    received: list[dict[str, Any]] = []

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/hook", received
    finally:
        server.shutdown()


def monitor_settings(proxy: str, webhook: str | None = None) -> dict[str, Any]:
    return {
        "MONITOR": {"scheduler": False, "probes_per_day": 24, "timeout": 2.0, "retention_days": 35,
                    "second_proxy": None, "concurrency": 8, "alert_emails": ["ops@yunjiang.gov.cn"],
                    "webhook": webhook, "flap_window_hours": 6, "flap_limit": 4},
        "EXECUTOR_ENGINE": {"proxy": proxy, **FAST},
    }  # fmt: skip


def test_a_week_of_rounds(
    sample_world: World, sample_fleet: FleetServer, hooks: tuple[str, list[dict[str, Any]]], tmp_path: Path
) -> None:
    webhook, received = hooks
    load_sample_province(sample_world)
    Site.objects.exclude(url__in=[f"http://{CLEAN}/", f"http://{FLAKY}/"]).update(status=Site.Status.CLOSED)
    fleet = sample_fleet.fleet
    with override_settings(**monitor_settings(sample_fleet.proxy, webhook), DATA_DIR=tmp_path):
        try:
            for h in range(8 * 24):
                if h == 30:
                    fleet.set_trouble(FLAKY, "down")
                if h == 42:
                    fleet.set_trouble(FLAKY, None)
                assert runner.run_due(START + timedelta(hours=h)) == 2
        finally:
            fleet.set_trouble(FLAKY, None)
        flaky = Site.objects.get(url=f"http://{FLAKY}/")
        assert ProbeHour.objects.count() == 2 * 8 * 24  # one row per site and hour
        assert sum(ProbeHour.objects.filter(site=flaky).values_list("down", flat=True)) == 12
        assert list(Alert.objects.order_by("at").values_list("site__url", "kind")) == [
            (f"http://{FLAKY}/", "down"), (f"http://{FLAKY}/", "up"),
        ]  # fmt: skip
        assert [m.to for m in mail.outbox] == [["ops@yunjiang.gov.cn"]] * 2 and "无法访问" in mail.outbox[0].subject
        assert [(r["site"], r["event"], r["outcome"]) for r in received] == [
            (flaky.code, "down", "connect"), (flaky.code, "up", "ok"),
        ]  # fmt: skip
        watch = Watch.objects.get(site=flaky)
        assert watch.state == "up" and watch.since == START + timedelta(hours=42)

        # the week before the census day: 15th 00:10 … the 23rd; whole days 16th–22nd
        as_of = START + timedelta(days=8, hours=9)
        week = runner.week_for(flaky, as_of, 7)
        assert week is not None and week.complete(7, 20) and week.down == 12 and week.counted == 168
        # the uptime page's week (7 CST days to today, from the daily rollups) is its hours' own sum
        for at in (as_of, START + timedelta(days=7, minutes=50), datetime(2026, 11, 22, tzinfo=UTC)):
            data = uptime.week(Site.objects.all(), at)
            first = datetime.combine(at.astimezone(CST).date() - timedelta(days=6), clock(), CST)
            hours = ProbeHour.objects.filter(hour__gte=first, hour__lt=first + timedelta(days=7))
            for row in data.sites:
                mine = hours.filter(site=row.site)
                assert [row.up, row.down, row.blocked, row.errors] == [
                    sum(mine.values_list(k, flat=True)) for k in ("up", "down", "blocked", "errors")
                ]
            everything = [sum(t) for t in hours.values_list("up", "down", "blocked", "errors")]
            assert sum(r.probes for r in data.regions) == sum(everything) >= 2 * 6 * 24
        rows = uptime.week(Site.objects.all(), START + timedelta(days=7, minutes=50)).sites
        assert [r.down for r in rows if r.site == flaky] == [12]  # the 16th–22nd: the whole outage
        results = {}
        for code in ("390121", "390122"):
            campaign = create_campaign(name=f"{code}普查", kind="census", region=Region.objects.get(code=code),
                                       as_of=as_of)  # fmt: skip
            done = run_campaign(campaign, fast_engine(sample_fleet.proxy), concurrency=2)
            [entry] = done.sites.all()
            results[entry.site.url] = entry.result
    vetoes = {url: next(i for i in r["indicators"] if i["id"] == "site_unreachable") for url, r in results.items()}
    assert vetoes[f"http://{CLEAN}/"]["status"] == "pass"
    assert (
        vetoes[f"http://{FLAKY}/"]["status"] == "fail" and "168 次探测中 12 次" in vetoes[f"http://{FLAKY}/"]["reason"]
    )
    [finding] = [f for f in results[f"http://{FLAKY}/"]["findings"] if f["check"] == "availability.homepage_down"]
    assert finding["data"]["monitoring"]["days"][0]["probes"] == 24  # the probes, as evidence

    with override_settings(**monitor_settings(sample_fleet.proxy)):
        # 35 days before the 40th day's 00:10: the first 5 days' hours and the 00:00 hour of the 6th
        assert runner.prune(START + timedelta(days=40)) == 2 * (5 * 24 + 1)
        assert ProbeHour.objects.count() == 2 * (3 * 24 - 1)


def test_probes_keep_to_the_host_limits_the_processs_scans_hold(
    sample_world: World, sample_fleet: FleetServer, tmp_path: Path
) -> None:
    """A worker's probes and scans share one limiter per host: while a scan in another
    thread holds every one of a host's slots, the probe of that host waits, and the wait
    is not counted against its timeout (the site is up, not down)."""
    load_sample_province(sample_world)
    Site.objects.exclude(url=f"http://{CLEAN}/").update(status=Site.Status.CLOSED)
    with override_settings(**monitor_settings(sample_fleet.proxy), DATA_DIR=tmp_path):
        limiter = host_limiter(runner.engine_config())  # the one the process's scans use
        held, release = threading.Event(), threading.Event()

        def scan_holding_the_host() -> None:
            async def hold() -> None:
                async with contextlib.AsyncExitStack() as stack:
                    for _ in range(limiter.per_host):
                        await stack.enter_async_context(limiter.request(CLEAN))
                    held.set()
                    await asyncio.to_thread(release.wait)

            asyncio.run(hold())

        scan = threading.Thread(target=scan_holding_the_host)
        scan.start()
        assert held.wait(10)
        letting_go = threading.Timer(2.5, release.set)  # longer than the probes' 2 s timeout
        letting_go.start()
        started = time.monotonic()
        try:
            assert runner.run_due(START) == 1
        finally:
            release.set()
            scan.join()
        waited = time.monotonic() - started
    assert waited >= 2.4 and Watch.objects.get().last_result == "up"
