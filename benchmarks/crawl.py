"""The engine's crawl against LinkChecker's, on the same sites, side by side.

Scenarios: (a) the whole sample fleet, (b) one generated site of over 10,000 pages.
The fleet runs in its own process; each crawler runs in its own process, so its CPU
time and peak memory are its own (from the kernel's accounting of the child). Both
crawl everything they can reach: the engine with its limits lifted, LinkChecker
recursively with --check-extern. Total concurrency is the same for both (LinkChecker's
threads; the engine's global limit) and so is the per-host concurrency. The fleet
sends LinkChecker's opt-out of its built-in throttle, so LinkChecker is not held to
its 0.1-0.6 s pause between requests to one host.

    .venv/bin/python benchmarks/crawl.py [--concurrency 8] [--large-items 900] [--skip-linkchecker]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

AS_OF = date(2026, 11, 23)


@dataclass
class Run:
    crawler: str
    scenario: str
    pages: int
    links: int
    seconds: float
    cpu: float
    peak_mb: float
    note: str = ""


def start_fleet(items: int | None) -> tuple[subprocess.Popen[str], str]:
    command = [sys.executable, "-m", "govsite", "samples", "serve", "--port", "0", "--as-of", AS_OF.isoformat()]
    command += ["--linkchecker-unthrottled", "--slow-seconds", "2"]
    if items:
        command += ["--items-per-column", str(items)]
    fleet = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env={**os.environ, "GOVSITE_LANG": "en"})
    assert fleet.stdout is not None
    proxy = next(line.split()[-1] for line in iter(fleet.stdout.readline, "") if line.startswith("Proxy:"))
    return fleet, proxy


def measured(command: list[str], env: dict[str, str], ok: tuple[int, ...] = (0,)) -> tuple[str, float, float, float]:
    """Run a child; its output, wall seconds, and its own CPU seconds and peak RSS (MB)."""
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    assert child.stdout is not None
    out = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)  # this child's own accounting
    child.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    if child.returncode not in ok:
        raise RuntimeError(f"{command[0]} failed ({child.returncode}):\n{out[-3000:]}")
    return out, seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def engine_worker(proxy: str, urls: list[str], concurrency: int) -> None:
    """Runs in the measured child: crawl ``urls`` with every limit lifted."""
    from govsite.engine import EngineConfig, crawl

    big = 10**7
    config = EngineConfig(
        proxy=proxy,
        proxy_resolves_safely=True,  # the sample fleet never leaves loopback
        as_of=datetime(AS_OF.year, AS_OF.month, AS_OF.day, 10, tzinfo=timezone(timedelta(hours=8))),
        per_host_concurrency=concurrency,
        global_concurrency=concurrency,
        min_interval=0,
        homepage_timeout=5,
        timeout=10,
        max_pages=big,
        max_links=big,
        max_seconds=3600,
        list_pages_per_column=big,
        full_lists=True,
        articles_per_column=big,
        messages_max=big,
        guides_max=big,
    )

    async def all_sites() -> tuple[int, int]:
        snapshots = await asyncio.gather(*(crawl(u, config) for u in urls))
        return sum(s.stats.pages_fetched for s in snapshots), sum(len(s.links) for s in snapshots)

    pages, links = asyncio.run(all_sites())
    print(json.dumps({"pages": pages, "links": links}))


def run_engine(scenario: str, proxy: str, urls: list[str], concurrency: int) -> Run:
    command = [sys.executable, __file__, "--engine-worker", proxy, str(concurrency), *urls]
    out, seconds, cpu, peak = measured(command, dict(os.environ))
    result = json.loads(out.strip().splitlines()[-1])
    return Run("govsite engine", scenario, result["pages"], result["links"], seconds, cpu, peak)


def run_linkchecker(scenario: str, proxy: str, urls: list[str], concurrency: int) -> Run:
    binary = shutil.which("linkchecker") or str(Path(sys.executable).parent / "linkchecker")
    with tempfile.TemporaryDirectory() as folder:
        rc = Path(folder) / "linkcheckerrc"
        rc.write_text(f"[checking]\nthreads={concurrency}\nmaxrequestspersecond=100000\ntimeout=10\n")
        command = [binary, "-f", str(rc), "--no-status", "-o", "text", "--check-extern", "-r", "-1", *urls]
        env = {**os.environ, "http_proxy": proxy, "HOME": folder}
        out, seconds, cpu, peak = measured(command, env, ok=(0, 1))  # 1: it found broken links
    checked = re.search(r"(\d+) links? in (\d+) URLs? checked", out)
    html = re.search(r"Content types: \d+ image, (\d+) text", out)
    if not checked or not html:
        raise RuntimeError(f"LinkChecker printed no summary:\n{out[-2000:]}")
    undecodable = out.count("could not get content")
    note = f"{undecodable} pages it could not decode" if undecodable else ""
    return Run("LinkChecker", scenario, int(html.group(1)), int(checked.group(2)), seconds, cpu, peak, note)


def fleet_sites(items: int | None) -> list[tuple[str, bool]]:
    """(URL, LinkChecker-friendly) of every site of the generated fleet."""
    from govsite.samples.generate import build_world

    world = build_world(1, AS_OF, items)
    return [
        (s.url, s.charset == "utf-8" and s.charset_in_header and s.home_redirect in ("none", "http"))
        for s in world.sites.values()
        if s.availability == "ok"
    ]


def largest_friendly_site(items: int) -> tuple[str, int]:
    from govsite.samples import urls
    from govsite.samples.generate import build_world

    world = build_world(1, AS_OF, items)
    friendly = [
        s
        for s in world.sites.values()
        if s.availability == "ok"
        and s.charset == "utf-8"
        and s.charset_in_header
        and s.home_redirect in ("none", "http")
    ]
    site = max(friendly, key=lambda s: sum(c.count for c in s.columns.values()))
    pages = sum((c.count + urls.pages(site, c)) if c.has_items else 1 for c in site.columns.values()) + 1
    return site.url, pages


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--engine-worker":
        engine_worker(sys.argv[2], sys.argv[4:], int(sys.argv[3]))
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--concurrency", type=int, default=8, help="total and per-host concurrency of both crawlers")
    parser.add_argument("--large-items", type=int, default=900, help="items per column of the large site")
    parser.add_argument("--skip-linkchecker", action="store_true")
    args = parser.parse_args()
    runs: list[Run] = []

    fleet, proxy = start_fleet(None)
    try:
        urls = [u for u, _ in fleet_sites(None)]
        runs.append(run_engine("(a) whole fleet", proxy, urls, args.concurrency))
        if not args.skip_linkchecker:
            runs.append(run_linkchecker("(a) whole fleet", proxy, urls, args.concurrency))
    finally:
        fleet.terminate()
        fleet.wait()

    large_url, large_pages = largest_friendly_site(args.large_items)
    fleet, proxy = start_fleet(args.large_items)
    try:
        scenario = f"(b) {large_url} ({large_pages} pages)"
        runs.append(run_engine(scenario, proxy, [large_url], args.concurrency))
        if not args.skip_linkchecker:
            runs.append(run_linkchecker(scenario, proxy, [large_url], args.concurrency))
    finally:
        fleet.terminate()
        fleet.wait()

    print(f"concurrency {args.concurrency} (total and per host), {os.cpu_count()} cores, fleet in its own process")
    header = f"{'scenario':<52} {'crawler':<15} {'pages':>6} {'links':>6} {'s':>7} {'pages/s':>8} {'links/s':>8} {'CPU ms/page':>11} {'peak MB':>8}"
    print(header)
    for r in runs:
        peak = f"{r.peak_mb:.0f}"
        print(
            f"{r.scenario:<52} {r.crawler:<15} {r.pages:>6} {r.links:>6} {r.seconds:>7.1f} {r.pages / r.seconds:>8.0f}"
            f" {r.links / r.seconds:>8.0f} {r.cpu / max(r.pages, 1) * 1000:>11.2f} {peak:>8} {r.note}"
        )
    by = {(r.scenario, r.crawler): r for r in runs}
    for scenario in dict.fromkeys(r.scenario for r in runs):
        ours, theirs = by.get((scenario, "govsite engine")), by.get((scenario, "LinkChecker"))
        if ours and theirs:
            print(
                f"{scenario}: engine/LinkChecker throughput {ours.links / ours.seconds / (theirs.links / theirs.seconds):.1f}x (links/s), "
                f"{ours.pages / ours.seconds / (theirs.pages / theirs.seconds):.1f}x (pages/s)"
            )


if __name__ == "__main__":
    main()
