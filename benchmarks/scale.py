"""Distributed scanning and monitoring at scale, measured: a census of N registry sites
scanned by 1, 2 and 4 Celery worker processes, and one monitoring round over them.

The registry holds N distinct fictional sites on N hosts of their own: the sample
generator makes ⌈N / 37⌉ provinces' worth of sites from one seed
(``build_world(copies=…)``: each copy has its own hosts, codes, templates, content and
defects), and the fleet, in its own process, serves them all (``govsite samples serve
--copies``). So every site gets its own per-host pace (0.5 s between requests, 2 at once
by default), as real distinct sites would. The fleet's CPU share of each run is printed,
to show it is not the bottleneck. For each worker count: a fresh census of the N sites is
queued (`govsite campaign run`, distributed mode) and timed until every site is closed;
each worker's CPU time and peak memory are read from the kernel (/proc) before it is
stopped. One monitoring round (first, as it takes seconds) probes all N homepages in this
process.

    .venv/bin/python benchmarks/scale.py [--sites 1000] [--workers 1 2 4] [--threads 16]
                                          [--min-interval 0.5] [--seed 1] [--broker URL]

Each row is printed as soon as its run ends, so a long run that is stopped keeps the rows
it finished; `kill PID` (SIGTERM) stops it and its workers and cleans up. Needs a broker
(Redis or RabbitMQ); uses PostgreSQL when one answers at 127.0.0.1:5432, else a SQLite
file. Without ``--broker`` it takes the first empty Redis
database (15 down to 1) at 127.0.0.1:6379 for itself. It leaves nothing behind: its
PostgreSQL database is dropped, on Redis every key that was not there when it started is
deleted at the end, on RabbitMQ its queue is deleted; its evidence folder is removed.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from govsite.samples.child import fleet_process
from govsite.samples.generate import build_world
from govsite.samples.services import answers

PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
CLK_TCK = os.sysconf("SC_CLK_TCK")


@dataclass
class Run:
    workers: int
    sites: int
    pages: int
    seconds: float
    cpu: list[float]  # seconds per worker
    peak_mb: list[float]  # per worker
    fleet_cpu: float  # seconds the fleet process spent serving this run
    load: float  # 1-minute load average when the row was taken

    def row(self) -> str:
        cpu_ms_page = 1000 * sum(self.cpu) / max(self.pages, 1)
        return (
            f"| {self.workers} | {self.sites} | {self.pages} | {self.seconds:.0f} | {60 * self.sites / self.seconds:.1f} "
            f"| {self.pages / self.seconds:.1f} | {cpu_ms_page:.1f} | {max(self.peak_mb):.0f} "
            f"| {100 * self.fleet_cpu / self.seconds:.0f} % | {self.load:.1f} |"
        )


def own_redis_db() -> str:
    """The URL of the first empty Redis database, 15 down to 1 (0 is everyone's default)."""
    import redis

    for db in range(15, 0, -1):
        if not redis.Redis(host="127.0.0.1", port=6379, db=db).dbsize():
            return f"redis://127.0.0.1:6379/{db}"
    raise SystemExit("no empty Redis database at 127.0.0.1:6379: pass --broker")


def broker_keys(url: str) -> set[bytes]:
    """The keys in the broker's Redis database (empty for any other broker)."""
    if not url.startswith("redis"):
        return set()
    import redis

    return set(redis.Redis.from_url(url).scan_iter(count=1000))


def clean_broker(url: str, queue: str, before: set[bytes]) -> int:
    """Delete what this run left in the broker: on Redis every key that was not there
    before it (the queue, kombu's bindings, unacked bookkeeping), on RabbitMQ the queue.
    Returns the number of Redis keys deleted."""
    if url.startswith("redis"):
        import redis

        client = redis.Redis.from_url(url)
        left = [key for key in client.scan_iter(count=1000) if key not in before]
        for start in range(0, len(left), 500):
            client.delete(*left[start : start + 500])
        return len(left)
    from kombu import Connection

    with Connection(url) as conn:
        conn.default_channel.queue_delete(queue)
    return 0


def proc_usage(pid: int) -> tuple[float, float]:
    """CPU seconds (user + system, threads included) and peak resident MB of a live process."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / CLK_TCK
    status = Path(f"/proc/{pid}/status").read_text()
    peak = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:"))
    return cpu, peak / 1024


def govsite(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "govsite", *args], capture_output=True, text=True, env=env, check=False
    )
    if done.returncode:
        raise RuntimeError(f"govsite {' '.join(args)} failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return done.stdout


def copies_for(sites: int) -> int:
    """How many provinces' worth of sites the generator makes for ``sites`` sites."""
    return math.ceil(sites / len(build_world(1, date.today()).sites))


def registry(env: dict[str, str], sites: int, seed: int, copies: int) -> None:
    """The first ``sites`` sites of the world the fleet serves, in the registry."""
    os.environ.update(env)
    from govsite.platform.bootstrap import setup

    setup(migrate=True)
    from govsite.platform.registry.samples import load_sample_province

    world = build_world(seed, date.today(), copies=copies)
    world.sites = dict(list(world.sites.items())[:sites])
    load_sample_province(world)


def census(env: dict[str, str], workers: int, threads: int, folder: Path, fleet: int) -> Run:
    out = govsite(env, "campaign", "create", "--name", f"scale-{workers}", "--kind", "census", "--region", "390000",
                  "--ratio", "1")  # fmt: skip
    campaign = int(re.search(r"campaign (\d+)", out).group(1))  # type: ignore[union-attr]
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "govsite",
                "worker",
                "-P",
                "threads",
                "-c",
                str(threads),
                "-n",
                f"w{i}-{workers}@%h",
                "--without-mingle",
                "--without-gossip",
                "-l",
                "WARNING",
                "--logfile",
                str(folder / f"w{i}-{workers}.log"),
            ],
            env=env,
        )
        for i in range(workers)
    ]
    run: subprocess.Popen[str] | None = None
    try:
        time.sleep(3)  # workers connect before the clock starts
        started = time.perf_counter()
        fleet_before = proc_usage(fleet)[0]
        run = subprocess.Popen([sys.executable, "-m", "govsite", "campaign", "run", str(campaign)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)  # fmt: skip
        assert run.stderr is not None
        for line in run.stderr:  # "[n/total] code name: verdict", one per closed site
            done = re.match(r"\[(\d+)/(\d+)\]", line)
            if done and int(done.group(1)) % 100 == 0:  # a stopped run keeps its rate so far
                fleet_cpu = proc_usage(fleet)[0] - fleet_before
                part = measured(campaign, workers, time.perf_counter() - started, fleet_cpu, procs)
                print(f"  so far {part.row()}", flush=True)
        if run.wait():
            raise RuntimeError(f"govsite campaign run {campaign} failed")
        seconds = time.perf_counter() - started
        usage = [proc_usage(p.pid) for p in procs]
        fleet_cpu = proc_usage(fleet)[0] - fleet_before
    finally:
        if run is not None and run.poll() is None:  # stopped early: the queuing command goes too
            run.terminate()
        for p in procs:
            p.send_signal(signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
    return measured(campaign, workers, seconds, fleet_cpu, usage=usage)


def measured(
    campaign: int, workers: int, seconds: float, fleet_cpu: float, procs: list[subprocess.Popen[bytes]] | None = None,
    usage: list[tuple[float, float]] | None = None,
) -> Run:  # fmt: skip
    """The campaign's closed sites and their pages, with the workers' usage (read now from
    ``procs``, or as given) and the fleet's CPU seconds over the same time."""
    from govsite.platform.campaigns.models import CampaignSite

    closed = CampaignSite.objects.filter(campaign_id=campaign).exclude(
        state__in=[CampaignSite.State.PENDING, CampaignSite.State.RUNNING]
    )
    pages = sum((r or {}).get("stats", {}).get("pages_fetched", 0) for r in closed.values_list("result", flat=True))
    usage = usage if usage is not None else [proc_usage(p.pid) for p in procs or []]
    return Run(workers, closed.count(), pages, seconds, [u[0] for u in usage], [u[1] for u in usage], fleet_cpu,
               os.getloadavg()[0])  # fmt: skip


def monitor_round() -> tuple[int, float, float]:
    from django.utils import timezone

    from govsite.platform.monitor import runner

    before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    probed = runner.run_due(timezone.now())
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return probed, seconds, cpu


def _stop(signum: int, frame: object) -> None:
    raise SystemExit(f"stopped by signal {signum}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sites", type=int, default=1000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--threads", type=int, default=16, help="sites each worker scans at once")
    parser.add_argument("--min-interval", type=float, default=0.5, help="seconds between requests to one host")
    parser.add_argument("--seed", type=int, default=1, help="the seed the fleet's sites are generated from")
    parser.add_argument("--broker", help="redis://… or amqp://… (default: an empty Redis database of its own)")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, _stop)  # `kill PID` cleans up as Ctrl-C does (nohup leaves SIGINT ignored)
    broker = args.broker or own_redis_db()
    queue = f"govsite-scale-{os.getpid()}"
    keys_before = broker_keys(broker)
    folder = Path(tempfile.mkdtemp(prefix="govsite-scale-"))
    stack = ExitStack()
    copies = copies_for(args.sites)
    fleet, proxy = stack.enter_context(
        fleet_process("--slow-seconds", "2", "--seed", str(args.seed), "--copies", str(copies))
    )
    database = f"sqlite:///{folder / 'scale.sqlite3'}"
    pg_name = f"govsite_scale_{os.getpid()}"
    if answers(PG_ADMIN, 5432):
        import psycopg

        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{pg_name}"')
        database = PG_ADMIN.rsplit("/", 1)[0] + f"/{pg_name}"
    env = {**os.environ, "GOVSITE_DATABASE_URL": database, "GOVSITE_EXECUTOR": "celery", "GOVSITE_BROKER_URL": broker,
           "GOVSITE_QUEUE": queue, "GOVSITE_MAX_SCANS": str(args.threads), "GOVSITE_PROXY": proxy, "GOVSITE_DATA_DIR": str(folder),
           "GOVSITE_MIN_INTERVAL": str(args.min_interval), "GOVSITE_LANG": "en",
           "GOVSITE_MONITOR_TIMEOUT": "5", "GOVSITE_PROXY_RESOLVES_SAFELY": "1"}  # fmt: skip
    print(f"{args.sites} distinct sites ({copies} copies of the province, seed {args.seed}), "
          f"database {database.split(':', 1)[0]}, broker {broker}, {args.threads} sites at once "
          f"per worker, min interval {args.min_interval} s, {os.cpu_count()} CPUs", flush=True)  # fmt: skip
    runs: list[Run] = []
    try:
        registry(env, args.sites, args.seed, copies)
        probed, seconds, cpu = monitor_round()  # first: it takes seconds, the censuses take hours
        print(f"monitor: {probed} homepages probed in {seconds:.1f} s = {probed / seconds:.0f} probes/s, "
              f"{1000 * cpu / max(probed, 1):.2f} CPU ms/probe", flush=True)  # fmt: skip
        print()
        print(
            "| workers | sites | pages | seconds | sites/min | pages/s | CPU ms/page | peak MB/worker | fleet CPU | load |"
        )
        print("|---|---|---|---|---|---|---|---|---|---|", flush=True)
        for workers in args.workers:
            runs.append(census(env, workers, args.threads, folder, fleet.pid))
            print(runs[-1].row(), flush=True)
        print(json.dumps({"runs": [run.__dict__ for run in runs], "monitor": [probed, seconds, cpu]}))
    finally:
        print(f"broker: {clean_broker(broker, queue, keys_before)} keys of this run deleted", flush=True)
        stack.close()
        shutil.rmtree(folder, ignore_errors=True)
        if database.startswith("postgres"):
            from django.db import connections

            connections.close_all()
            import psycopg

            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
