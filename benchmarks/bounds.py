"""The crawl's bounds, measured: (a) a homepage of 100,000 links (``manylinks.hostile.test``)
read, its targets deduplicated and capped, within 60 s and 500 MB; (b) the politeness
bound: a scan's wall time against 1.1 × (requests to its busiest host ÷ that host's
allowed rate) + 5 s, per site, at the default politeness, for fleet sites and one
~300-page site.

Each crawl runs in a child process of its own (its CPU time and peak memory are the
kernel's accounting of that child); the fleet runs in another. The fleet adds
``--latency`` seconds to every response, as a real remote server has. The machine may
be shared: CPU seconds are printed beside wall seconds.

    .venv/bin/python benchmarks/bounds.py [--only links|politeness] [--sites 6] [--latency 0.03]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from urllib.parse import urlsplit

from govsite.samples.child import fleet_process

AS_OF = date(2026, 11, 23)


def fleet_options(latency: float, items: int | None = None) -> list[str]:
    options = ["--as-of", AS_OF.isoformat(), "--slow-seconds", "2", "--latency", str(latency)]
    return options + (["--items-per-column", str(items)] if items else [])


def measured(command: list[str]) -> tuple[dict[str, object], float, float, float]:
    """Run a child; its last JSON line, wall seconds, its own CPU seconds and peak RSS (MB)."""
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    out = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{command} failed:\n{out[-3000:]}")
    result = json.loads(out.strip().splitlines()[-1])
    return result, time.perf_counter() - started, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def worker(proxy: str, url: str, fast: bool) -> None:
    """Runs in the measured child: one scan of ``url``; prints requests per host."""
    import asyncio

    from govsite.engine import EngineConfig, scan
    from govsite.engine.transport import LiveTransport

    sent: Counter[str] = Counter()
    original = LiveTransport.send

    async def counting(self: LiveTransport, method: str, target: str, timeout: float) -> object:
        sent[urlsplit(target).netloc.lower()] += 1
        return await original(self, method, target, timeout)

    LiveTransport.send = counting  # type: ignore[method-assign]  # count, do not change, the requests
    as_of = datetime(AS_OF.year, AS_OF.month, AS_OF.day, 10, tzinfo=timezone(timedelta(hours=8)))
    changes: dict[str, object] = {"min_interval": 0, "per_host_concurrency": 8} if fast else {}
    config = EngineConfig(proxy=proxy, proxy_resolves_safely=True, as_of=as_of, **changes)  # type: ignore[arg-type]
    began = time.monotonic()
    result = asyncio.run(scan(url, config))
    print(json.dumps({"seconds": time.monotonic() - began, "pages": result.stats.pages_fetched,
                      "links": result.stats.links_checked, "limits": list(result.stats.limits_hit),
                      "verdict": result.verdict, "hosts": dict(sent)}))  # fmt: skip


def child(proxy: str, url: str, fast: bool = False) -> list[str]:
    return [sys.executable, __file__, "--worker", proxy, url, "fast" if fast else "polite"]


def many_links(latency: float) -> None:
    with fleet_process(*fleet_options(latency)) as (_, proxy):
        print("(a) a homepage of 100,000 links (60,000 distinct targets), manylinks.hostile.test")
        print(f"{'politeness':<28} {'s':>6} {'CPU s':>6} {'peak MB':>8} {'pages':>6} {'links':>6} limits")
        for fast in (True, False):
            result, seconds, cpu, peak = measured(child(proxy, "http://manylinks.hostile.test/", fast))
            label = "none (8 per host, no pause)" if fast else "default (2 per host, 0.5 s)"
            print(f"{label:<28} {seconds:>6.1f} {cpu:>6.1f} {peak:>8.0f} {result['pages']:>6} {result['links']:>6}"
                  f" {','.join(result['limits'])}")  # type: ignore[arg-type]  # fmt: skip


def politeness(latency: float, count: int) -> None:
    from govsite.engine import EngineConfig
    from govsite.samples import urls
    from govsite.samples.generate import build_world

    rate = 1 / EngineConfig().min_interval  # starts per second allowed to one host
    world = build_world(1, AS_OF, None)
    sites = [s for s in world.sites.values() if s.availability == "ok"][:count]
    big = build_world(1, AS_OF, 60)
    portal = max((s for s in big.sites.values() if s.availability == "ok"),
                 key=lambda s: sum(c.count for c in s.columns.values()))  # fmt: skip
    pages = sum((c.count + urls.pages(portal, c)) if c.has_items else 1 for c in portal.columns.values()) + 1
    print(f"(b) the politeness bound at the default politeness ({rate:g} requests/s per host), "
          f"{latency * 1000:.0f} ms added per response")  # fmt: skip
    print(
        f"{'site':<34} {'busiest host':>12} {'bound s':>8} {'actual s':>8} {'ratio':>6} {'CPU s':>6} {'peak MB':>8} verdict"
    )
    for label, items, chosen in (("fleet", None, sites), (f"{pages}-page site", 60, [portal])):
        with fleet_process(*fleet_options(latency, items)) as (_, proxy):
            for site in chosen:
                result, seconds, cpu, peak = measured(child(proxy, site.url))
                busiest = max(result["hosts"].values())  # type: ignore[attr-defined]
                bound = 1.1 * busiest / rate + 5
                name = urlsplit(site.url).netloc + ("" if label == "fleet" else f" ({label})")
                print(f"{name:<34} {busiest:>12} {bound:>8.1f} {seconds:>8.1f} {seconds / bound:>6.2f} {cpu:>6.1f}"
                      f" {peak:>8.0f} {result['verdict']}")  # fmt: skip


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        worker(sys.argv[2], sys.argv[3], sys.argv[4] == "fast")
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=["links", "politeness"], default=None)
    parser.add_argument("--sites", type=int, default=6, help="fleet sites in the politeness table")
    parser.add_argument("--latency", type=float, default=0.03, help="seconds the fleet adds to each response")
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores, shared: CPU seconds are the crawl's own, wall seconds include waiting")
    if args.only in (None, "links"):
        many_links(args.latency)
    if args.only in (None, "politeness"):
        politeness(args.latency, args.sites)


if __name__ == "__main__":
    main()
