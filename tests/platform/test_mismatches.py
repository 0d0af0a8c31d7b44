"""Registry against reality: redirects to another host, closed sites still online, two portals."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest

from govsite.platform.registry.mismatches import closed_but_online, from_scans, two_portals
from govsite.platform.registry.models import Region, Site
from govsite.platform.registry.samples import load_sample_province
from govsite.samples.server import FleetServer
from govsite.samples.testing import Scans
from govsite.samples.world import World

from ..factories import scanned_campaign
from ..helpers import TEST_NOW, fast_engine

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
