"""``govsite crawl`` as a user runs it, against the fleet."""

from __future__ import annotations

import json
from pathlib import Path

from govsite.samples import urls
from govsite.samples.server import FleetServer
from govsite.samples.world import World

from ..helpers import govsite
from .test_crawl_bounds import requests_in


def test_crawl_text_json_and_offline_rebuild(sample_fleet: FleetServer, tmp_path: Path) -> None:
    common = [
        "--proxy",
        sample_fleet.proxy,
        "--proxy-resolves-safely",
        "--as-of",
        "2026-11-23T10:00",
        "--min-interval",
        "0",
    ]
    text = govsite("crawl", "http://www.yunjiang.gov.cn/", *common, "--format", "text", cwd=tmp_path, GOVSITE_LANG="zh")
    assert text.returncode == 0, text.stderr
    assert "栏目" in text.stdout and "政务要闻" in text.stdout and "2026-11-" in text.stdout
    assert "证据：warc/www.yunjiang.gov.cn-" in text.stdout
    assert list((tmp_path / "warc").glob("www.yunjiang.gov.cn-*.warc.gz"))

    warc = tmp_path / "evidence.warc.gz"
    done = govsite(
        "crawl", "http://www.yunjiang.gov.cn/", *common, "--format", "json", "--warc", str(warc), cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    live = json.loads(done.stdout)
    assert live["homepage"]["outcome"] == "ok" and live["columns"] and live["warc"] == str(warc)

    offline = govsite("crawl", "--from-warc", str(warc), "--format", "json", cwd=tmp_path, GOVSITE_PROXY="")
    assert offline.returncode == 0, offline.stderr
    rebuilt = json.loads(offline.stdout)
    assert {**rebuilt, "warc": None} == {**live, "warc": None}


def test_crawl_usage_errors(tmp_path: Path) -> None:
    assert govsite("crawl", cwd=tmp_path, GOVSITE_LANG="en").returncode == 2
    bad = govsite("crawl", "ftp://example.gov.cn/", cwd=tmp_path, GOVSITE_LANG="en")
    assert bad.returncode == 2 and "not an http(s) URL" in bad.stderr
    proxy = govsite("crawl", "http://x.gov.cn/", "--proxy", "socks5://h:1", cwd=tmp_path, GOVSITE_LANG="en")
    assert proxy.returncode == 2 and "proxy" in proxy.stderr


def test_a_file_that_is_not_our_warc_is_a_clear_error(tmp_path: Path) -> None:
    junk = tmp_path / "junk.warc.gz"
    junk.write_bytes(b"this is not a warc file at all")
    done = govsite("crawl", "--from-warc", str(junk), cwd=tmp_path, GOVSITE_LANG="en")
    assert done.returncode == 2 and (
        "not a readable WARC file" in done.stderr or "holds no govsite crawl" in done.stderr
    )


def test_full_site_mode_reads_every_page_once_and_checks_every_link_once(
    sample_fleet: FleetServer, sample_world: World, tmp_path: Path
) -> None:
    site = sample_world.site("jtt.huachuan.gov.cn")
    assert site is not None
    pages = sum((c.count + urls.pages(site, c)) if c.has_items else 1 for c in site.columns.values()) + 1
    warc = tmp_path / "full.warc.gz"
    common = ["--proxy", sample_fleet.proxy, "--proxy-resolves-safely", "--as-of", "2026-11-23T10:00"]
    done = govsite("crawl", site.url, "--full", *common, "--min-interval", "0", "--per-host-concurrency", "8",
                   "--format", "json", "--warc", str(warc), cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "full site:" in done.stderr  # progress goes to stderr
    full = json.loads(done.stdout)
    assert full["stats"]["pages_fetched"] >= pages and not full["stats"]["limits_hit"]
    assert len(full["links"]) == len({link["url"] for link in full["links"]})
    sent = requests_in(warc)
    home = (full["url"], full["homepage"]["final_url"])
    again = {key: n for key, n in sent.items() if n > 1 and key[1] not in home}
    assert not again, again  # each page and each link target asked once (the homepage: the probes)
    assert sent[("GET", home[0])] == sent[("GET", home[1])] == 4  # read, probed 3 times, never read again as a page
    planned = govsite("crawl", site.url, *common, "--min-interval", "0", "--format", "json", cwd=tmp_path)
    sample = json.loads(planned.stdout)
    assert set(sample) == set(full)  # the same JSON as the planned crawl
    assert sample["stats"]["pages_fetched"] < pages <= full["stats"]["pages_fetched"]
