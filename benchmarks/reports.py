"""How many error reports the platform accepts per second, and what each costs in CPU,
with the platform started as the README does (``govsite serve``: waitress, a real
database) — on SQLite (the embedded default) and on PostgreSQL when one answers, with one
serving process (the default) and with two (``govsite serve --processes 2``, the
distributed deployment: ``GOVSITE_EXECUTOR=celery``, ``GOVSITE_MONITOR=0``).

Each client is a browser: it loads the form, answers the question and posts it
(multipart, CSRF cookie). Prints, per database and number of serving processes, twice —
each browser loading a form and posting it in turn ("form + post"), and all forms loaded
first, then only the posts timed ("posts only", as people read a form before sending it) —
the reports accepted, lost, seconds, accepted/s, the CPU time per accepted report of the
server's processes (from /proc) and of the load generator, and the post's p50/p95 latency.
Target: ≥ 200 accepted/s on 2 cores with 0 lost. The load generator runs on the same
machine and takes its share of the CPU; on a shared, busy machine the rates say little and
the CPU columns are the figures to compare. Leaves nothing behind: temporary directories,
the PostgreSQL database it creates (dropped), the servers (stopped, also on SIGTERM).

    .venv/bin/python benchmarks/reports.py [--reports 2000] [--clients 20] [--threads 8] [--processes 1 2]
    .venv/bin/python benchmarks/reports.py --in-process [--reports 500]
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from govsite.platform.jiucuo.loadgen import Platform, run, stored

SITES = ["3904000001", "3901000001", "3901210001", "3900000001"]
POSTGRES = os.environ.get("GOVSITE_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/govsite")


def postgres_database() -> str | None:
    try:
        import psycopg

        server, name = POSTGRES.rsplit("/", 1)[0], f"govsite_bench_{os.getpid()}"
        with psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=2) as db:
            db.execute(f"DROP DATABASE IF EXISTS {name}")
            db.execute(f"CREATE DATABASE {name}")
        return f"{server}/{name}"
    except Exception as exc:
        print(f"PostgreSQL skipped: {exc}", file=sys.stderr)
        return None


def drop(url: str) -> None:
    import psycopg

    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as db:
        db.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def measure(name: str, url: str, data_dir: Path, args: argparse.Namespace, processes: int) -> list[list[str]]:
    env = {**os.environ, "GOVSITE_DATA_DIR": str(data_dir), "GOVSITE_DATABASE_URL": url,
           "GOVSITE_JIUCUO_RATE_LIMIT": f"{args.reports * 3 + 100}/3600", "GOVSITE_DEBUG": "0",
           "GOVSITE_SECRET_KEY": "benchmark-only-secret-key-not-for-production"}  # fmt: skip
    if processes > 1:  # only the distributed deployment serves from several processes (docs/deployment.md)
        env |= {"GOVSITE_EXECUTOR": "celery", "GOVSITE_MONITOR": "0"}
    with Platform(env, threads=args.threads, processes=processes) as platform:
        run(platform.url, SITES, 40, 4)  # warm up: imports, connections, templates
        rows = []
        for label, forms_first in (("form + post", False), ("posts only", True)):
            before = len(stored(url))
            clocks: list[tuple[float | None, float]] = []

            def timing(clocks: list[tuple[float | None, float]] = clocks) -> None:
                clocks.append((platform.cpu_seconds(), time.process_time()))

            outcome, seconds = run(platform.url, SITES, args.reports, args.clients, forms_first=forms_first,
                                   timing=timing)  # fmt: skip
            server, client = platform.cpu_seconds(), time.process_time()
            accepted = len(outcome.accepted)
            lost = accepted - (len(stored(url)) - before) + len(outcome.failures)
            latencies = sorted(outcome.latencies) or [0.0]
            p95 = latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))]
            server_ms = "n/a" if server is None or clocks[0][0] is None else per(server - clocks[0][0], accepted)
            rows.append([name, str(processes), label, str(accepted), str(lost), f"{seconds:.1f}",
                         f"{accepted / seconds:.0f}", server_ms, per(client - clocks[0][1], accepted),
                         f"{statistics.median(latencies) * 1000:.0f}", f"{p95 * 1000:.0f}"])  # fmt: skip
    return rows


def per(seconds: float, count: int) -> str:
    """Milliseconds per unit, for the CPU columns."""
    return f"{seconds / max(count, 1) * 1000:.2f}"


def in_process(reports: int) -> str:
    """The platform's own cost per report, without HTTP or a load generator: Django's test
    client in this process, one thread, on a fresh SQLite file (the ceiling one serving
    process can reach: its threads share one interpreter lock). CPU time, not wall-clock (on
    a shared machine the clock also counts other processes' turns); and, as figures a busy
    machine cannot distort, the queries and the Python function calls each request makes."""
    import cProfile
    import pstats
    import re

    with tempfile.TemporaryDirectory() as tmp:
        os.environ.update(GOVSITE_DATA_DIR=tmp, GOVSITE_DATABASE_URL=f"sqlite:///{Path(tmp) / 'inproc.sqlite3'}",
                          GOVSITE_JIUCUO_RATE_LIMIT=f"{reports * 3}/3600")  # fmt: skip
        from govsite.platform import bootstrap

        bootstrap.setup(migrate=True)
        from django.db import connection, connections
        from django.test import Client

        from govsite.platform.registry.samples import load_sample_province
        from govsite.samples.generate import build_world

        load_sample_province(build_world(1, date.today()))
        client = Client(HTTP_HOST="127.0.0.1")

        def form(n: int) -> str:
            return client.get(f"/jiucuo/?site={SITES[n % len(SITES)]}").content.decode()

        def post(n: int, page: str) -> None:
            hidden = dict(re.findall(r'name="(form_key|challenge|csrfmiddlewaretoken)" value="([^"]*)"', page))
            a, b = re.search(r"(\d+) \+ (\d+) = \?", page).groups()  # type: ignore[union-attr]
            fields = {**hidden, "answer": str(int(a) + int(b)), "kind": "content",
                      "page_url": "http://x.gov.cn/1.html", "description": f"第 {n} 条：页面有错别字", "contact": ""}  # fmt: skip
            assert client.post(f"/jiucuo/?site={SITES[n % len(SITES)]}", fields).status_code == 200

        got = posted = 0.0
        for n in range(reports):
            started = time.process_time()
            page = form(n)
            got += time.process_time() - started
            started = time.process_time()
            post(n, page)
            posted += time.process_time() - started

        def counted(step: Any) -> tuple[Any, int]:
            """What ``step()`` returns, and the queries it made."""
            seen: list[str] = []

            def count(execute: Any, sql: str, *rest: Any) -> Any:
                seen.append(sql)
                return execute(sql, *rest)

            with connection.execute_wrapper(count):
                return step(), len(seen)

        page, on_form = counted(lambda: form(reports))
        _, on_post = counted(lambda: post(reports, page))
        sample, calls = 50, [0, 0]
        for n in range(reports + 1, reports + 1 + sample):
            for i, step in enumerate((lambda n=n: form(n), None)):
                profile = cProfile.Profile()
                if step is None:
                    profile.runcall(post, n, page)
                else:
                    page = profile.runcall(step)
                calls[i] += sum(row[1] for row in pstats.Stats(profile).stats.values())  # type: ignore[attr-defined]
        connections.close_all()  # before the directory goes
    each = (got + posted) / reports
    return (f"in-process, one thread, SQLite, CPU time: form {got / reports * 1000:.1f} ms + post "
            f"{posted / reports * 1000:.1f} ms = {each * 1000:.1f} ms a report, at most {1 / each:.0f} reports/s "
            f"per serving process\nqueries: form {on_form}, post {on_post}; "
            f"Python function calls: form {calls[0] // sample}, post {calls[1] // sample} (test client included)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--threads", type=int, default=8, help="waitress threads (per serving process)")
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2], help="serving processes, one run each")
    parser.add_argument("--in-process", action="store_true", help="only the platform's own time per report")
    args = parser.parse_args()
    if args.in_process:
        print(in_process(args.reports))
        return
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # killed: still stop the server, drop the database
    rows = [["database", "processes", "measured", "accepted", "lost", "seconds", "accepted/s", "server CPU ms/report",
             "client CPU ms/report", "post p50 ms", "post p95 ms"]]  # fmt: skip
    for processes in args.processes:
        with tempfile.TemporaryDirectory() as tmp:
            rows.extend(measure("SQLite", f"sqlite:///{Path(tmp) / 'bench.sqlite3'}", Path(tmp), args, processes))
    for processes in args.processes:
        url = postgres_database()
        if url is None:
            break
        try:
            with tempfile.TemporaryDirectory() as tmp:
                rows.extend(measure("PostgreSQL", url, Path(tmp), args, processes))
        finally:
            drop(url)
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    print(f"{args.reports} reports, {args.clients} clients, {args.threads} waitress threads a process, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end")  # fmt: skip
    for row in rows:
        print("  ".join(cell.rjust(width) for cell, width in zip(row, widths, strict=True)))


if __name__ == "__main__":
    main()
