"""Pages declare their charset where real sites do (header, meta, or one of them) and
decode correctly with what they declare."""

from __future__ import annotations

import re

from govsite.samples.manifest import homepage_url
from govsite.samples.server import FleetServer
from govsite.samples.testing import fetch
from govsite.samples.world import World

META = re.compile(rb'<meta charset="([^"]+)">')


def test_every_page_decodes_with_its_declared_charset(sample_world: World, sample_fleet: FleetServer) -> None:
    declared_ways = set()
    for site in sample_world.sites.values():
        if site.availability != "ok":
            continue
        got = fetch(sample_fleet.proxy, homepage_url(site))
        header = got.headers["Content-Type"]
        header_charset = header.split("charset=")[1] if "charset=" in header else None
        meta = META.search(got.body)
        meta_charset = meta.group(1).decode() if meta else None
        assert header_charset or meta_charset, site.host
        assert {c for c in (header_charset, meta_charset) if c} == {site.charset}
        declared_ways.add((header_charset is not None, meta_charset is not None))
        text = got.body.decode(header_charset or meta_charset or "")
        assert site.name in text and site.organizer in text
    assert declared_ways == {(True, True), (True, False), (False, True)}


def test_gbk_pages_are_really_gbk(sample_world: World, sample_fleet: FleetServer) -> None:
    site = next(s for s in sample_world.sites.values() if s.charset == "gbk" and s.availability == "ok")
    body = fetch(sample_fleet.proxy, homepage_url(site)).body
    assert site.name.encode("gbk") in body
    assert site.name.encode("utf-8") not in body
