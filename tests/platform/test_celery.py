"""Distributed mode for real: Celery worker processes against the real broker
(RabbitMQ, else Redis) and PostgreSQL scan a census of the sample province through the
fleet; one worker is killed with SIGKILL in the middle, another started, and every site
ends scanned with exactly one stored result, none lost, none overwritten. Skipped, with
the reason, where PostgreSQL or a broker does not answer."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from govsite.samples.server import FleetServer
from govsite.samples.services import answers

POSTGRES = os.environ.get("GOVSITE_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/govsite")
RABBITMQ = os.environ.get("GOVSITE_TEST_RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672//")


REDIS = os.environ.get("GOVSITE_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
pytestmark = pytest.mark.timeout(400)


#: A re-check of the first site scanned, asked for as the platform's pages ask for one.
RECHECK = """
from datetime import date
from govsite.platform.campaigns.executor import engine_config
from govsite.platform.campaigns.models import CampaignSite
from govsite.platform.rectification import recheck
from govsite.platform.rectification.models import Recheck, Task
entry = CampaignSite.objects.select_related("site").filter(state="done").first()
task = Task.objects.create(entry=entry, site=entry.site, unit=entry.site.organizer, deadline=date(2026, 12, 31))
print("QUEUED", recheck.start_in_background(Recheck.objects.create(task=task), engine_config()))
"""


@pytest.mark.skipif(not answers(REDIS, 6379), reason=f"no Redis answers at {urlsplit(REDIS).netloc}")
def test_a_campaign_on_a_redis_broker_with_the_embedded_database(sample_fleet: FleetServer, tmp_path: Path) -> None:
    """The broker is one setting: Redis here; the database the embedded SQLite file the
    command line and the worker share. A monitoring round sent as beat sends it runs too,
    and so does a re-check asked for on the platform."""
    env = {**os.environ, "GOVSITE_EXECUTOR": "celery", "GOVSITE_BROKER_URL": REDIS, "GOVSITE_DATA_DIR": str(tmp_path),
           "GOVSITE_QUEUE": f"govsite-test-redis-{os.getpid()}", "GOVSITE_PROXY": sample_fleet.proxy,
           "GOVSITE_MIN_INTERVAL": "0", "GOVSITE_PER_HOST_CONCURRENCY": "8", "GOVSITE_LANG": "zh", "GOVSITE_PROXY_RESOLVES_SAFELY": "1",
           "GOVSITE_MONITOR_TIMEOUT": "3"}  # fmt: skip
    env.pop("GOVSITE_DATABASE_URL", None)
    govsite(env, "registry", "load-samples")
    govsite(env, "campaign", "create", "--name", "云江市普查", "--kind", "census", "--region", "390100", "--ratio", "1")
    worker = start_worker(env, "r1", tmp_path)
    try:
        out = govsite(env, "campaign", "run", "1")
        # the monitor's round, as beat sends it, runs on the same worker
        from govsite.platform.celery_app import app

        with app.connection_for_write(REDIS) as connection:
            app.send_task("govsite.monitor.round", queue=env["GOVSITE_QUEUE"], connection=connection)
        deadline = time.monotonic() + 60
        with sqlite3.connect(tmp_path / "govsite.sqlite3") as db:
            while time.monotonic() < deadline:
                probed = db.execute("select count(*), coalesce(sum(up), 0) from monitor_probehour").fetchone()
                if probed[0] >= 37:  # rows are written as probes end: wait for the round to finish
                    break
                time.sleep(0.5)
        assert probed[0] == 37 and probed[1] >= 33  # every running site once; the fleet's 33 healthy ones up
        # a re-check asked for on the platform goes to the worker too, under the task's id as its claim
        assert "QUEUED True" in govsite(env, "manage", "shell", "-c", RECHECK)
        with sqlite3.connect(tmp_path / "govsite.sqlite3") as db:
            while time.monotonic() < deadline + 60:
                rechecked = db.execute("select state, claim, warc from rectification_recheck").fetchone()
                if rechecked[0] == "done":
                    break
                time.sleep(0.5)
        assert rechecked[0] == "done" and re.fullmatch(r"[0-9a-f-]{36}", rechecked[1])  # a Celery task id
        assert Path(rechecked[2]).exists()
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
        import redis

        queue = env["GOVSITE_QUEUE"]
        redis.Redis.from_url(REDIS).delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
    assert "合格" in out or "不合格" in out or "待核查" in out
    assert len(re.findall(r"saved 1 (\w+)", (tmp_path / "r1.log").read_text())) == 7  # the city and its 2 counties


@pytest.fixture
def database() -> Any:
    """A PostgreSQL database of its own for this test, dropped afterwards."""
    psycopg = pytest.importorskip("psycopg")
    name = f"govsite_celery_{os.getpid()}"
    admin = POSTGRES.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield POSTGRES.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def govsite(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "govsite", *args], capture_output=True, text=True, env=env,
                          timeout=240, check=False)  # fmt: skip
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return done.stdout


def start_worker(env: dict[str, str], name: str, logs: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "govsite", "worker", "-P", "threads", "-c", "3", "-n", f"{name}@%h", "-l", "INFO",
         "--without-mingle", "--without-gossip", "--logfile", str(logs / f"{name}.log")],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def drop_queue(name: str) -> None:
    import kombu

    with kombu.Connection(RABBITMQ) as conn:
        conn.channel().queue_delete(name)


def query(url: str, sql: str) -> list[tuple[Any, ...]]:
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute(sql).fetchall()


@pytest.mark.skipif(not answers(POSTGRES, 5432), reason=f"no PostgreSQL answers at {urlsplit(POSTGRES).netloc}")
@pytest.mark.skipif(
    not answers(RABBITMQ, 5672),
    reason=f"no RabbitMQ answers at {urlsplit(RABBITMQ).hostname}:5672 "
    "(Redis re-delivers a killed worker's task only after its visibility timeout)",
)
@pytest.mark.long
def test_a_killed_worker_loses_nothing(database: str, sample_fleet: FleetServer, tmp_path: Path) -> None:
    shared = tmp_path / "shared-evidence"
    env = {**os.environ, "GOVSITE_DATABASE_URL": database, "GOVSITE_EXECUTOR": "celery", "GOVSITE_BROKER_URL": RABBITMQ,
           "GOVSITE_QUEUE": f"govsite-test-{os.getpid()}", "GOVSITE_PROXY": sample_fleet.proxy,
           "GOVSITE_MIN_INTERVAL": "0", "GOVSITE_PER_HOST_CONCURRENCY": "8", "GOVSITE_DATA_DIR": str(tmp_path),
           "GOVSITE_EVIDENCE_DIR": str(shared), "GOVSITE_LANG": "zh",
           "GOVSITE_PROXY_RESOLVES_SAFELY": "1"}  # fmt: skip
    govsite(env, "registry", "load-samples")
    out = govsite(env, "campaign", "create", "--name", "全省普查", "--kind", "census", "--region", "390000",
                  "--ratio", "1", "--as-of", "2026-11-23")  # fmt: skip
    campaign = int(re.search(r"(\d+)", out).group(1))  # type: ignore[union-attr]
    total = query(database, f"select count(*) from campaigns_campaignsite where campaign_id = {campaign}")[0][0]
    assert total == 37
    workers = [start_worker(env, "w1", tmp_path), start_worker(env, "w2", tmp_path)]
    run = subprocess.Popen([sys.executable, "-m", "govsite", "campaign", "run", str(campaign)], env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        deadline = time.monotonic() + 180
        states: dict[str, int] = {}
        while time.monotonic() < deadline:  # kill w1 once a few sites are done and it holds some in flight
            rows = query(database, f"select state, count(*) from campaigns_campaignsite where campaign_id = {campaign} "
                                   "group by state")  # fmt: skip
            states = dict(rows)
            log = (tmp_path / "w1.log").read_text() if (tmp_path / "w1.log").exists() else ""
            in_flight = log.count("] received") - log.count("] succeeded")
            if states.get("done", 0) >= 6 and in_flight > 0 and states.get("running", 0) > 0:
                break
            time.sleep(0.2)
        else:
            pytest.fail(f"the campaign never reached the middle: {states}")
        workers[0].send_signal(signal.SIGKILL)
        workers[0].wait(timeout=10)
        killed_during = states
        workers.append(start_worker(env, "w3", tmp_path))
        stdout, stderr = run.communicate(timeout=300)
        assert run.returncode == 0, stdout[-2000:] + stderr[-2000:]
    finally:
        run.kill()
        for w in workers:
            w.send_signal(signal.SIGKILL)
            w.wait(timeout=10)
        drop_queue(env["GOVSITE_QUEUE"])
    assert killed_during.get("done", 0) < total  # it was killed in the middle
    rows = query(database, "select s.code, e.state, e.result is not null, e.warc from campaigns_campaignsite e "
                           f"join registry_site s on s.id = e.site_id where e.campaign_id = {campaign}")  # fmt: skip
    assert len(rows) == total and all(state == "done" and has for _, state, has, _ in rows), rows
    assert all(Path(warc).parent.parent == shared and Path(warc).exists() for *_, warc in rows)  # the shared folder
    outcomes = query(database, "select result->>'homepage_outcome', count(*) from campaigns_campaignsite "
                               f"where campaign_id = {campaign} group by 1")  # fmt: skip
    assert dict(outcomes).get("ok", 0) >= 33  # real scans of the fleet, not our own errors
    logs = {name: (tmp_path / f"{name}.log").read_text() for name in ("w1", "w2", "w3")}
    saved = Counter(m for text in logs.values() for m in re.findall(rf"saved {campaign} (\w+)", text))
    assert sorted(saved) == sorted(code for code, *_ in rows) and set(saved.values()) == {1}  # once each
    # the sites w1 had taken and never finished were delivered again, and scanned elsewhere
    w1_received = set(re.findall(r"govsite\.scan_site\[([\w-]+)\] received", logs["w1"]))
    w1_done = set(re.findall(r"govsite\.scan_site\[([\w-]+)\] succeeded", logs["w1"]))
    lost = w1_received - w1_done
    assert lost and all(any(f"[{task}] succeeded" in logs[n] for n in ("w2", "w3")) for task in lost)
    state = query(database, f"select state from campaigns_campaign where id = {campaign}")[0][0]
    assert state == "finished"
