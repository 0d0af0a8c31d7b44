"""``govsite scan``: the documented JSON, the report, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from govsite.samples.server import FleetServer

from ..helpers import govsite


def test_scan_json_follows_the_documented_schema(sample_fleet: FleetServer, tmp_path: Path) -> None:
    common = [
        "--proxy",
        sample_fleet.proxy,
        "--proxy-resolves-safely",
        "--as-of",
        "2026-11-23T10:00",
        "--min-interval",
        "0",
    ]
    done = govsite("scan", "http://www.yunjiang.gov.cn/", *common, "--kind", "portal", "--site-code", "3901000001",
                   "--format", "json", cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr  # the scan ran, whatever the verdict
    data = json.loads(done.stdout)
    assert {"url", "verdict", "score", "profile", "indicators", "findings"} <= set(data)
    assert data["verdict"] == "不合格" and data["score"] is None
    assert data["profile"]["name"] == "inspection-2019" and data["profile"]["digest"]
    for indicator in data["indicators"]:
        assert {"id", "kind", "points", "findings"} <= set(indicator)
        assert all(isinstance(i, int) and 0 <= i < len(data["findings"]) for i in indicator["findings"])
    for finding in data["findings"]:
        assert {"check", "subject", "url", "severity", "message", "data", "evidence"} <= set(finding)
        assert finding["evidence"]["record_id"] and finding["evidence"]["url"]
    assert {f["check"] for f in data["findings"]} >= {"interaction.unanswered", "links.broken", "update.column_stale"}


def test_scan_text_report_in_chinese(sample_fleet: FleetServer, tmp_path: Path) -> None:
    done = govsite("scan", "http://czt.huachuan.gov.cn/", "--proxy", sample_fleet.proxy, "--proxy-resolves-safely", "--as-of", "2026-11-23T10:00",
                   "--min-interval", "0", "--format", "text", cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "政府网站检查报告" in done.stdout and "结论：合格" in done.stdout and "一、单项否决指标" in done.stdout


def test_scan_refuses_to_run_with_a_bad_profile_or_lexicon(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "x"\n', encoding="utf-8")
    done = govsite("scan", "http://www.example.gov.cn/", "--profile", str(bad), cwd=tmp_path, GOVSITE_LANG="en")
    assert done.returncode == 2 and "windows: missing" in done.stderr
    words = tmp_path / "words.toml"
    words.write_text("[[phrase]]\ncorrect = 1\n", encoding="utf-8")
    done = govsite("scan", "http://www.example.gov.cn/", "--lexicon", str(words), cwd=tmp_path, GOVSITE_LANG="en")
    assert done.returncode == 2 and "phrase[0].correct" in done.stderr
