"""The engine's full-site crawl (``govsite crawl --full``) against LinkChecker's, on the
same sites, side by side, both through their command lines.

Scenarios: (a) 30 small sites of the fleet, crawled one after another (a process per
site for each crawler: per-site fixed costs count); (b) one generated site of over
10,000 pages. The fleet runs in its own process and adds ``--latency`` (30 ms) to every
answer, as a remote server has; each crawler runs in child processes, so CPU time and
peak memory are their own (the kernel's accounting). Both crawl everything they can
reach: the engine with ``--full``, LinkChecker recursively with --check-extern. The
per-host concurrency is the same for both (LinkChecker's threads; the engine's
--per-host-concurrency), neither pauses between requests (the fleet sends LinkChecker's
opt-out of its built-in throttle). The machine may be shared: CPU ms per page are
printed beside wall time.

    .venv/bin/python benchmarks/crawl.py [--concurrency 8] [--large-items 900] [--sites 30] [--skip-linkchecker]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from govsite.samples.child import fleet_process

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


def fleet_options(items: int | None, latency: float) -> list[str]:
    options = ["--as-of", AS_OF.isoformat(), "--linkchecker-unthrottled", "--slow-seconds", "2"]
    return options + ["--latency", str(latency)] + (["--items-per-column", str(items)] if items else [])


def measured(
    command: list[str], env: dict[str, str], ok: tuple[int, ...] = (0,), merge: bool = True
) -> tuple[str, float, float, float]:
    """Run a child; its output, wall seconds, and its own CPU seconds and peak RSS (MB)."""
    started = time.perf_counter()
    errors = subprocess.STDOUT if merge else subprocess.DEVNULL
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=errors, text=True, env=env)
    assert child.stdout is not None
    out = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)  # this child's own accounting
    child.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    if child.returncode not in ok:
        raise RuntimeError(f"{command[0]} failed ({child.returncode}):\n{out[-3000:]}")
    return out, seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def run_engine(scenario: str, proxy: str, urls: list[str], concurrency: int) -> Run:
    """``govsite crawl --full`` once per site, one after another."""
    total = Run("govsite --full", scenario, 0, 0, 0.0, 0.0, 0.0)
    with tempfile.TemporaryDirectory() as folder:
        for url in urls:
            command = [sys.executable, "-m", "govsite", "crawl", url, "--full", "--format", "json", "--proxy", proxy,
                       "--proxy-resolves-safely", "--per-host-concurrency", str(concurrency), "--min-interval", "0",
                       "--as-of", AS_OF.isoformat(), "--warc", folder]  # fmt: skip
            out, seconds, cpu, peak = measured(command, {**os.environ, "GOVSITE_LANG": "en"}, merge=False)
            stats = json.loads(out)["stats"]
            total.pages += stats["pages_fetched"]
            total.links += stats["links_checked"]
            total.seconds += seconds
            total.cpu += cpu
            total.peak_mb = max(total.peak_mb, peak)
            if stats["limits_hit"]:
                total.note = f"limits hit: {','.join(stats['limits_hit'])}"
    return total


def run_linkchecker(scenario: str, proxy: str, urls: list[str], concurrency: int) -> Run:
    """LinkChecker once per site, one after another."""
    binary = shutil.which("linkchecker") or str(Path(sys.executable).parent / "linkchecker")
    total = Run("LinkChecker", scenario, 0, 0, 0.0, 0.0, 0.0)
    undecodable = 0
    with tempfile.TemporaryDirectory() as folder:
        rc = Path(folder) / "linkcheckerrc"
        rc.write_text(f"[checking]\nthreads={concurrency}\nmaxrequestspersecond=100000\ntimeout=10\n")
        env = {**os.environ, "http_proxy": proxy, "HOME": folder}
        for url in urls:
            command = [binary, "-f", str(rc), "--no-status", "-o", "text", "--check-extern", "-r", "-1", url]
            out, seconds, cpu, peak = measured(command, env, ok=(0, 1))  # 1: it found broken links
            checked = re.search(r"(\d+) links? in (\d+) URLs? checked", out)
            html = re.search(r"Content types: \d+ image, (\d+) text", out)
            if not checked or not html:
                raise RuntimeError(f"LinkChecker printed no summary:\n{out[-2000:]}")
            undecodable += out.count("could not get content")
            total.pages += int(html.group(1))
            total.links += int(checked.group(2))
            total.seconds += seconds
            total.cpu += cpu
            total.peak_mb = max(total.peak_mb, peak)
    total.note = f"{undecodable} pages it could not decode" if undecodable else ""
    return total


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
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--concurrency", type=int, default=8, help="per-host concurrency of both crawlers")
    parser.add_argument("--large-items", type=int, default=900, help="items per column of the large site")
    parser.add_argument("--sites", type=int, default=30, help="small sites crawled one after another")
    parser.add_argument("--latency", type=float, default=0.03, help="seconds the fleet adds to each answer")
    parser.add_argument("--skip-linkchecker", action="store_true")
    parser.add_argument("--only", choices=["small", "large"], default=None)
    args = parser.parse_args()
    runs: list[Run] = []

    if args.only in (None, "small"):
        with fleet_process(*fleet_options(None, args.latency)) as (_, proxy):
            # LinkChecker reads neither meta/script redirects nor a charset given only in the
            # page: the sites it can crawl, taken in turn until --sites crawls
            friendly = [u for u, ok in fleet_sites(None) if ok]
            urls = [friendly[n % len(friendly)] for n in range(args.sites)]
            scenario = f"(a) {len(urls)} crawls of {len(friendly)} small site(s), in turn"
            runs.append(run_engine(scenario, proxy, urls, args.concurrency))
            if not args.skip_linkchecker:
                runs.append(run_linkchecker(scenario, proxy, urls, args.concurrency))

    if args.only in (None, "large"):
        large_url, large_pages = largest_friendly_site(args.large_items)
        with fleet_process(*fleet_options(args.large_items, args.latency)) as (_, proxy):
            scenario = f"(b) {large_url} ({large_pages} pages)"
            runs.append(run_engine(scenario, proxy, [large_url], args.concurrency))
            if not args.skip_linkchecker:
                runs.append(run_linkchecker(scenario, proxy, [large_url], args.concurrency))

    print(f"per-host concurrency {args.concurrency}, {args.latency * 1000:.0f} ms added per answer, "
          f"{os.cpu_count()} cores (shared: CPU ms/page is the crawler's own), fleet in its own process")  # fmt: skip
    header = f"{'scenario':<52} {'crawler':<15} {'pages':>6} {'links':>6} {'s':>7} {'pages/s':>8} {'links/s':>8} {'CPU ms/page':>11} {'peak MB':>8}"
    print(header)
    for r in runs:
        peak = f"{r.peak_mb:.0f}"
        print(
            f"{r.scenario:<52} {r.crawler:<15} {r.pages:>6} {r.links:>6} {r.seconds:>7.1f} {r.pages / r.seconds:>8.1f}"
            f" {r.links / r.seconds:>8.1f} {r.cpu / max(r.pages, 1) * 1000:>11.2f} {peak:>8} {r.note}"
        )
    by = {(r.scenario, r.crawler): r for r in runs}
    for scenario in dict.fromkeys(r.scenario for r in runs):
        ours, theirs = by.get((scenario, "govsite --full")), by.get((scenario, "LinkChecker"))
        if ours and theirs:
            print(
                f"{scenario}: engine/LinkChecker {ours.pages / ours.seconds / (theirs.pages / theirs.seconds):.1f}x pages/s, "
                f"{ours.links / ours.seconds / (theirs.links / theirs.seconds):.1f}x links/s, "
                f"{(theirs.cpu / max(theirs.pages, 1)) / (ours.cpu / max(ours.pages, 1)):.1f}x less CPU per page"
            )


if __name__ == "__main__":
    main()
