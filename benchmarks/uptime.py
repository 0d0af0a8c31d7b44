"""The uptime page at national scale, measured: N sites (default 20,000) with a week of
hourly tallies (one probe an hour, 24 a day, about 2 % of them down) generated in a
throwaway database, then the page's figures and the page itself timed for an
administrator, who sees every site.

    .venv/bin/python benchmarks/uptime.py [--sites 20000] [--days 7] [--repeat 5] [--sqlite]

Uses a fresh PostgreSQL database (dropped at the end) when one answers at 127.0.0.1:5432,
else (or with ``--sqlite``) a SQLite file in a temporary folder (removed at the end).
Prints, median of ``--repeat`` runs: the week summed from the hourly rows alone (what
the page did before the daily rollups), the week from the rollups (``uptime.week``),
and the whole page (``GET /monitor/``, first page of 100 sites); then the size of the
monitor's tables and of the database. Times are wall-clock on a shared machine, with this
process's CPU time beside them: compare the rows with each other, not with another run.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from govsite.engine import CST
from govsite.samples.services import answers

PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"


def median_seconds(work: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median wall seconds and median CPU seconds of this process (the database's own CPU
    is not in it) over ``repeat`` runs."""
    times, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        work()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return statistics.median(times), statistics.median(cpu)


def generate(sites: int, days: int, now: datetime) -> tuple[int, int]:
    """The registry (100 counties under one province), a watch per site, and ``days`` of
    hourly tallies with their daily rollups. Returns (hour rows, day rows)."""
    from django.db import connection, transaction

    from govsite.platform.monitor.models import Watch
    from govsite.platform.registry.models import Region, Site

    province = Region.objects.create(code="390000", name="云江省", level=Region.Level.PROVINCE)
    counties = Region.objects.bulk_create(
        [Region(code=f"39{c // 10 + 1:02d}{c % 10 + 1:02d}", name=f"县 {c}", level=Region.Level.COUNTY, parent=province)
         for c in range(100)]
    )  # fmt: skip
    Site.objects.bulk_create(
        [Site(code=f"39{n:08d}", name=f"网站 {n}", url=f"http://s{n}.example.gov.cn/", organizer="办公室",
              region=counties[n % 100], level=Site.Level.COUNTY_PORTAL, kind=Site.Kind.PORTAL) for n in range(sites)],
        batch_size=5000,
    )  # fmt: skip
    ids = list(Site.objects.values_list("pk", flat=True))
    Watch.objects.bulk_create([Watch(site_id=i, next_probe=now, state=Watch.State.UP) for i in ids], batch_size=5000)
    rng = random.Random(18)
    first = (now - timedelta(days=days)).replace(minute=0, second=0, microsecond=0)
    hours = [first + timedelta(hours=h) for h in range(days * 24) if first + timedelta(hours=h) < now]
    hour_rows = day_rows = 0
    for start in range(0, len(ids), 1000):
        tallies, rollups = [], {}
        for site_id in ids[start : start + 1000]:
            for hour in hours:
                down = int(rng.random() < 0.02)
                tallies.append((site_id, hour, 1 - down, down, 0, 0, "connect" if down else ""))
                day = rollups.setdefault((site_id, hour.astimezone(CST).date()), [0, 0])
                day[0] += 1 - down
                day[1] += down
        with transaction.atomic():
            insert("monitor_probehour", ("site_id", "hour", "up", "down", "blocked", "errors", "last_outcome"), tallies)
            insert("monitor_probeday", ("site_id", "day", "up", "down", "blocked", "errors"),
                   [(s, d, c[0], c[1], 0, 0) for (s, d), c in rollups.items()])  # fmt: skip
        hour_rows += len(tallies)
        day_rows += len(rollups)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE monitor_probehour")
            cursor.execute("VACUUM ANALYZE monitor_probeday")
    return hour_rows, day_rows


def insert(table: str, columns: tuple[str, ...], rows: list[tuple[object, ...]]) -> None:
    """Rows straight into ``table``: COPY on PostgreSQL, executemany on SQLite."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


def hours_only(now: datetime) -> dict[int, dict[str, int]]:
    """The week as the page summed it before the rollups: every hourly row of every site."""
    from django.db.models import Sum

    from govsite.platform.monitor.models import ProbeHour
    from govsite.platform.registry.models import Site

    sums = (
        ProbeHour.objects.filter(site__in=Site.objects.all(), hour__gte=now - timedelta(days=7), hour__lt=now)
        .values("site")
        .annotate(up=Sum("up"), down=Sum("down"), blocked=Sum("blocked"), errors=Sum("errors"))
    )
    return {s["site"]: s for s in sums}


def sizes(database: str) -> list[tuple[str, float]]:
    """MB of the monitor's tables (with their indexes) and of the whole database."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            found = []
            for table in ("monitor_probehour", "monitor_probeday", "monitor_watch"):
                cursor.execute("SELECT pg_total_relation_size(%s)", [table])
                found.append((table, cursor.fetchone()[0] / 1e6))
            cursor.execute("SELECT pg_database_size(current_database())")
            found.append(("database", cursor.fetchone()[0] / 1e6))
            return found
    with connection.cursor() as cursor:
        found = []
        for table in ("monitor_probehour", "monitor_probeday", "monitor_watch"):
            cursor.execute("SELECT SUM(pgsize) FROM dbstat WHERE name = %s OR tbl_name = %s", [table, table])
            found.append((table, (cursor.fetchone()[0] or 0) / 1e6))
    connection.close()
    return [*found, ("database", Path(database.removeprefix("sqlite:///")).stat().st_size / 1e6)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sites", type=int, default=20_000)
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sqlite", action="store_true", help="use a SQLite file even when PostgreSQL answers")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="govsite-uptime-"))
    database = f"sqlite:///{folder / 'uptime.sqlite3'}"
    pg_name = f"govsite_uptime_{os.getpid()}"
    if not args.sqlite and answers(PG_ADMIN, 5432):
        import psycopg

        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{pg_name}"')
        database = PG_ADMIN.rsplit("/", 1)[0] + f"/{pg_name}"
    os.environ.update({"GOVSITE_DATABASE_URL": database, "GOVSITE_DATA_DIR": str(folder), "GOVSITE_LANG": "en"})
    try:
        from govsite.platform.bootstrap import setup

        setup(migrate=True)
        from django.contrib.auth.models import User
        from django.test import Client
        from django.utils import timezone

        from govsite.platform.accounts.models import Membership, Role
        from govsite.platform.monitor import uptime
        from govsite.platform.registry.models import Site

        now = timezone.now().astimezone(UTC)
        started = time.perf_counter()
        hour_rows, day_rows = generate(args.sites, args.days, now)
        print(f"{database.split(':', 1)[0]}: {args.sites} sites, {hour_rows} hourly rows, {day_rows} daily rollups "
              f"generated in {time.perf_counter() - started:.0f} s", flush=True)  # fmt: skip
        admin = User.objects.create_user("bench", password="bench-Passw0rd!")
        Membership.objects.create(user=admin, role=Role.ADMIN)
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(admin)

        def page() -> None:
            response = client.get("/monitor/")
            assert response.status_code == 200 and b"data-site=" in response.content, response.status_code

        assert uptime.week(Site.objects.all(), now).regions  # the week was read
        print()
        print("| what | median seconds | median CPU seconds (this process) |")
        print("|---|---|---|")
        for label, work in (
            ("week summed from hourly rows (before)", lambda: hours_only(now)),
            (
                "week from daily rollups (uptime.week: regions, 1 page of sites)",
                lambda: uptime.week(Site.objects.all(), now),
            ),
            ("whole page, GET /monitor/", page),
        ):
            wall, cpu = median_seconds(work, args.repeat)
            print(f"| {label} | {wall:.3f} | {cpu:.3f} |", flush=True)
        print()
        print("| table | MB |")
        print("|---|---|")
        for name, mb in sizes(database):
            print(f"| {name} | {mb:.1f} |")
    finally:
        from django.db import connections

        connections.close_all()
        if database.startswith("postgres"):
            import psycopg

            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
