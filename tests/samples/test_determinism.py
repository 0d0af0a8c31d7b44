"""Same seed and as-of date, same bytes; another seed, another province."""

from __future__ import annotations

import json
from datetime import date

from govsite.samples import render
from govsite.samples.generate import build_world
from govsite.samples.manifest import homepage_url, item_url, manifest
from govsite.samples.server import FleetServer
from govsite.samples.testing import TEST_AS_OF, TEST_SEED, fetch
from govsite.samples.world import World


def sample_urls(world: World) -> list[str]:
    out = []
    for site in world.sites.values():
        if site.availability != "ok":
            continue
        out.append(homepage_url(site))
        for col in site.columns.values():
            if col.has_items and col.count:
                out.append(item_url(world, site, col, col.count - 1))
    return out


def test_two_servers_with_the_same_seed_serve_the_same_bytes(sample_fleet: FleetServer) -> None:
    twin = FleetServer(build_world(TEST_SEED, TEST_AS_OF)).start_in_thread()
    try:
        pages = sample_urls(sample_fleet.fleet.world)
        assert len(pages) > 300
        for url in pages:
            a = fetch(sample_fleet.proxy, url)
            b = fetch(twin.proxy, url)
            assert a.status == b.status == 200, url
            assert a.body == b.body, url
    finally:
        twin.stop_thread()


def test_manifest_is_identical_for_the_same_seed_and_differs_for_another() -> None:
    first = json.dumps(manifest(build_world(TEST_SEED, TEST_AS_OF)), ensure_ascii=False)
    again = json.dumps(manifest(build_world(TEST_SEED, TEST_AS_OF)), ensure_ascii=False)
    other = json.dumps(manifest(build_world(TEST_SEED + 1, TEST_AS_OF)), ensure_ascii=False)
    assert first == again
    assert first != other


def test_dates_move_with_the_as_of_date() -> None:
    earlier = build_world(TEST_SEED, date(2025, 3, 1))
    later = build_world(TEST_SEED, date(2026, 3, 1))
    for host in ("www.huachuan.gov.cn",):
        a, b = earlier.sites[host], later.sites[host]
        news_a = earlier.item(a, a.columns["news"], 0)
        news_b = later.item(b, b.columns["news"], 0)
        assert (earlier.as_of - news_a.shown).days == (later.as_of - news_b.shown).days  # type: ignore[union-attr]
        assert render.home(earlier, a) != render.home(later, b)
