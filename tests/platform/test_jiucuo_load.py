"""Nothing accepted is lost: the platform started as the README does (``govsite serve``:
waitress, a real database) takes 200 reports from 20 concurrent browsers — some posted
twice, as a double click does — and stores each exactly once, with unique numbers. On
SQLite (the embedded default) and on PostgreSQL when one answers. Correctness under
concurrency only: throughput is ``benchmarks/reports.py``'s (1,000 reports and more)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from govsite.platform.bootstrap import ServeRefused, serve_processes
from govsite.platform.jiucuo.loadgen import Platform, run, stored
from govsite.samples.services import answers

from .test_postgres import POSTGRES

SITES = ["3904000001", "3901000001", "3901210001", "3900000001"]
TOTAL, CLIENTS = 200, 20  # ten reports per client: every client overlaps the others throughout


def environment(tmp_path: Path, database_url: str) -> dict[str, str]:
    return {**os.environ, "GOVSITE_DATA_DIR": str(tmp_path), "GOVSITE_DATABASE_URL": database_url,
            "GOVSITE_JIUCUO_RATE_LIMIT": f"{TOTAL * 2}/3600", "GOVSITE_LANG": "en"}  # fmt: skip


@pytest.fixture
def postgres_url() -> Iterator[str]:
    if not answers(POSTGRES, 5432):
        pytest.skip(f"no PostgreSQL answers at {POSTGRES}")
    import psycopg

    server, name = POSTGRES.rsplit("/", 1)[0], f"govsite_load_{os.getpid()}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as db:
        db.execute(f"DROP DATABASE IF EXISTS {name}")
        db.execute(f"CREATE DATABASE {name}")
    try:
        yield f"{server}/{name}"
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as db:
            db.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def check(database_url: str, env: dict[str, str], processes: int = 1) -> None:
    with Platform(env, processes=processes) as platform:
        assert platform.process is not None
        children = Path(f"/proc/{platform.process.pid}/task/{platform.process.pid}/children")
        if children.exists():  # Linux: the copies serving beside the parent
            assert len(children.read_text().split()) == (processes if processes > 1 else 0)
        outcome, _ = run(platform.url, SITES, TOTAL, CLIENTS, double_every=10)
    assert outcome.failures == [] and outcome.doubles == TOTAL // 10
    assert len(outcome.accepted) == TOTAL
    numbers = [number for _, number in outcome.accepted]
    assert len(set(numbers)) == TOTAL
    rows = stored(database_url)
    assert len(rows) == TOTAL  # the doubled posts made no second report
    by_key = {key: pk for pk, key in rows}
    assert len(by_key) == TOTAL
    for key, number in outcome.accepted:  # each receipt names the report stored for its form
        assert f"JC{by_key[uuid.UUID(key).hex]:08d}" == number


@pytest.mark.timeout(300)
def test_concurrent_reports_on_sqlite(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'govsite.sqlite3'}"
    check(url, environment(tmp_path, url))


@pytest.mark.timeout(300)
def test_concurrent_reports_on_postgresql_served_by_two_processes(tmp_path: Path, postgres_url: str) -> None:
    """As the distributed deployment serves (docs/deployment.md): scans on Celery workers
    (none is started here: no report needs one), two serving processes on one socket."""
    env = environment(tmp_path, postgres_url) | {"GOVSITE_EXECUTOR": "celery", "GOVSITE_MONITOR": "0"}
    check(postgres_url, env, processes=2)


def test_more_serving_processes_only_where_nothing_runs_inside_them(settings: Any) -> None:
    settings.EXECUTOR = "inprocess"  # the embedded default: campaigns run in the serving process
    with pytest.raises(ServeRefused, match="GOVSITE_EXECUTOR=celery"):
        serve_processes("127.0.0.1", 0, print, threads=2, processes=2)
    settings.EXECUTOR, settings.MONITOR = "celery", {**settings.MONITOR, "scheduler": True}
    with pytest.raises(ServeRefused, match="GOVSITE_MONITOR=0"):
        serve_processes("127.0.0.1", 0, print, threads=2, processes=2)
