"""The fleet over real HTTP: a forward proxy that knows its hosts and no others."""

from __future__ import annotations

import asyncio
import socket
import time

import aiohttp
import pytest

from govsite.samples import urls
from govsite.samples.manifest import homepage_url, item_url
from govsite.samples.places import NATIONAL_HOSTS
from govsite.samples.server import FleetServer
from govsite.samples.testing import fetch
from govsite.samples.world import World


def healthy(world: World) -> list[str]:
    return [h for h, s in world.sites.items() if s.availability == "ok"]


def test_every_healthy_site_answers_through_the_proxy(sample_world: World, sample_fleet: FleetServer) -> None:
    for host in healthy(sample_world):
        site = sample_world.sites[host]
        got = fetch(sample_fleet.proxy, homepage_url(site))
        assert got.status == 200, host
        assert site.name in got.text(site.charset), host


def test_unknown_host_gets_502_and_nothing_is_contacted(sample_fleet: FleetServer) -> None:
    got = fetch(sample_fleet.proxy, "http://www.example.com/")
    assert got.status == 502
    assert got.headers["X-Squid-Error"].startswith("ERR_DNS_FAIL")
    got = fetch(sample_fleet.proxy, "http://www.gov.cn.evil.example/")
    assert got.status == 502


def test_connect_is_refused_because_the_fleet_speaks_plain_http(sample_fleet: FleetServer) -> None:
    with socket.create_connection(("127.0.0.1", sample_fleet.port), timeout=5) as sock:
        sock.sendall(b"CONNECT www.huachuan.gov.cn:443 HTTP/1.1\r\nHost: www.huachuan.gov.cn:443\r\n\r\n")
        assert sock.recv(100).startswith(b"HTTP/1.1 502")


def test_national_stand_ins_answer(sample_fleet: FleetServer) -> None:
    for host in NATIONAL_HOSTS:
        assert fetch(sample_fleet.proxy, f"http://{host}/any/path").status == 200
    js = fetch(sample_fleet.proxy, "http://zfwzzc.www.gov.cn/plugin/js/jiucuo.js")
    assert "我为政府网站找错" in js.body.decode()


def test_root_redirects_lead_to_the_homepage(sample_world: World, sample_fleet: FleetServer) -> None:
    seen = set()
    for host in healthy(sample_world):
        site = sample_world.sites[host]
        seen.add(site.home_redirect)
        got = fetch(sample_fleet.proxy, site.url)
        text = got.body.decode(site.charset)
        home = urls.home(site)
        if site.home_redirect == "http":
            assert got.status == 302 and got.headers["Location"] == home
        elif site.home_redirect == "meta":
            assert f'http-equiv="refresh" content="0;url={home}"' in text
        elif site.home_redirect == "script":
            assert f'window.location.href="{home}"' in text
        else:
            assert site.name in text
    assert seen == {"none", "http", "meta", "script"}


def test_missing_pages_404_and_old_directories_301(sample_world: World, sample_fleet: FleetServer) -> None:
    site = next(s for s in sample_world.sites.values() if s.family == "trs" and s.availability == "ok")
    assert fetch(sample_fleet.proxy, f"http://{site.host}/no/such/page.html").status == 404
    news = site.columns["news"]
    moved = fetch(sample_fleet.proxy, f"http://{site.host}/{news.path}")
    assert moved.status == 301 and moved.headers["Location"] == urls.column(site, news)
    # an article URL whose date does not match the article is not an article
    wrong = urls.item(site, news, 0, sample_world.as_of.replace(year=2001))
    assert fetch(sample_fleet.proxy, f"http://{site.host}{wrong}").status == 404
    beyond = urls.column(site, news, urls.pages(site, news) + 1)
    assert fetch(sample_fleet.proxy, f"http://{site.host}{beyond}").status == 404


def test_head_has_headers_and_no_body(sample_world: World, sample_fleet: FleetServer) -> None:
    site = sample_world.sites[healthy(sample_world)[0]]
    got = fetch(sample_fleet.proxy, homepage_url(site), method="HEAD")
    assert got.status == 200 and got.body == b""
    assert int(got.headers["Content-Length"]) > 1000


def test_attachments_are_real_files(sample_world: World, sample_fleet: FleetServer) -> None:
    kinds = {}
    for host in healthy(sample_world):
        site = sample_world.sites[host]
        forms = site.column("forms")
        if not forms or not forms.count:
            continue
        for index in range(forms.count):
            article = sample_world.item(site, forms, index)
            ext = getattr(article, "attachment", None)
            if ext and ext not in kinds:
                got = fetch(sample_fleet.proxy, f"http://{host}{urls.attachment(forms, index, ext)}")
                assert got.status == 200
                kinds[ext] = got
    assert set(kinds) == {"pdf", "doc", "xls"}
    assert kinds["pdf"].body.startswith(b"%PDF-1.4") and kinds["pdf"].body.rstrip().endswith(b"%%EOF")
    assert kinds["doc"].body.startswith(b"{\\rtf1")
    assert kinds["xls"].headers["Content-Type"] == "application/vnd.ms-excel"


def test_search_decodes_gbk_and_utf8_queries(sample_world: World, sample_fleet: FleetServer) -> None:
    from urllib.parse import quote

    checked = set()
    for host in healthy(sample_world):
        site = sample_world.sites[host]
        if site.search != "ok" or site.charset in checked:
            continue
        title = sample_world.title(site, site.columns["news"], 0)
        action, param = urls.search(site)
        for encoding in {site.charset, "utf-8"}:
            got = fetch(sample_fleet.proxy, f"http://{host}{action}?{param}={quote(title, encoding=encoding)}")
            text = got.text(site.charset)
            assert got.status == 200 and "共找到" in text and title in text, (host, encoding)
        checked.add(site.charset)
    assert {"gbk", "utf-8"} <= checked


def test_availability_defects_behave(sample_world: World, sample_fleet: FleetServer) -> None:
    by_mode = {s.availability: s for s in sample_world.sites.values()}
    down = fetch(sample_fleet.proxy, by_mode["down"].url)
    assert down.status == 502 and down.headers["X-Squid-Error"].startswith("ERR_CONNECT_FAIL")
    assert fetch(sample_fleet.proxy, homepage_url(by_mode["error"])).status == 500

    flaky = by_mode["intermittent"]
    statuses = [fetch(sample_fleet.proxy, homepage_url(flaky)).status for _ in range(8)]
    assert statuses.count(503) == 2 and statuses.count(200) == 6

    slow = by_mode["slow"]
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        fetch(sample_fleet.proxy, homepage_url(slow), timeout=1.0)
    assert time.monotonic() - started < 5
    # only the homepage is slow: its columns answer at once
    news = slow.columns["news"]
    assert fetch(sample_fleet.proxy, f"http://{slow.host}{urls.column(slow, news)}", timeout=5).status == 200


async def test_many_concurrent_requests_all_succeed(sample_world: World, sample_fleet: FleetServer) -> None:
    targets = []
    for host in healthy(sample_world):
        site = sample_world.sites[host]
        for col in site.columns.values():
            if col.kind == "list" and col.count:
                targets += [item_url(sample_world, site, col, i) for i in range(min(col.count, 3))]
    assert len(targets) > 500
    connector = aiohttp.TCPConnector(limit=50)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def one(url: str) -> int:
            async with session.get(url, proxy=sample_fleet.proxy) as response:
                await response.read()
                return response.status

        statuses = await asyncio.gather(*(one(u) for u in targets))
    assert set(statuses) == {200}
