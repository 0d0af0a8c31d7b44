"""The crawl's bounds on hostile and ordinary sites: a homepage of 100,000 links, each
target asked once, external link checks beside the crawl. Speed and memory are measured
in benchmarks/bounds.py; these tests hold what must be true."""

from __future__ import annotations

import asyncio
import dataclasses
from collections import Counter
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator

from govsite.engine import EngineConfig, crawl
from govsite.samples.server import FleetServer
from govsite.samples.testing import TEST_NOW

from ..helpers import fast_engine


def fast_config(proxy: str, **changes: Any) -> EngineConfig:
    return dataclasses.replace(fast_engine(proxy), as_of=TEST_NOW, **changes)


def requests_in(warc: Path) -> Counter[tuple[str, str]]:
    """(method, URL) of every request the WARC file recorded, with how often."""
    sent: Counter[tuple[str, str]] = Counter()
    with warc.open("rb") as stream:
        for record in ArchiveIterator(stream):
            if record.rec_type in ("response", "metadata"):
                url = record.rec_headers.get_header("WARC-Target-URI")
                method = record.rec_headers.get_header("Govsite-Method")
                if method:
                    sent[(method, url)] += 1
    return sent


def test_a_homepage_of_many_links_is_read_and_its_targets_deduplicated_and_capped(
    sample_fleet: FleetServer,
) -> None:
    # benchmarks/bounds.py reads the full 100,000 rows (about 25 CPU s); the same page
    # cut to 5,000 rows holds the same duplicates, foreign hosts and caps
    config = fast_config(sample_fleet.proxy, max_pages=20, max_links=300)
    snap = asyncio.run(crawl("http://manylinks.hostile.test/?rows=5000", config))
    assert snap.homepage.outcome == "ok"
    assert snap.stats.pages_fetched <= 20
    urls = [link.url for link in snap.links]
    assert len(urls) == 300 == len(set(urls))  # capped, each target once
    assert set(snap.stats.limits_hit) >= {"max_pages", "max_links"}
    assert urls == sorted(urls)  # the cap keeps the first targets in URL order, whatever answered first
    external = [link for link in snap.links if not link.internal]
    assert external and all(link.outcome == "dns" for link in external)
    kept = snap.homepage.links
    assert len(kept) == len(set(kept)) == 3000  # the page's 5,000 rows, each link kept once


def test_each_target_is_asked_once_and_pages_are_never_asked_again(sample_fleet: FleetServer, tmp_path: Path) -> None:
    warc = tmp_path / "portal.warc.gz"
    snap = asyncio.run(crawl("http://www.huachuan.gov.cn/", fast_config(sample_fleet.proxy), warc=warc))
    sent = requests_in(warc)
    page_urls = {p.url for p in snap.pages} | {p.final_url for p in snap.pages}
    asked = {url for (method, url) in sent if method == "HEAD"}
    assert not asked & page_urls  # a URL read as a page is never asked again as a link
    twice = {key: n for key, n in sent.items() if n > 1 and key[1] != snap.url}
    assert not twice, twice  # (the homepage alone is asked again: the availability probes)
    external = [link for link in snap.links if not link.internal]
    assert external and all(link.method in ("HEAD", "GET") for link in external)
    assert snap.stats.requests == sum(sent.values())
