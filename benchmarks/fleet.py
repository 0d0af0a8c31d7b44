"""How fast the sample fleet serves pages on loopback (a benchmark target must not be
the bottleneck of the crawls measured against it).

Starts ``govsite samples serve`` in its own process, fetches every page of the chosen
scenario through it with an aiohttp client, and prints a table: pages, seconds,
pages/s, MB/s, the server's CPU seconds per 1,000 pages and its peak memory.

    .venv/bin/python benchmarks/fleet.py [--concurrency 64] [--large-items 900]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
from dataclasses import dataclass
from datetime import date

import aiohttp

from govsite.samples import urls
from govsite.samples.child import fleet_process
from govsite.samples.generate import build_world
from govsite.samples.manifest import homepage_url, item_url
from govsite.samples.world import World

AS_OF = date(2026, 11, 23)


@dataclass
class Result:
    name: str
    pages: int
    seconds: float
    megabytes: float
    server_cpu: float
    server_peak_mb: float


def every_page(world: World, hosts: list[str]) -> list[str]:
    out = []
    for host in hosts:
        site = world.sites[host]
        if site.availability != "ok":
            continue
        out.append(homepage_url(site))
        for col in site.columns.values():
            out.append(f"http://{host}{urls.column(site, col)}")
            if not col.has_items:
                continue
            out += [f"http://{host}{urls.column(site, col, p)}" for p in range(2, urls.pages(site, col) + 1)]
            out += [item_url(world, site, col, i) for i in range(col.count)]
    return out


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


async def fetch_all(proxy: str, pages: list[str], concurrency: int) -> int:
    connector = aiohttp.TCPConnector(limit=concurrency)
    total = 0
    queue = iter(pages)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def worker() -> None:
            nonlocal total
            for url in queue:
                async with session.get(url, proxy=proxy) as response:
                    body = await response.read()
                    if response.status != 200:
                        raise RuntimeError(f"{url}: {response.status}")
                    total += len(body)

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return total


def run(name: str, items: int | None, hosts: list[str] | None, concurrency: int) -> Result:
    world = build_world(1, AS_OF, items)
    chosen = hosts or list(world.sites)
    if hosts == ["largest"]:
        chosen = [max(world.sites, key=lambda h: sum(c.count for c in world.sites[h].columns.values()))]
    pages = every_page(world, chosen)
    options = ["--as-of", AS_OF.isoformat(), *(["--items-per-column", str(items)] if items else [])]
    with fleet_process(*options) as (server, proxy):
        cpu_before = cpu_seconds(server.pid)
        started = time.perf_counter()
        size = asyncio.run(fetch_all(proxy, pages, concurrency))
        seconds = time.perf_counter() - started
        return Result(name, len(pages), seconds, size / 1e6, cpu_seconds(server.pid) - cpu_before, peak_mb(server.pid))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--large-items", type=int, default=900, help="items per column of the large site")
    args = parser.parse_args()
    results = [
        run("whole fleet (every page of every site)", None, None, args.concurrency),
        run(f"one large site ({args.large_items} items per column)", args.large_items, ["largest"], args.concurrency),
    ]
    print(f"concurrency {args.concurrency}, {os.cpu_count()} cores; client and server in separate processes")
    print(f"{'scenario':<44} {'pages':>7} {'s':>7} {'pages/s':>8} {'MB/s':>6} {'srv CPU s/1k':>12} {'srv peak MB':>11}")
    for r in results:
        print(
            f"{r.name:<44} {r.pages:>7} {r.seconds:>7.2f} {r.pages / r.seconds:>8.0f} {r.megabytes / r.seconds:>6.1f}"
            f" {r.server_cpu / r.pages * 1000:>12.2f} {r.server_peak_mb:>11.0f}"
        )


if __name__ == "__main__":
    main()
