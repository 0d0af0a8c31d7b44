"""Registry against reality: redirects to another host, closed sites still online, two portals."""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace
from typing import Any

import pytest
from django.test import Client
from lxml import html

from govsite.platform.registry.mismatches import closed_but_online, from_scans, two_portals
from govsite.platform.registry.models import ClosedProbe, Region, Site
from govsite.platform.registry.samples import load_sample_province
from govsite.samples.server import FleetServer
from govsite.samples.testing import Scans
from govsite.samples.world import World

from ..factories import PASSWORD, people, scanned_campaign
from ..helpers import FAST, TEST_NOW, fast_engine

pytestmark = pytest.mark.django_db


def test_mismatches(sample_world: World, sample_fleet: FleetServer, sample_scans: Scans) -> None:
    load_sample_province(sample_world)
    moved = Site.objects.get(code="3903000001")  # registered under an old host that now redirects
    moved.apply({"url": "http://moved.hostile.test/"})
    closed = Site.objects.get(code="3903000002")
    closed.apply({"status": Site.Status.CLOSED})
    county = Region.objects.get(code="390321")
    Site.objects.get(code="3903210001").apply({"name": "白沙县人民政府"})
    second = Site(code="3903210099", name="白沙县政务网", url="http://www.baisha.gov.cn/old/", organizer="白沙县政府办",
                  supervisor="白沙县人民政府", region=county, level=Site.Level.COUNTY_PORTAL, kind=Site.Kind.PORTAL)  # fmt: skip
    second.apply({})
    done = scanned_campaign(sample_scans, name="安澜市普查", kind="census", region=Region.objects.get(code="390300"))
    found = from_scans(list(done.sites.select_related("site")))
    assert [(m.site, m.kind) for m in found] == [("3903000001", "redirects_elsewhere")]
    assert "http://www.huachuan.gov.cn/" in found[0].detail
    portals = two_portals()
    assert {m.site for m in portals} == {"3903210001", "3903210099"}
    online = asyncio.run(closed_but_online([closed], replace(fast_engine(sample_fleet.proxy), as_of=TEST_NOW)))
    assert [m.site for m in online] == ["3903000002"] and "已关停" in online[0].detail
    gone = Site.objects.get(code="3904000002")  # the fleet's down site, filed as closed: really offline
    gone.apply({"status": Site.Status.CLOSED})
    assert asyncio.run(closed_but_online([gone], fast_engine(sample_fleet.proxy))) == []


def wait_for_probe(c: Client, seconds: float = 60) -> Any:
    """The mismatches page once the probe of closed sites has ended (the page says so)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        page = c.get("/sites/mismatches/")
        if not page.context["probing"]:
            return page
        time.sleep(0.2)
    raise AssertionError(f"the probe did not end in {seconds} s")


@pytest.mark.django_db(transaction=True)  # the probe runs in a thread of its own
def test_the_probe_of_closed_sites_runs_after_the_request_has_returned(
    sample_world: World, sample_fleet: FleetServer, settings: Any
) -> None:
    settings.EXECUTOR_ENGINE = {**FAST, "proxy": sample_fleet.proxy}
    load_sample_province(sample_world)
    people("admin", "city")
    slow = Site.objects.get(code="3902000001")  # its homepage answers after 20 s: the probe gives up after 2
    online = Site.objects.get(code="3903000002")
    for site in (slow, online):
        site.apply({"status": Site.Status.CLOSED})
    admin = Client()
    assert admin.login(username="admin", password=PASSWORD)
    assert admin.post("/sites/mismatches/").status_code == 302  # back at once, to the page
    probe = ClosedProbe.objects.get()
    assert probe.state == "running" and probe.probed == 0 and probe.codes == ["3902000001", "3903000002"]
    admin.post("/sites/mismatches/")  # asked again while it runs: the same probe
    probing = admin.get("/sites/mismatches/")
    assert ClosedProbe.objects.count() == 1 and probing.context["probing"]
    assert "正在探测登记为关停的网站首页：已完成 0/2" in html.fromstring(probing.content.decode()).text_content()
    done = wait_for_probe(admin)
    assert [(m.site, m.kind) for m, _name in done.context["rows"] if m.kind == "closed_but_online"] == [
        ("3903000002", "closed_but_online")
    ]
    assert "上次探测：2 个网站，完成于" in html.fromstring(done.content.decode()).text_content()
    city = Client()  # another scope: the province's probe is not the city's
    assert city.login(username="city", password=PASSWORD)
    assert city.get("/sites/mismatches/").context["probe"] is None
