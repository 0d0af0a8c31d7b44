"""The ``govsite samples`` commands, run as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from govsite.samples import urls
from govsite.samples.testing import TEST_AS_OF, fetch
from govsite.samples.world import World

from ..helpers import govsite

GOVSITE = [sys.executable, "-m", "govsite"]


def test_manifest_prints_json_keyed_by_check_ids() -> None:
    done = govsite("samples", "manifest", "--as-of", TEST_AS_OF.isoformat(), "--seed", "1")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["as_of"] == "2026-11-23" and data["seed"] == 1
    assert "update.column_stale" in data["defects"]
    assert all({"site", "subject", "url", "data"} <= set(e) for rows in data["defects"].values() for e in rows)


def test_options_read_the_environment_and_the_command_line_wins() -> None:
    from_env = json.loads(govsite("samples", "manifest", GOVSITE_AS_OF="2026-01-15", GOVSITE_SEED="3").stdout)
    assert (from_env["as_of"], from_env["seed"]) == ("2026-01-15", 3)
    both = json.loads(govsite("samples", "manifest", "--seed", "4", GOVSITE_SEED="3").stdout)
    assert both["seed"] == 4


def test_bad_input_gets_a_clear_error_in_the_users_language() -> None:
    zh = govsite("samples", "manifest", "--as-of", "yesterday", GOVSITE_LANG="zh-hans")
    assert zh.returncode == 2 and "不是 ISO 日期" in zh.stderr
    en = govsite("samples", "manifest", "--as-of", "yesterday", GOVSITE_LANG="en")
    assert en.returncode == 2 and "not an ISO date" in en.stderr
    assert "样本网站群" in govsite("samples", "--help", GOVSITE_LANG="zh-hans").stdout
    assert "sample government-website fleet" in govsite("samples", "--help", GOVSITE_LANG="en").stdout


def test_sites_lists_the_registry() -> None:
    records = json.loads(govsite("samples", "sites", "--format", "json").stdout)
    assert len(records) >= 30
    assert {r["level"] for r in records} >= {
        "省级政府门户",
        "省级政府部门",
        "市级政府门户",
        "市级政府部门",
        "县级政府门户",
    }
    assert all(len(r["code"]) == 10 and r["code"].isdigit() for r in records)
    text = govsite("samples", "sites", "--format", "text").stdout
    assert "www.huachuan.gov.cn" in text


def test_serve_starts_prints_how_to_reach_it_and_serves(tmp_path: Path, sample_world: World) -> None:
    site = sample_world.sites["www.huachuan.gov.cn"]
    proc = subprocess.Popen(
        [*GOVSITE, "samples", "serve", "--port", "0", "--as-of", TEST_AS_OF.isoformat()],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "GOVSITE_LANG": "en"},
    )
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline() for _ in range(3)]
        proxy = next(line.split()[-1] for line in lines if line.startswith("Proxy:"))
        deadline = time.monotonic() + 10
        while True:
            try:
                got = fetch(proxy, f"http://{site.host}{urls.home(site)}", timeout=5)
                break
            except OSError:
                assert time.monotonic() < deadline
                time.sleep(0.1)
        assert got.status == 200
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_serve_reports_a_busy_port() -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = govsite("samples", "serve", "--port", str(port), GOVSITE_LANG="en")
    assert done.returncode != 0 and f"cannot listen on port {port}" in done.stderr
