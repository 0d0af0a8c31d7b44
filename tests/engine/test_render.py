"""Rendering script-built pages: the fleet's scripted sites (inline data, XHR, a paged
API, a footer by document.write) judged as a browser shows them, the rendered DOM in
the WARC and replayed, every browser request through the engine's guard and proxy,
and without a browser the checks that needed one undecided (待核查)."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from warcio.archiveiterator import ArchiveIterator

from govsite.engine import Finding, Snapshot, charset, crawl, load_profile
from govsite.engine.fetch import Fetcher
from govsite.engine.html import parse
from govsite.engine.render import NO_BROWSER, RENDERED, Browser, render
from govsite.engine.scan import evaluate
from govsite.engine.screenshots import VIEWPORT, attach
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


FOOTERS = {"div": ".footer", "id": "#foot", "footer": "footer", "table": "table.bottom"}
RED = (255, 0, 0)


@dataclasses.dataclass
class ScriptedRun:
    sites: list[dict[str, Any]]
    live: list[Snapshot]
    replayed: list[Snapshot]
    launches: int
    shown: tuple[Finding, ...]  # the xhr site's findings with their screenshots
    footer_box: list[float]  # where its homepage's footer element is, measured apart
    folder: Path
    warcs: Path


@pytest.fixture(scope="module")
def scripted_run(
    script_world: World, script_fleet: FleetServer, tmp_path_factory: pytest.TempPathFactory
) -> ScriptedRun:
    """The three scripted sites crawled at once with one shared browser, replayed from their
    WARC files, and the xhr site's findings drawn as screenshots (the one end-to-end run)."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed")
    sites = scripted_sites(script_world)
    config = light(script_fleet.proxy)
    warcs = tmp_path_factory.mktemp("scripted")
    folder = warcs / "screenshots"
    xhr = next(n for n, s in enumerate(sites) if s["script"] == "xhr")

    async def run() -> ScriptedRun:
        browser = Browser(pages=3)
        try:
            live = list(await asyncio.gather(
                *(crawl(s["url"], config, warc=warcs / f"{s['host']}.warc.gz", browser=browser) for s in sites)
            ))  # fmt: skip
            result = evaluate(
                live[xhr], load_profile("inspection-2019"), kind="department", site_code=sites[xhr]["code"]
            )
            shown = await attach(result.findings, live[xhr], folder, browser)
            footer = FOOTERS[script_world.sites[sites[xhr]["host"]].footer_style]
            async with browser.context(java_script_enabled=False, viewport=VIEWPORT) as context:
                page = await context.new_page()
                await page.set_content(_archived(live[xhr].warc, sites[xhr]["homepage"]))
                box = await page.evaluate(
                    "(s) => { const r = document.querySelector(s).getBoundingClientRect();"
                    " return [r.left + scrollX, r.top + scrollY, r.width, r.height]; }",
                    footer,
                )
        finally:
            await browser.close()
        replayed = [await crawl(None, replay=warcs / f"{s['host']}.warc.gz") for s in sites]
        return ScriptedRun(sites, live, replayed, browser.launches, shown, box, folder, warcs)

    return asyncio.run(run())


@pytest.mark.timeout(300)  # its fixture is the one end-to-end run: three sites, some 45 pages rendered
def test_script_built_columns_match_the_manifest(scripted_run: ScriptedRun) -> None:
    """The scripted sites (inline data, XHR, a paged API) find every column with the
    manifest's newest date, none blank because it was built by script, the truly empty one
    blank; the footer written by document.write is read; the rendered DOMs are in the WARC
    and a replay gives the same snapshot."""
    run = scripted_run
    assert sorted(s["script"] for s in run.sites) == ["inline", "paged", "xhr"]
    assert run.launches == 1  # one browser for the three scans
    blanks = 0
    for site, snapshot in zip(run.sites, run.live, strict=True):
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
    for snapshot, again in zip(run.live, run.replayed, strict=True):
        assert again.columns == snapshot.columns
        assert again.pages == snapshot.pages
    kinds = _records(run.warcs / f"{run.sites[0]['host']}.warc.gz")
    assert kinds["resource"] >= 1 and kinds["browser"] >= 1


def test_the_browsers_requests_are_counted_in_the_scans_stats_per_host(scripted_run: ScriptedRun) -> None:
    """Every request of a scripted site's crawl — the crawl's own and those its pages'
    scripts made in the browser — is in ``stats.requests`` and its host's count, exactly
    as the WARC file recorded them; a replay reports the same counts."""
    run = scripted_run
    for site, snapshot, again in zip(run.sites, run.live, run.replayed, strict=True):
        recorded = requests_by(run.warcs / f"{site['host']}.warc.gz")
        stats = snapshot.stats
        assert stats.browser_requests == sum(recorded["browser"].values()) > 0, site["host"]
        assert stats.requests == sum(recorded["all"].values())
        assert stats.hosts == dict(recorded["all"]) and stats.hosts[site["host"]] > recorded["browser"][site["host"]]
        assert (again.stats.requests, again.stats.browser_requests, again.stats.hosts) == (
            stats.requests, stats.browser_requests, stats.hosts)  # fmt: skip


def requests_by(path: Path) -> dict[str, Counter[str]]:
    """Requests the WARC file recorded, per host: all of them, and the browser's."""
    counts: dict[str, Counter[str]] = {"all": Counter(), "browser": Counter()}
    with path.open("rb") as stream:
        for record in ArchiveIterator(stream):
            if record.rec_type in ("response", "metadata") and record.rec_headers.get_header("Govsite-Method"):
                host = urlsplit(record.rec_headers.get_header("WARC-Target-URI")).netloc.lower()
                counts["all"][host] += 1
                if record.rec_headers.get_header("Govsite-Via") == "browser":
                    counts["browser"][host] += 1
    return counts


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
        return got, fetcher.hosts

    got, hosts = asyncio.run(run())
    sent = sum(hosts.values())
    assert got.outcome == RENDERED
    assert '<div id="a">refused</div>' in got.dom and '<div id="b">refused</div>' in got.dom
    assert '<div id="c">' in got.dom and '<div id="c"></div>' not in got.dom  # the xhr site's JSON answered
    assert sent == 3  # every request of the page was the engine's, counted per host by its fetcher
    assert hosts == {"jtj.shiqiao.gov.cn": 1, "127.0.0.1:1": 1, "169.254.169.254": 1}  # the refused ones too
    seen = script_fleet.fleet.peak_in_flight
    assert seen["jtj.shiqiao.gov.cn"] >= 1 and "127.0.0.1" not in seen and "169.254.169.254" not in seen
    failures = []
    with warc.open("rb") as stream:
        for record in ArchiveIterator(stream):
            if record.rec_type == "metadata" and record.rec_headers.get_header("Govsite-Failure"):
                assert record.rec_headers.get_header("Govsite-Via") == "browser"
                failures.append(json.loads(record.content_stream().read())["message"])
    assert len(failures) == 2 and all("address guard" in m for m in failures)


def test_findings_carry_screenshots_outlining_the_region(scripted_run: ScriptedRun) -> None:
    """Each finding on a page names two stored PNGs (viewport and full page,
    content-addressed); the footer of a missing identifier is outlined where the footer
    element is, the truly empty script-built list of a blank column too."""
    from PIL import Image

    folder = scripted_run.folder
    shot = [f for f in scripted_run.shown if f.evidence and f.evidence.screenshots]
    assert shot and {f.check for f in shot} >= {"update.column_blank", "identity.conac_missing"}
    for finding in shot:
        assert finding.evidence is not None
        for name in finding.evidence.screenshots:
            assert (folder / name).exists() and len(name) == 64 + 4
    conac = next(f for f in shot if f.check == "identity.conac_missing")
    assert conac.evidence is not None and conac.evidence.outline is not None
    x, y, w, h = conac.evidence.outline
    assert [round(v) for v in scripted_run.footer_box] == [x, y, w, h]  # the outline is the footer's box
    full = Image.open(folder / conac.evidence.screenshots[1]).convert("RGB")
    assert full.getpixel((x - 2, y + h // 2)) == RED and full.getpixel((x + w + 1, y + h // 2)) == RED
    assert full.getpixel((x + w // 2, y - 2)) == RED and full.getpixel((x + w // 2, y + h + 1)) == RED
    assert full.getpixel((x + w // 2, y - 12)) != RED  # only the border is drawn
    blank = next(f for f in shot if f.check == "update.column_blank")
    assert blank.evidence is not None and blank.evidence.outline is not None
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
