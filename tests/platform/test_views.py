"""Every page for every role, with the Django test client: who sees what, who may act."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client, override_settings

from govsite.platform.accounts.models import Membership, Role
from govsite.platform.campaigns.executor import run_campaign
from govsite.platform.campaigns.models import Campaign
from govsite.platform.campaigns.sampling import create_campaign
from govsite.platform.registry.models import Region, Site
from govsite.platform.registry.samples import load_sample_province
from govsite.samples.server import FleetServer
from govsite.samples.world import World

from ..helpers import fast_engine

pytestmark = pytest.mark.django_db(transaction=True)
AS_OF = datetime(2026, 11, 23, 10, tzinfo=timezone(timedelta(hours=8)))

PERSONAS = {
    "admin": (Role.ADMIN, None, []),
    "province": (Role.PROVINCIAL, "390000", []),
    "city": (Role.MUNICIPAL, "390400", []),
    "other_city": (Role.MUNICIPAL, "390100", []),
    "inspector": (Role.INSPECTOR, None, []),
    "stranger": (Role.INSPECTOR, None, []),
    "operator": (Role.OPERATOR, None, ["3904000001"]),
}


@pytest.fixture
def world(sample_world: World, sample_fleet: FleetServer, tmp_path: Path) -> Campaign:
    load_sample_province(sample_world)
    for name, (role, region, sites) in PERSONAS.items():
        user = User.objects.create_user(name, password="pw")
        m = Membership.objects.create(user=user, role=role, region=Region.objects.get(code=region) if region else None)
        m.sites.set(Site.objects.filter(code__in=sites))
    campaign = create_campaign(name="北溪市普查", kind="census", region=Region.objects.get(code="390400"), as_of=AS_OF)
    campaign.inspectors.add(User.objects.get(username="inspector"))
    config = fast_engine(sample_fleet.proxy)
    with override_settings(DATA_DIR=tmp_path):
        return run_campaign(campaign, config)


def client(name: str) -> Client:
    c = Client()
    assert c.login(username=name, password="pw")
    return c


def test_anonymous_visitors_are_sent_to_log_in(world: Campaign) -> None:
    for url in ("/sites/", "/campaigns/", f"/campaigns/{world.pk}/", f"/campaigns/{world.pk}/progress.json"):
        response = Client().get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    assert Client().get("/accounts/login/").status_code == 200


def test_every_role_against_every_page(world: Campaign) -> None:
    entry = world.sites.get(site__code="3904000001")
    finding = next(i for i, f in enumerate(entry.result["findings"]) if f["evidence"]["record_id"])
    pages = {
        "sites": "/sites/",
        "site": "/sites/3904000001/",
        "campaigns": "/campaigns/",
        "campaign": f"/campaigns/{world.pk}/",
        "progress": f"/campaigns/{world.pk}/progress.json",
        "entry": f"/campaigns/{world.pk}/sites/{entry.pk}/",
        "archived": f"/campaigns/{world.pk}/sites/{entry.pk}/archive/{finding}/",
    }
    sees_campaign = {"admin", "province", "city", "inspector", "operator"}
    for name in PERSONAS:
        c = client(name)
        for page, url in pages.items():
            expected = 200
            if page in ("campaign", "progress", "entry", "archived") and name not in sees_campaign:
                expected = 404
            if page == "site" and name in ("other_city", "stranger"):
                expected = 404
            assert c.get(url).status_code == expected, (name, page)
        review = c.post(pages["entry"], {"action": "confirmed", "index": finding})
        may_review = name in ("admin", "province", "city", "inspector")
        assert review.status_code == (302 if may_review else 403 if name in sees_campaign else 404), name
        run = c.post(f"/campaigns/{world.pk}/run/")
        assert run.status_code == (
            302 if name in ("admin", "province", "city") else 403 if name in sees_campaign else 404
        ), name
    assert len(client("city").get("/sites/").context["sites"]) == 7
    assert len(client("operator").get("/sites/").context["sites"]) == 1


def test_the_archived_page_is_marked_and_sandboxed(world: Campaign) -> None:
    entry = world.sites.get(site__code="3904000001")
    index = next(i for i, f in enumerate(entry.result["findings"]) if f["check"] == "update.column_blank")
    c = client("city")
    wrapper = c.get(f"/campaigns/{world.pk}/sites/{entry.pk}/archive/{index}/")
    assert "存档副本" in wrapper.content.decode() and "sandbox" in wrapper.content.decode()
    raw = c.get(f"/campaigns/{world.pk}/sites/{entry.pk}/archive/{index}/?raw=1")
    assert raw.status_code == 200 and raw["Content-Security-Policy"].startswith("sandbox")
    assert "北溪市人民政府" in raw.content.decode("gb18030")


def test_a_dismissal_through_the_page_needs_a_reason_and_is_shown(world: Campaign) -> None:
    entry = world.sites.get(site__code="3904000001")
    index = next(i for i, f in enumerate(entry.result["findings"]) if f["check"] == "update.column_blank")
    c = client("inspector")
    page = c.post(f"/campaigns/{world.pk}/sites/{entry.pk}/", {"action": "dismissed", "index": index})
    assert page.status_code == 200 and "排除问题须说明理由" in page.content.decode()
    c.post(f"/campaigns/{world.pk}/sites/{entry.pk}/", {"action": "dismissed", "index": index, "reason": "已撤销栏目"})
    shown = c.get(f"/campaigns/{world.pk}/sites/{entry.pk}/").content.decode()
    assert "已撤销栏目" in shown and "finding.dismissed" in shown


def test_creating_a_campaign_in_the_page(world: Campaign) -> None:
    made = client("city").post(
        "/campaigns/", {"name": "北溪市抽查", "kind": "spot_check", "region": "390400", "ratio": "0.5", "seed": "9"}
    )
    assert made.status_code == 302
    created = Campaign.objects.get(name="北溪市抽查")
    assert (created.seed, str(created.ratio), created.region.code) == (9, "0.500", "390400")
    outside = client("city").post("/campaigns/", {"name": "越权", "region": "390100"})
    assert outside.status_code == 200 and "管辖范围" in outside.content.decode()
    assert client("operator").post("/campaigns/", {"name": "x", "region": "390400"}).status_code == 403
    bad = client("admin").post("/campaigns/", {"name": "x", "region": "390400", "ratio": "abc"})
    assert "比例" in bad.content.decode()
