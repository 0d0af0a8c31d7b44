"""The platform's commands as a user runs them, each on its own embedded database."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from govsite.samples.server import FleetServer

from ..helpers import govsite


@pytest.mark.own_database
@pytest.mark.long
def test_registry_and_campaign_commands(sample_fleet: FleetServer, tmp_path: Path) -> None:
    env = {"GOVSITE_DATA_DIR": str(tmp_path / "var"), "GOVSITE_DATABASE_URL": "", "GOVSITE_LANG": "zh"}
    assert "37" in govsite("registry", "load-samples", "--as-of", "2026-11-23", cwd=tmp_path, **env).stdout
    exported = tmp_path / "registry.xlsx"
    assert govsite("registry", "export", str(exported), cwd=tmp_path, **env).returncode == 0
    done = govsite("registry", "import", str(exported), cwd=tmp_path, **env)
    assert "未变 37 个" in done.stdout
    bad = tmp_path / "bad.csv"
    bad.write_text("网站标识码,网站名称\n123,某网站\n", encoding="utf-8")
    rejected = govsite("registry", "import", str(bad), cwd=tmp_path, **env)
    assert rejected.returncode == 1 and "未导入任何内容" in rejected.stderr and "缺少必填列" in rejected.stderr

    created = govsite("campaign", "create", "--name", "安澜市普查", "--kind", "census", "--region", "390300",
                      "--as-of", "2026-11-23T10:00", cwd=tmp_path, **env)  # fmt: skip
    assert created.returncode == 0 and "7 个网站" in created.stdout, created.stderr
    ran = govsite(
        "campaign",
        "run",
        "1",
        "--proxy",
        sample_fleet.proxy,
        "--proxy-resolves-safely",
        "--min-interval",
        "0",
        cwd=tmp_path,
        **env,
    )
    assert ran.returncode == 0, ran.stderr
    assert "状态：已完成" in ran.stdout and ran.stdout.count("3903") == 7
    assert "anlanjtj.gov.cn" not in ran.stdout and "安澜市交通运输局" in ran.stdout
    shown = govsite("campaign", "show", "1", cwd=tmp_path, **env)
    assert shown.stdout == ran.stdout
    missing = govsite("campaign", "create", "--name", "x", "--region", "110000", cwd=tmp_path, **env)
    assert missing.returncode == 2 and "110000" in missing.stderr


def get(url: str) -> tuple[int, str]:
    """A plain request to the served platform (loopback, no proxy)."""
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read().decode()


@pytest.mark.own_database
@pytest.mark.long
def test_the_readme_main_job_runs_end_to_end(tmp_path: Path) -> None:
    """`make demo` runs `govsite demo`: fleet, registry, a spot check, results."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "govsite", "demo", "--port", "0", "--web-port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "GOVSITE_DATA_DIR": str(tmp_path / "var"), "GOVSITE_DATABASE_URL": "", "GOVSITE_LANG": "en"},
    )
    lines: list[str] = []
    try:
        assert proc.stdout is not None
        deadline = time.monotonic() + 150
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line)
            if line.startswith("Platform: "):
                break
        text = "".join(lines)
        assert "Registry: 37 sites loaded" in text and "状态：已完成" in text, text
        assert text.count("\n39") >= 11  # at least 30 % of 37 sites, each with its verdict
        url = lines[-1].split()[1]
        assert get(url + "accounts/login/")[0] == 200 and "登录" in get(url + "accounts/login/")[1]
        assert "Demo logins: admin" in text and "govsite-demo" in text
        status, css = get(url + "static/govsite/site.css")
        assert status == 200 and "offline intranets" in css
    finally:
        proc.terminate()
        proc.wait(timeout=10)
