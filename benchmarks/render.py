"""Rendering measured: what a rendered page costs, how many fleet pages need it, and what
the decision costs a scan of a plain site.

1. Rendered fetches: the scripted fleet's list pages rendered one after another and
   ``--pages-at-once`` at a time in one chromium: pages per second (wall), CPU seconds per
   page (this process and chromium's processes, from /proc), peak memory (this process's
   RSS plus every chromium process's, sampled every 0.1 s).
2. Share rendered: every site of the scripted fleet crawled (columns, articles and
   messages; link checks off), the share of its fetched pages that needed rendering.
3. Slowdown of a plain site: one plain site scanned ``--repeat`` times (the median CPU
   seconds of a scan), and the CPU the render decision (``engine/scripted.py``) takes on
   every page of that scan, timed apart on the pages as archived; a plain site's pages
   never need rendering, so the decision is all that rendering adds to its scan.

The fleet runs in its own process (``govsite samples serve --scripted``) so its work is
not counted. The machine may be shared: CPU seconds are the figure to compare.

    .venv/bin/python benchmarks/render.py [--pages 30] [--pages-at-once 2] [--repeat 5]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import statistics
import sys
import tempfile
import threading
import time
from datetime import date, datetime
from pathlib import Path

from govsite.engine import CST, EngineConfig, charset, crawl, load_profile, scan
from govsite.engine.fetch import Fetched, Fetcher
from govsite.engine.html import parse
from govsite.engine.render import RENDERED, Browser, render
from govsite.engine.scripted import reason
from govsite.engine.transport import LiveTransport, ReplayTransport
from govsite.samples.child import fleet_process
from govsite.samples.generate import build_world
from govsite.samples.manifest import manifest

AS_OF = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 10, tzinfo=CST)
TICK = os.sysconf("SC_CLK_TCK")


def config(proxy: str, **changes: object) -> EngineConfig:
    fast = {"proxy_resolves_safely": True, "min_interval": 0, "per_host_concurrency": 8, "retries": (0.05,),
            "homepage_timeout": 5, "probe_interval": 0, "as_of": NOW}  # fmt: skip
    return EngineConfig(proxy=proxy, **{**fast, **changes})  # type: ignore[arg-type]


def chromium_pids() -> list[int]:
    """This process's chromium descendants (the browser and its renderer processes)."""
    found, frontier = [], [os.getpid()]
    while frontier:
        parent = frontier.pop()
        try:
            children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
        except OSError:
            continue
        for child in map(int, children):
            frontier.append(child)
            try:
                if "chrom" in Path(f"/proc/{child}/comm").read_text():
                    found.append(child)
            except OSError:
                pass
    return found


def cpu_and_pss(pid: int) -> tuple[float, int]:
    """A process's CPU seconds and its proportional set size (shared pages split between
    the processes sharing them, so chromium's processes add up to what they really hold)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0.0, 0
    pss = next((int(line.split()[1]) * 1024 for line in rollup.splitlines() if line.startswith("Pss:")), 0)
    return (int(fields[11]) + int(fields[12])) / TICK, pss


class Sampler:
    """Peak of this process's PSS plus chromium's, and chromium's CPU, sampled every 0.1 s."""

    def __init__(self) -> None:
        self.peak = 0
        self.chromium_cpu: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            pids = chromium_pids()
            total = 0
            for pid in [*pids, os.getpid()]:
                cpu, pss = cpu_and_pss(pid)
                if pid != os.getpid():
                    self.chromium_cpu[pid] = max(self.chromium_cpu.get(pid, 0.0), cpu)
                total += pss
            self.peak = max(self.peak, total)
            self._stop.wait(0.1)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def rendered_fetches(proxy: str, pages: int, at_once: int) -> dict[str, float]:
    """Render the scripted sites' list pages ``pages`` times, ``at_once`` at a time."""
    world = build_world(1, AS_OF, scripted=True)
    urls = [c["url"] for s in manifest(world)["sites"] if s["script"] for c in s["columns"] if c["kind"] == "list"]
    cfg = config(proxy)
    transport = LiveTransport(cfg, None)
    fetcher = Fetcher(transport, cfg)
    fetched = [await fetcher.get(u) for u in urls]
    work = [fetched[n % len(fetched)] for n in range(pages)]
    browser = Browser(cfg.browser, pages=at_once)
    await render(browser, fetcher, work[0].final_url, work[0].text or "", 30)  # start the browser: not timed
    gate = asyncio.Semaphore(at_once)
    outcomes: list[str] = []

    async def one(page: Fetched) -> None:
        async with gate:
            got = await render(browser, fetcher, page.final_url, page.text or "", 30)
            outcomes.append(got.outcome)

    with Sampler() as sampler:
        before = own_cpu()
        started = time.perf_counter()
        await asyncio.gather(*(one(p) for p in work))
        wall = time.perf_counter() - started
        mine = own_cpu() - before
    await browser.close()
    await transport.close()
    return {
        "pages": pages,
        "rendered": outcomes.count(RENDERED),
        "pages_per_s": pages / wall,
        "cpu_per_page": (mine + sum(sampler.chromium_cpu.values())) / pages,
        "peak_mb": sampler.peak / 2**20,
    }


async def share_rendered(proxy: str) -> tuple[int, int, int]:
    """Pages fetched and pages that needed rendering over the whole scripted fleet; sites."""
    world = build_world(1, AS_OF, scripted=True)
    cfg = config(proxy, check_links=False, availability_probes=0)
    browser = Browser(cfg.browser, pages=2)
    gate = asyncio.Semaphore(4)

    async def one(url: str) -> tuple[int, int]:
        async with gate:
            snapshot = await crawl(url, cfg, browser=browser)
        return len(snapshot.pages), sum(1 for p in snapshot.pages if p.render)

    try:
        counts = await asyncio.gather(*(one(s.url) for s in world.sites.values()))
    finally:
        await browser.close()
    return sum(c[0] for c in counts), sum(c[1] for c in counts), len(counts)


async def plain_scan(proxy: str, host: str, repeat: int, folder: Path) -> tuple[float, float, float, int]:
    """Median wall and CPU seconds of a scan of the plain site ``host``; the CPU seconds the
    render decision takes on that scan's pages, and how many pages it judged."""
    cfg = config(proxy)
    profile = load_profile("inspection-2019")
    walls, cpus = [], []
    for n in range(repeat):
        before, started = own_cpu(), time.perf_counter()
        result = await scan(f"http://{host}/", cfg, profile=profile, warc=folder / f"plain-{n}.warc.gz")
        walls.append(time.perf_counter() - started)
        cpus.append(own_cpu() - before)
    snapshot = await crawl(None, replay=Path(result.warc or ""))
    archive = ReplayTransport(Path(result.warc or ""))
    judged = []
    for page in snapshot.pages:
        raw = archive.response(page.record_id) if page.record_id else None
        if raw is None or page.outcome != "ok" or "html" not in page.content_type:
            continue
        text, _ = charset.decode(raw.body, raw.header("Content-Type") or "")
        judged.append((text, parse(text, page.final_url, page.kind == "home"), page.kind))
    rounds = 20
    before = own_cpu()
    for _ in range(rounds):
        for text, parsed, kind in judged:
            reason(text, parsed, kind)
    decision = (own_cpu() - before) / rounds
    return statistics.median(walls), statistics.median(cpus), decision, len(judged)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=30, help="rendered fetches timed")
    parser.add_argument("--pages-at-once", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=5, help="scans of the plain site")
    parser.add_argument("--plain-site", default="www.huachuan.gov.cn")
    args = parser.parse_args()
    if not Path(EngineConfig.browser).exists():
        sys.exit(f"no chromium at {EngineConfig.browser}: nothing to measure")
    with fleet_process("--as-of", AS_OF.isoformat(), "--slow-seconds", "2", "--scripted") as (_, proxy):
        load = os.getloadavg()[0]
        rendered = asyncio.run(rendered_fetches(proxy, args.pages, args.pages_at_once))
        pages, needed, sites = asyncio.run(share_rendered(proxy))
        with tempfile.TemporaryDirectory() as folder:
            wall, cpu, decision, judged = asyncio.run(plain_scan(proxy, args.plain_site, args.repeat, Path(folder)))
    print(f"load average at start: {load:.1f} on {os.cpu_count()} CPUs (wall-clock figures are distorted when high)")
    print()
    print("| rendered fetches | pages | rendered | pages/s | CPU s/page | peak MB (PSS) |")
    print("|---|---|---|---|---|---|")
    print(f"| {args.pages_at_once} at once | {rendered['pages']:.0f} | {rendered['rendered']:.0f} | "
          f"{rendered['pages_per_s']:.2f} | {rendered['cpu_per_page']:.3f} | {rendered['peak_mb']:.0f} |")  # fmt: skip
    print()
    print("| scripted fleet | sites | pages fetched | needed rendering | share |")
    print("|---|---|---|---|---|")
    print(f"| seed 1 | {sites} | {pages} | {needed} | {needed / pages:.1%} |")
    print()
    print(f"| plain site {args.plain_site} | scan wall s | scan CPU s | pages judged | decision CPU s | slowdown |")
    print("|---|---|---|---|---|---|")
    print(f"| median of {args.repeat} | {wall:.2f} | {cpu:.2f} | {judged} | {decision:.4f} | "
          f"{decision / (cpu - decision):.2%} |")  # fmt: skip


if __name__ == "__main__":
    main()
