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
opt-out of its built-in throttle). The machine may be shared: each site is crawled by
the engine and then by LinkChecker, in turn, so both see the same load; the load average
is printed, CPU ms per page beside wall time, and the fleet's own CPU share while each
crawler ran (near 100 %: the server, not the crawler, sets the pace).

    .venv/bin/python benchmarks/crawl.py [--concurrency 8] [--large-items 900] [--sites 30] [--repeat 1] [--skip-linkchecker]
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
    pages: int = 0
    links: int = 0
    seconds: float = 0.0
    cpu: float = 0.0
    peak_mb: float = 0.0
    fleet_cpu: float = 0.0  # the fleet's CPU seconds while this crawler ran
    note: str = ""

    def add(self, pages: int, links: int, seconds: float, cpu: float, peak_mb: float) -> None:
        self.pages += pages
        self.links += links
        self.seconds += seconds
        self.cpu += cpu
        self.peak_mb = max(self.peak_mb, peak_mb)


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


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a running process (the fleet's, to see it is not the bottleneck)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def engine_once(url: str, proxy: str, concurrency: int, folder: str, total: Run) -> None:
    """``govsite crawl --full`` of one site, added to ``total``."""
    command = [sys.executable, "-m", "govsite", "crawl", url, "--full", "--format", "json", "--proxy", proxy,
               "--proxy-resolves-safely", "--per-host-concurrency", str(concurrency), "--min-interval", "0",
               "--as-of", AS_OF.isoformat(), "--warc", folder]  # fmt: skip
    out, seconds, cpu, peak = measured(command, {**os.environ, "GOVSITE_LANG": "en"}, merge=False)
    stats = json.loads(out)["stats"]
    total.add(stats["pages_fetched"], stats["links_checked"], seconds, cpu, peak)
    if stats["limits_hit"]:
        total.note = f"limits hit: {','.join(stats['limits_hit'])}"


def linkchecker_once(url: str, proxy: str, folder: str, total: Run) -> None:
    """LinkChecker on one site (its settings file in ``folder``), added to ``total``."""
    binary = shutil.which("linkchecker") or str(Path(sys.executable).parent / "linkchecker")
    env = {**os.environ, "http_proxy": proxy, "HOME": folder}
    command = [binary, "-f", str(Path(folder) / "linkcheckerrc"), "--no-status", "-o", "text", "--check-extern", "-r",
               "-1", url]  # fmt: skip
    out, seconds, cpu, peak = measured(command, env, ok=(0, 1))  # 1: it found broken links
    checked = re.search(r"(\d+) links? in (\d+) URLs? checked", out)
    html = re.search(r"Content types: \d+ image, (\d+) text", out)
    if not checked or not html:
        raise RuntimeError(f"LinkChecker printed no summary:\n{out[-2000:]}")
    total.add(int(html.group(1)), int(checked.group(2)), seconds, cpu, peak)
    undecodable = out.count("could not get content")
    if undecodable:
        total.note = f"pages it could not decode: {undecodable}"


def compare(
    scenario: str, fleet: subprocess.Popen[str], proxy: str, urls: list[str], args: argparse.Namespace
) -> list[Run]:
    """Each site crawled by the engine, then by LinkChecker, in turn, under the same load;
    the fleet's own CPU seconds are counted per crawler."""
    ours, theirs = Run("govsite --full", scenario), Run("LinkChecker", scenario)
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "linkcheckerrc").write_text(
            f"[checking]\nthreads={args.concurrency}\nmaxrequestspersecond=100000\ntimeout=10\n"
        )
        for url in urls:
            before = cpu_seconds(fleet.pid)
            engine_once(url, proxy, args.concurrency, folder, ours)
            ours.fleet_cpu += cpu_seconds(fleet.pid) - before
            if not args.skip_linkchecker:
                before = cpu_seconds(fleet.pid)
                linkchecker_once(url, proxy, folder, theirs)
                theirs.fleet_cpu += cpu_seconds(fleet.pid) - before
    return [ours] + ([] if args.skip_linkchecker else [theirs])


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
    parser.add_argument("--repeat", type=int, default=1, help="crawls of the large site by each crawler, in turn")
    args = parser.parse_args()
    runs: list[Run] = []
    load_before = os.getloadavg()

    if args.only in (None, "small"):
        with fleet_process(*fleet_options(None, args.latency)) as (fleet, proxy):
            # LinkChecker reads neither meta/script redirects nor a charset given only in the
            # page: the sites it can crawl, taken in turn until --sites crawls
            friendly = [u for u, ok in fleet_sites(None) if ok]
            urls = [friendly[n % len(friendly)] for n in range(args.sites)]
            scenario = f"(a) {len(urls)} crawls of {len(friendly)} small site(s), in turn"
            runs += compare(scenario, fleet, proxy, urls, args)

    if args.only in (None, "large"):
        large_url, large_pages = largest_friendly_site(args.large_items)
        with fleet_process(*fleet_options(args.large_items, args.latency)) as (fleet, proxy):
            scenario = f"(b) {large_url} ({large_pages} pages)" + (f" x{args.repeat}" if args.repeat > 1 else "")
            runs += compare(scenario, fleet, proxy, [large_url] * args.repeat, args)

    load_after = os.getloadavg()
    print(f"per-host concurrency {args.concurrency}, {args.latency * 1000:.0f} ms added per answer, "
          f"{os.cpu_count()} cores (shared: CPU ms/page is the crawler's own), fleet in its own process; "
          f"load average {load_before[0]:.1f} before, {load_after[0]:.1f} after (1 min), {load_after[2]:.1f} (15 min)")  # fmt: skip
    header = (f"{'scenario':<52} {'crawler':<15} {'pages':>6} {'links':>6} {'s':>7} {'pages/s':>8} {'links/s':>8}"
              f" {'CPU ms/page':>11} {'peak MB':>8} {'fleet CPU %':>11}")  # fmt: skip
    print(header)
    for r in runs:
        print(
            f"{r.scenario:<52} {r.crawler:<15} {r.pages:>6} {r.links:>6} {r.seconds:>7.1f} {r.pages / r.seconds:>8.1f}"
            f" {r.links / r.seconds:>8.1f} {r.cpu / max(r.pages, 1) * 1000:>11.2f} {r.peak_mb:>8.0f}"
            f" {r.fleet_cpu / r.seconds * 100:>11.0f} {r.note}"
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
