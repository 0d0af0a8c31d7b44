"""The generated world on its own: sizes, dates and the rules the manifest relies on."""

from __future__ import annotations

from datetime import date

from govsite.samples import urls
from govsite.samples.generate import build_world
from govsite.samples.manifest import item_url, manifest
from govsite.samples.server import FleetServer
from govsite.samples.testing import TEST_AS_OF, fetch
from govsite.samples.world import Article, Site, World


def page_count(world: World, site: Site) -> int:
    total = 1
    for col in site.columns.values():
        total += urls.pages(site, col) if col.has_items else 1
        total += col.count if col.has_items else 0
    return total


def test_the_province_has_every_statistical_level_and_fitting_codes(sample_world: World) -> None:
    levels = {s.level for s in sample_world.sites.values()}
    assert levels == {"省级政府门户", "省级政府部门", "市级政府门户", "市级政府部门", "县级政府门户"}
    codes = [s.code for s in sample_world.sites.values()]
    assert len(set(codes)) == len(codes)
    for site in sample_world.sites.values():
        assert site.code.startswith(site.place.division_code)
        if site.kind == "portal":
            assert site.host == f"www.{site.place.slug}.gov.cn"


def test_dates_never_lie_in_the_future_and_lists_run_newest_first(sample_world: World) -> None:
    for site in sample_world.sites.values():
        for col in site.columns.values():
            if col.kind != "list" or not col.count:
                continue
            items = [sample_world.item(site, col, i) for i in range(col.count)]
            assert all(isinstance(it, Article) for it in items)
            shown = [it.shown for it in items if isinstance(it, Article)]
            assert max(shown) <= sample_world.as_of
            assert shown == sorted(shown, reverse=True), (site.host, col.key)


def test_a_large_site_for_benchmarks_has_over_ten_thousand_pages() -> None:
    world = build_world(1, TEST_AS_OF, items_per_column=900)
    biggest = max(world.sites.values(), key=lambda s: page_count(world, s))
    assert page_count(world, biggest) >= 10_000
    server = FleetServer(world).start_in_thread()
    try:
        for col in biggest.columns.values():
            if col.kind == "list" and col.count:
                last = urls.column(biggest, col, urls.pages(biggest, col))
                assert fetch(server.proxy, f"http://{biggest.host}{last}").status == 200
                assert fetch(server.proxy, item_url(world, biggest, col, col.count - 1)).status == 200
    finally:
        server.stop_thread()


def test_the_annual_report_is_due_after_the_31st_of_january() -> None:
    january = manifest(build_world(1, date(2026, 1, 20)))
    assert {e["data"]["year"] for e in january["defects"]["annual_report.missing"]} == {2024}


def test_other_seeds_still_exercise_every_check() -> None:
    for seed in (2, 3, 11):
        data = manifest(build_world(seed, TEST_AS_OF))
        assert len(data["defects"]) == 22, seed


def test_copies_of_the_province_are_distinct_sites_on_hosts_of_their_own(sample_world: World) -> None:
    """What benchmarks/scale.py scans: copy 0 is the province itself; every further copy has
    its own hosts and codes, draws its own templates and defects, and is served by the fleet."""
    world = build_world(1, TEST_AS_OF, copies=3)
    assert len(world.sites) == 3 * len(sample_world.sites)
    assert len({s.code for s in world.sites.values()}) == len(world.sites)
    first = list(world.sites.values())[: len(sample_world.sites)]
    assert [(s.host, s.code, s.family, s.availability) for s in first] == [
        (s.host, s.code, s.family, s.availability) for s in sample_world.sites.values()
    ]
    copy2 = [s for s in world.sites.values() if s.place.slug.startswith("c2-")]
    assert len(copy2) == len(sample_world.sites)
    assert all(s.code.startswith(s.place.division_code) and s.code[6:8] == "02" for s in copy2)
    assert any(s.availability == "down" for s in copy2)  # each copy has its own defect plan
    twin = {s.code: s for s in sample_world.sites.values()}  # the same place and department in copy 0
    assert sum(s.family != twin[f"{s.code[:6]}{int(s.code[6:]) - 200:04d}"].family for s in copy2) > 5
    portal = next(s for s in copy2 if s.kind == "portal" and s.place.level == "province")
    assert portal.host == "www.c2-huachuan.gov.cn"
    server = FleetServer(world).start_in_thread()
    try:
        assert fetch(server.proxy, portal.url).status in (200, 301, 302)
        assert fetch(server.proxy, "http://www.c4-huachuan.gov.cn/").status == 502  # no fourth copy
    finally:
        server.stop_thread()
