"""The manifest says what the pages show: each entry is confirmed by fetching the
pages over HTTP and reading them with a small parser of its own, and sites the
manifest calls clean of a defect are confirmed clean of it."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

from govsite.engine.profile import CHECK_IDS
from govsite.samples.manifest import homepage_url, manifest
from govsite.samples.server import INTERMITTENT_EVERY, FleetServer
from govsite.samples.testing import fetch
from govsite.samples.world import Site, World

DATE_FORMS = (
    (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"), False),
    (re.compile(r"(\d{4})\.(\d{2})\.(\d{2})"), False),
    (re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日"), False),
    (re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})"), False),
    (re.compile(r"\[(\d{2})-(\d{2})\]|>(\d{2})-(\d{2})<"), True),
)


@pytest.fixture(scope="module")
def truth(sample_world: World) -> dict[str, Any]:
    return manifest(sample_world)


class Pages:
    """Fetch and decode pages of the fleet, remembering what it saw."""

    def __init__(self, world: World, fleet: FleetServer) -> None:
        self.world = world
        self.proxy = fleet.proxy
        self.cache: dict[str, tuple[int, str]] = {}

    def get(self, url: str) -> tuple[int, str]:
        if url not in self.cache:
            site = self.world.sites.get(url.split("/")[2])
            got = fetch(self.proxy, url)
            # the intermittent homepage fails one request in INTERMITTENT_EVERY: ask again
            for _ in range(INTERMITTENT_EVERY):
                if got.status != 503 or site is None or site.availability != "intermittent":
                    break
                got = fetch(self.proxy, url)
            self.cache[url] = (got.status, got.body.decode(site.charset if site else "utf-8", "replace"))
        return self.cache[url]

    def text(self, url: str) -> str:
        status, text = self.get(url)
        assert status == 200, url
        return text

    def main(self, url: str) -> str:
        """The page's main region: no header (with its 今天是 date) and no footer; a list
        shown in a frame is the frame's page."""
        main = re.split(r'class="main">', self.text(url), maxsplit=1)[1]
        main = re.split(
            r'<div class="footer">|<div id="foot">|<footer>|<\w+[^>]*class="(?:bottom|newfootbox|footer2022)"', main
        )[0]
        framed = re.search(r'<iframe src="([^"]+)"', main)
        return self.text(f"http://{url.split('/')[2]}{framed[1].replace('&amp;', '&')}") if framed else main


def dates_in(text: str, as_of: date) -> list[date]:
    found = []
    for pattern, month_day in DATE_FORMS:
        for m in pattern.finditer(text):
            if month_day:
                month, day = (m[1], m[2]) if m[1] else (m[3], m[4])
                d = date(as_of.year, int(month), int(day))
                found.append(d if d <= as_of else d.replace(year=as_of.year - 1))
            else:
                found.append(date(int(m[1]), int(m[2]), int(m[3])))
    return found


@pytest.fixture(scope="module")
def pages(sample_world: World, sample_fleet: FleetServer) -> Pages:
    return Pages(sample_world, sample_fleet)


def entries(truth: dict[str, Any], check: str) -> list[dict[str, Any]]:
    return list(truth["defects"].get(check, []))


def sites_with(truth: dict[str, Any], check: str) -> set[str]:
    return {e["site"] for e in entries(truth, check)}


def live_sites(world: World) -> list[Site]:
    return [s for s in world.sites.values() if s.availability not in ("down", "error")]


def test_every_check_id_is_exercised_and_some_sites_are_clean(truth: dict[str, Any], sample_world: World) -> None:
    assert set(truth["defects"]) == set(CHECK_IDS)
    flagged = {e["site"] for rows in truth["defects"].values() for e in rows}
    clean = set(sample_world.sites) - flagged
    assert len(clean) >= 3
    assert len(sample_world.sites) >= 30
    per_site = [sum(e["site"] == h for rows in truth["defects"].values() for e in rows) for h in flagged]
    assert max(per_site) >= 5  # some sites are bad enough to fail on several counts


def test_homepage_staleness_matches_the_homepage(truth: dict[str, Any], pages: Pages, sample_world: World) -> None:
    stale = sites_with(truth, "update.homepage_stale")
    assert stale
    for site in live_sites(sample_world):
        if site.availability != "ok":
            continue
        latest = max(dates_in(pages.main(homepage_url(site)), sample_world.as_of))
        age = (sample_world.as_of - latest).days
        assert (age >= 14) == (site.host in stale), (site.host, latest)


def test_every_column_shows_the_latest_date_and_blankness_of_the_manifest(
    truth: dict[str, Any], pages: Pages, sample_world: World
) -> None:
    checked = 0
    for record in truth["sites"]:
        if record["availability"] in ("down", "error"):
            continue
        for col in record["columns"]:
            main = pages.main(col["url"])
            if col["latest_date"]:
                assert max(dates_in(main, sample_world.as_of)).isoformat() == col["latest_date"], col["url"]
                checked += 1
            if col["blank"]:
                assert not dates_in(main, sample_world.as_of) and "<li><a" not in main and "说明" not in main
            if col["note"]:
                assert col["note"] in main
    assert checked > 400
    stale = entries(truth, "update.column_stale")
    assert any(len([e for e in stale if e["site"] == s]) >= 5 for s in sites_with(truth, "update.column_stale"))
    for entry in stale:
        latest = date.fromisoformat(entry["data"]["latest"])
        assert (sample_world.as_of - latest).days >= entry["data"]["window_days"]
    for entry in entries(truth, "update.column_blank"):
        assert "暂无" in pages.main(entry["subject"]) or "<ul" in pages.main(entry["subject"])
    for entry in truth["controls"]["update.column_blank"]:
        assert entry["data"]["note"] in pages.main(entry["subject"])


def test_footer_identifiers(truth: dict[str, Any], pages: Pages, sample_world: World) -> None:
    for site in live_sites(sample_world):
        if site.availability != "ok":
            continue
        text = pages.text(homepage_url(site))
        assert bool(re.search(r"(bszs|dcs)\.conac\.cn", text)) != (
            site.host in sites_with(truth, "identity.conac_missing")
        )
        assert ("ICP备" in text) != (site.host in sites_with(truth, "identity.icp_missing"))
        assert ("公网安备" in text) != (site.host in sites_with(truth, "identity.psb_missing"))
        error_report = bool(re.search(r"zfwz(zc|gl)\.www\.gov\.cn", text))
        assert error_report != (site.host in sites_with(truth, "identity.error_report_entry_missing"))
        shown = re.search(r"网站标识码[：:]?(\d+)", text)
        code_ok = bool(shown) and shown[1] == site.code  # type: ignore[index]
        assert code_ok != (site.host in sites_with(truth, "identity.site_code_missing"))
    kinds = {e["data"]["shown"] is None for e in entries(truth, "identity.site_code_missing")}
    assert kinds == {True, False}  # both a missing and a wrong code


def test_domain_norms(truth: dict[str, Any], sample_world: World) -> None:
    pattern = re.compile(r"^(www|[a-z]+)\.[a-z]+\.gov\.cn$")
    for site in sample_world.sites.values():
        conforming = bool(pattern.match(site.host)) and (site.kind == "portal") == site.host.startswith("www.")
        assert conforming != (site.host in sites_with(truth, "domain.nonconforming")), site.host


def test_search(truth: dict[str, Any], pages: Pages, sample_world: World) -> None:
    from urllib.parse import quote

    from govsite.samples import urls

    for site in live_sites(sample_world):
        if site.availability != "ok":
            continue
        home = pages.text(homepage_url(site))
        action, param = urls.search(site)
        has_form = f'action="{action}"' in home
        assert has_form != (site.host in sites_with(truth, "search.missing"))
        if not has_form:
            continue
        title = re.findall(r'<a href="[^"]+">([^<]{12,})</a>', pages.main(homepage_url(site)))[0]
        result = pages.text(f"http://{site.host}{action}?{param}={quote(title, encoding=site.charset)}")
        assert (title in result.split('class="results"')[1]) != (site.host in sites_with(truth, "search.broken"))


def test_interaction(truth: dict[str, Any], pages: Pages, sample_world: World) -> None:
    for entry in entries(truth, "interaction.unanswered"):
        text = pages.text(entry["subject"])
        assert "尚未回复" in text and entry["data"]["asked"] in text
        assert 92 <= entry["data"]["days"] <= 365
    for entry in truth["controls"]["interaction.unanswered"]:
        text = pages.text(entry["subject"])
        assert "尚未回复" in text
        assert (sample_world.as_of - date.fromisoformat(entry["data"]["asked"])).days > 365
    for host in sites_with(truth, "interaction.channel_missing"):
        site = sample_world.sites[host]
        assert "咨询投诉" not in pages.text(homepage_url(site)) and "领导信箱" not in pages.text(homepage_url(site))


def test_services_and_interpretation(truth: dict[str, Any], pages: Pages, sample_world: World) -> None:
    for entry in entries(truth, "service.guide_incomplete"):
        text = pages.main(entry["subject"])
        labels = dict(sample_world.sites[entry["site"]].layout.labels)  # the label each element has on the site
        for element in entry["data"]["missing"]:
            assert labels.get(element, element) not in text
        assert labels.get("事项名称", "事项名称") in text
    for site in live_sites(sample_world):
        if site.availability != "ok":
            continue
        home = pages.text(homepage_url(site))
        assert (">办事服务<" not in home) == (site.host in sites_with(truth, "service.missing"))
        assert (">政策解读<" not in home) == (site.host in sites_with(truth, "interpretation.missing"))


def test_annual_reports(truth: dict[str, Any], pages: Pages, sample_world: World) -> None:
    missing = sites_with(truth, "annual_report.missing")
    assert missing
    for site in live_sites(sample_world):
        if site.availability != "ok":
            continue
        home = pages.text(homepage_url(site))
        link = re.search(r'<a href="([^"]+)">政府网站工作年度报表</a>', home)
        assert link, site.host
        listing = pages.main(f"http://{site.host}{link[1]}")
        assert (f"（{sample_world.as_of.year - 1}年度）" not in listing) == (site.host in missing)


def test_content_defects(truth: dict[str, Any], pages: Pages, sample_world: World) -> None:
    def article(url: str) -> tuple[str, str]:
        main = pages.main(url)
        title = re.search(r"<h1>([^<]+)</h1>", main)
        body = re.search(r'<div class="content">(.*?)</div>', main)
        assert title and body
        return title[1], body[1]

    for entry in entries(truth, "content.republished"):
        later, earlier = pages.main(entry["subject"]), pages.main(entry["data"]["earlier"])
        assert article(entry["subject"]) == article(entry["data"]["earlier"])
        assert max(dates_in(later.split('class="info"')[1][:60], sample_world.as_of)) > max(
            dates_in(earlier.split('class="info"')[1][:60], sample_world.as_of)
        )
    for entry in entries(truth, "content.forged_date"):
        text = pages.text(entry["subject"])
        info = pages.main(entry["subject"]).split('class="info"')[1][:60]
        assert dates_in(info, sample_world.as_of)[0] == sample_world.as_of
        assert f'name="PubDate" content="{entry["data"]["true"]}' in text
    for entry in entries(truth, "wording.serious_error"):
        _, body = article(entry["subject"])
        assert entry["data"]["wrong"] in body


def test_broken_links_are_broken_and_linked_from_their_page(truth: dict[str, Any], pages: Pages) -> None:
    seen = set()
    for entry in entries(truth, "links.broken"):
        status, _ = pages.get(entry["subject"])
        assert status == entry["data"]["status"], entry
        text = pages.text(entry["url"])
        target = entry["subject"]
        path = "/" + target.split("/", 3)[3]
        assert f'href="{target}"' in text or f'href="{path}"' in text, entry
        seen.add((entry["data"]["scope"], entry["data"]["status"]))
    assert {("internal", 404), ("external", 404), ("external", 502)} <= seen


def test_links_not_in_the_manifest_work(pages: Pages, sample_world: World, truth: dict[str, Any]) -> None:
    """Every link on a clean site's homepage answers 200, so a link checker has no excuse."""
    flagged = {e["site"] for rows in truth["defects"].values() for e in rows}
    for site in sample_world.sites.values():
        if site.host in flagged:
            continue
        home = homepage_url(site)
        for href in set(re.findall(r'(?:href|src)="([^"]+)"', pages.text(home))):
            url = href if href.startswith("http") else f"http://{site.host}{href}"
            status, _ = pages.get(url.replace("&amp;", "&"))
            assert status in (200, 301, 302), (home, url)
