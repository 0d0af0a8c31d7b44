"""Rendering script-built pages: the fleet's scripted sites (inline data, XHR, a paged
API, a footer by document.write) judged as a browser shows them, the rendered DOM in
the WARC and replayed, every browser request through the engine's guard and proxy,
and without a browser the checks that needed one undecided (待核查)."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
from warcio.archiveiterator import ArchiveIterator

from govsite.engine import Snapshot, charset, crawl, load_profile
from govsite.engine.fetch import Fetcher
from govsite.engine.html import parse
from govsite.engine.render import NO_BROWSER, RENDERED, Browser, render
from govsite.engine.scan import evaluate, scan
from govsite.engine.screenshots import VIEWPORT
from govsite.engine.scripted import reason
from govsite.engine.transport import LiveTransport, ReplayTransport, WarcLog
from govsite.samples import render as pages
from govsite.samples.manifest import manifest
from govsite.samples.server import FleetServer
from govsite.samples.world import World

from ..helpers import TEST_NOW, fast_engine

CHROMIUM = Path("/usr/bin/chromium")
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")


def light(proxy: str, **changes: Any) -> Any:
    """The fleet's fast settings, reading columns only (what these tests judge)."""
    return dataclasses.replace(fast_engine(proxy), as_of=TEST_NOW, check_links=False, articles_per_column=0,
                               messages_max=0, guides_max=0, availability_probes=0, **changes)  # fmt: skip


def scripted_sites(world: World) -> list[dict[str, Any]]:
    return [s for s in manifest(world)["sites"] if s["script"]]


def test_plain_pages_are_never_rendered(sample_world: World) -> None:
    """Every homepage of the plain fleet, each site's first column and every empty list
    (the pages a loose rule would send to a browser) are judged as fetched."""
    looked = 0
    for site in sample_world.sites.values():
        home = pages.home(sample_world, site)
        assert reason(home, parse(home, site.url), "home") is None, site.host
        columns = list(site.columns.values())
        for col in columns[:1] + [c for c in columns if c.has_items and c.count == 0]:
            text = pages.column_page(sample_world, site, col, 1)
            assert text is not None
            assert reason(text, parse(text, site.url, False), "column") is None, (site.host, col.name)
            looked += 1
    assert looked > 40


@needs_chromium
def test_script_built_columns_match_the_manifest(
    script_world: World, script_fleet: FleetServer, tmp_path: Path
) -> None:
    """The one end-to-end proof: the three scripted sites crawled with one shared browser
    find every column with the manifest's newest date, none blank because it was built by
    script, the truly empty one blank; the footer written by document.write is read; the
    rendered DOMs are in the WARC and a replay gives the same snapshot."""
    sites = scripted_sites(script_world)
    assert sorted(s["script"] for s in sites) == ["inline", "paged", "xhr"]
    config = light(script_fleet.proxy)

    async def run() -> tuple[list[Snapshot], list[Snapshot], int]:
        browser = Browser(pages=3)
        try:
            live = await asyncio.gather(
                *(crawl(s["url"], config, warc=tmp_path / f"{s['host']}.warc.gz", browser=browser) for s in sites)
            )
        finally:
            await browser.close()
        again = [await crawl(None, replay=tmp_path / f"{s['host']}.warc.gz") for s in sites]
        return list(live), again, browser.launches

    live, replayed, launches = asyncio.run(run())
    assert launches == 1  # one browser for the three scans
    blanks = 0
    for site, snapshot in zip(sites, live, strict=True):
        found = {c.url: c for c in snapshot.columns}
        for col in site["columns"]:
            got = found[col["url"]]
            assert (got.latest.isoformat() if got.latest else None) == col["latest_date"], (site["host"], col["name"])
            assert got.blank == col["blank"], (site["host"], col["name"])
            blanks += col["blank"]
        rendered = [p for p in snapshot.pages if p.render]
        assert rendered and all(p.rendered == RENDERED and p.render_record for p in rendered)
        assert all("loading script" in p.render for p in rendered if p.kind == "column")
        if site["footer_written"]:
            assert snapshot.homepage.render == "footer written by document.write"
            assert snapshot.homepage.identity["site_code"] == "present"
    assert blanks >= 1  # the xhr site's truly empty list
    for snapshot, again in zip(live, replayed, strict=True):
        assert again.columns == snapshot.columns
        assert again.pages == snapshot.pages
    kinds = _records(tmp_path / f"{sites[0]['host']}.warc.gz")
    assert kinds["resource"] >= 1 and kinds["browser"] >= 1


def _records(path: Path) -> dict[str, int]:
    counts = {"resource": 0, "browser": 0}
    with path.open("rb") as stream:
        for record in ArchiveIterator(stream):
            if record.rec_type == "resource" and record.rec_headers.get_header("Govsite-Rendered") == RENDERED:
                assert record.rec_headers.get_header("WARC-Concurrent-To")
                counts["resource"] += 1
            if record.rec_headers.get_header("Govsite-Via") == "browser":
                counts["browser"] += 1
    return counts


def test_without_a_browser_blank_columns_are_undecided(script_world: World, script_fleet: FleetServer) -> None:
    """No chromium: the script-built pages are recorded not rendered, and the checks that
    would have failed on them say 待核查 instead of reporting columns blank."""
    site = next(s for s in scripted_sites(script_world) if s["script"] == "xhr")
    config = light(script_fleet.proxy, browser="/nonexistent/chromium")
    snapshot = asyncio.run(crawl(site["url"], config))
    columns = [p for p in snapshot.pages if p.kind == "column" and p.render]
    assert columns and all(p.rendered == NO_BROWSER for p in columns)
    assert any(c.blank for c in snapshot.columns)  # as the plain HTML shows them
    result = evaluate(snapshot, load_profile("inspection-2019"), kind="department", site_code=site["code"])
    runs = {r.name: r for r in result.checks}
    assert runs["column_blank"].status == "undecided"
    assert "未能渲染" in (runs["column_blank"].reason or "")
    assert not [f for f in result.findings if f.check == "update.column_blank"]
    assert result.verdict == "待核查"


@needs_chromium
def test_browser_requests_go_through_the_guard_and_are_recorded(script_fleet: FleetServer, tmp_path: Path) -> None:
    """A page's scripts asking private addresses are refused before anything is sent; what
    it asks of a site goes through the fleet's proxy, counted by the fetcher and recorded
    in the WARC as the browser's."""
    url = "http://jtj.shiqiao.gov.cn/test.html"
    html = (
        "<html><body><div id='a'></div><div id='b'></div><div id='c'></div><script>"
        "function put(id, v){document.getElementById(id).textContent = v;}"
        "fetch('http://127.0.0.1:1/').then(function(){put('a','reached')}, function(){put('a','refused')});"
        "fetch('http://169.254.169.254/latest/').then(function(){put('b','reached')}, function(){put('b','refused')});"
        "fetch('/api/col4700.json').then(function(r){return r.json()}).then(function(d){put('c', d.total)});"
        "</script></body></html>"
    )
    config = fast_engine(script_fleet.proxy)  # IP literals are refused before any proxy is asked
    warc = tmp_path / "browser.warc.gz"

    async def run() -> tuple[Any, int]:
        log = WarcLog(warc)
        transport = LiveTransport(config, log, via="browser")
        fetcher = Fetcher(transport, config)
        browser = Browser()
        try:
            got = await render(browser, fetcher, url, html, 20)
        finally:
            await browser.close()
            await transport.close()
            log.close()
        return got, fetcher.requests

    got, sent = asyncio.run(run())
    assert got.outcome == RENDERED
    assert '<div id="a">refused</div>' in got.dom and '<div id="b">refused</div>' in got.dom
    assert '<div id="c">' in got.dom and '<div id="c"></div>' not in got.dom  # the xhr site's JSON answered
    assert sent == 3  # every request of the page was the engine's, counted per host by its limiter
    seen = script_fleet.fleet.peak_in_flight
    assert seen["jtj.shiqiao.gov.cn"] >= 1 and "127.0.0.1" not in seen and "169.254.169.254" not in seen
    failures = []
    with warc.open("rb") as stream:
        for record in ArchiveIterator(stream):
            if record.rec_type == "metadata" and record.rec_headers.get_header("Govsite-Failure"):
                assert record.rec_headers.get_header("Govsite-Via") == "browser"
                failures.append(json.loads(record.content_stream().read())["message"])
    assert len(failures) == 2 and all("address guard" in m for m in failures)


FOOTERS = {"div": ".footer", "id": "#foot", "footer": "footer", "table": "table.bottom"}
RED = (255, 0, 0)


@needs_chromium
def test_findings_carry_screenshots_outlining_the_region(
    script_world: World, script_fleet: FleetServer, tmp_path: Path
) -> None:
    """A scan with screenshots: each finding on a page names two stored PNGs (viewport and
    full page, content-addressed); the footer of a missing identifier is outlined where the
    footer element is, the truly empty script-built list of a blank column too."""
    from PIL import Image

    site = next(s for s in scripted_sites(script_world) if s["script"] == "xhr")
    folder = tmp_path / "shots"
    config = light(script_fleet.proxy)

    async def run() -> Any:
        browser = Browser()
        try:
            result = await scan(site["url"], config, kind="department", site_code=site["code"],
                                warc=tmp_path / "site.warc.gz", screenshots=folder, browser=browser)  # fmt: skip
            footer = FOOTERS[script_world.sites[site["host"]].footer_style]
            async with browser.context(java_script_enabled=False, viewport=VIEWPORT) as context:
                page = await context.new_page()
                await page.set_content(_archived(result.warc, site["homepage"]))
                box = await page.evaluate(
                    "(s) => { const r = document.querySelector(s).getBoundingClientRect();"
                    " return [r.left + scrollX, r.top + scrollY, r.width, r.height]; }",
                    footer,
                )
        finally:
            await browser.close()
        return result, box

    result, footer_box = asyncio.run(run())
    shot = [f for f in result.findings if f.evidence and f.evidence.screenshots]
    assert shot and {f.check for f in shot} >= {"update.column_blank", "identity.conac_missing"}
    for finding in shot:
        for name in finding.evidence.screenshots:
            assert (folder / name).exists() and len(name) == 64 + 4
    conac = next(f for f in shot if f.check == "identity.conac_missing")
    x, y, w, h = conac.evidence.outline
    assert [round(v) for v in footer_box] == [x, y, w, h]  # the outline is the footer element's box
    full = Image.open(folder / conac.evidence.screenshots[1]).convert("RGB")
    assert full.getpixel((x - 2, y + h // 2)) == RED and full.getpixel((x + w + 1, y + h // 2)) == RED
    assert full.getpixel((x + w // 2, y - 2)) == RED and full.getpixel((x + w // 2, y + h + 1)) == RED
    assert full.getpixel((x + w // 2, y - 12)) != RED  # only the border is drawn
    blank = next(f for f in shot if f.check == "update.column_blank")
    assert blank.evidence.outline is not None
    bx, by, _width, bh = blank.evidence.outline
    picture = Image.open(folder / blank.evidence.screenshots[1]).convert("RGB")
    assert picture.getpixel((bx - 2, by + bh // 2)) == RED


def _archived(warc: str | None, homepage: str) -> str:
    """The homepage as archived (what the screenshot was drawn from)."""
    assert warc is not None
    archive = ReplayTransport(Path(warc))
    raw = archive.first("GET", homepage)
    assert raw is not None
    return charset.decode(raw.body, raw.header("Content-Type") or "")[0]
