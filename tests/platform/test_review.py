"""Review: confirm, dismiss, add, resolve — each audited, each recomputing the verdict
with the campaign's frozen profile; and who may do it."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from govsite.cli.campaign import summary
from govsite.platform.accounts.access import can_review, can_self_check, visible_campaigns, visible_sites
from govsite.platform.accounts.models import Membership, Role
from govsite.platform.campaigns.executor import run_campaign
from govsite.platform.campaigns.models import Campaign, CampaignSite
from govsite.platform.campaigns.sampling import create_campaign
from govsite.platform.registry.models import Region, Site
from govsite.platform.registry.samples import load_sample_province
from govsite.platform.review.actions import add_manual, decide, resolve, reviewed_findings
from govsite.platform.review.models import AuditEntry
from govsite.samples.server import FleetServer
from govsite.samples.world import World

from ..helpers import fast_engine

pytestmark = pytest.mark.django_db(transaction=True)
AS_OF = datetime(2026, 11, 23, 10, tzinfo=timezone(timedelta(hours=8)))


def person(name: str, role: str, region: str | None = None, sites: list[str] = ()) -> User:  # type: ignore[assignment]
    user = User.objects.create_user(name, password="x")
    m = Membership.objects.create(user=user, role=role, region=Region.objects.get(code=region) if region else None)
    m.sites.set(Site.objects.filter(code__in=sites))
    return user


@pytest.fixture
def campaign(sample_world: World, sample_fleet: FleetServer, tmp_path: Path) -> Campaign:
    load_sample_province(sample_world)
    made = create_campaign(name="北溪市普查", kind="census", region=Region.objects.get(code="390400"), as_of=AS_OF)
    config = fast_engine(sample_fleet.proxy)
    with override_settings(DATA_DIR=tmp_path):
        return run_campaign(made, config)


def entry(campaign: Campaign, url: str) -> CampaignSite:
    return campaign.sites.select_related("site", "campaign").get(site__url=url)


def index_of(e: CampaignSite, check: str, n: int = 0) -> int:
    return [i for i, f in enumerate(e.result["findings"]) if f["check"] == check][n]


def test_dismissing_findings_can_lift_a_veto_and_every_step_is_audited(campaign: Campaign) -> None:
    inspector = person("inspector", Role.INSPECTOR)
    campaign.inspectors.add(inspector)
    portal = entry(campaign, "http://www.beixi.gov.cn/")
    assert portal.final_verdict == "不合格"  # 6 blank columns
    with pytest.raises(ValidationError, match="理由"):
        decide(portal, index_of(portal, "update.column_blank"), "dismissed", inspector)
    decide(portal, index_of(portal, "update.column_blank", 0), "dismissed", inspector, "栏目已于检查前撤销")
    verdict = decide(portal, index_of(portal, "update.column_blank", 1), "dismissed", inspector, "栏目有说明，截图存档")
    portal.refresh_from_db()
    assert verdict.verdict == portal.final_verdict == "合格" and verdict.score is not None
    assert portal.verdict == "不合格"  # the scan's own verdict is kept
    shown = next(line for line in summary(campaign).splitlines() if line.startswith(portal.site.code))
    assert "合格" in shown and "不合格" not in shown  # `govsite campaign show` reports the reviewed verdict
    trail = list(AuditEntry.objects.filter(entry=portal).order_by("id"))
    assert [a.action for a in trail] == ["finding.dismissed", "finding.dismissed"]
    assert trail[0].user == inspector and trail[0].reason == "栏目已于检查前撤销"
    assert trail[-1].detail["verdict_before"] == "不合格" and trail[-1].detail["verdict_after"] == portal.final_verdict


def test_confirming_a_suspected_finding_makes_it_count(campaign: Campaign) -> None:
    admin = person("admin", Role.ADMIN)
    flaky = entry(campaign, "http://rsj.beixi.gov.cn/")  # the homepage that fails now and then
    i = index_of(flaky, "availability.homepage_down")
    assert flaky.result["findings"][i]["severity"] == "suspected" and flaky.final_verdict == "待核查"
    verdict = decide(flaky, i, "confirmed", admin, "监测一周失败率 25%")
    assert verdict.verdict == "不合格"
    assert next(r for r in reviewed_findings(flaky) if r.index == i).counted
    verdict = decide(flaky, i, "dismissed", admin, "监测一周失败率 0.5%，未达 5%")
    assert verdict.verdict != "不合格"


def test_manual_findings_and_resolved_checks(campaign: Campaign) -> None:
    supervisor = person("supervisor", Role.PROVINCIAL, "390000")
    clean = entry(campaign, "http://jtj.beixi.gov.cn/")
    assert clean.final_verdict == "合格"
    verdict = add_manual(clean, supervisor, check="wording.serious_error", subject=clean.site.url,
                         url=clean.site.url + "index.jsp", severity="serious", message="首页领导姓名写错")  # fmt: skip
    assert verdict.verdict == "不合格"
    with pytest.raises(ValidationError):
        add_manual(clean, supervisor, check="made.up", subject="x", url="x", severity="serious", message="x")
    with pytest.raises(ValidationError):  # shown as a link to every reviewer: never a script
        add_manual(clean, supervisor, check="wording.serious_error", subject="x", url="javascript:alert(document.cookie)",
                   severity="serious", message="x")  # fmt: skip
    down = entry(campaign, "http://fgw.beixi.gov.cn/")
    assert down.final_verdict == "待核查"
    availability = index_of(down, "availability.homepage_down")
    verdict = decide(down, availability, "confirmed", supervisor, "一周监测失败率 100%")
    assert verdict.verdict == "不合格"
    undecided = next(r["name"] for r in down.result["checks"] if r["status"] == "undecided")
    resolve(down, undecided, supervisor, "人工登录后台核实")
    with pytest.raises(ValidationError, match="不是待核查项"):
        resolve(down, "noop", supervisor, "x")
    assert AuditEntry.objects.filter(entry=down).count() == 2


def test_who_may_see_and_review(campaign: Campaign) -> None:
    admin = person("admin", Role.ADMIN)
    national = person("national", Role.NATIONAL)
    province = person("province", Role.PROVINCIAL, "390000")
    city = person("city", Role.MUNICIPAL, "390400")
    other_city = person("other", Role.MUNICIPAL, "390100")
    inspector = person("inspector", Role.INSPECTOR)
    stranger = person("stranger", Role.INSPECTOR)
    operator = person("operator", Role.OPERATOR, sites=["3904000001"])
    campaign.inspectors.add(inspector)
    e = entry(campaign, "http://www.beixi.gov.cn/")
    for user, sites, sees, reviews in (
        (admin, 37, True, True),
        (national, 37, True, True),
        (province, 37, True, True),
        (city, 7, True, True),
        (other_city, 7, False, False),
        (inspector, 7, True, True),
        (stranger, 0, False, False),
        (operator, 1, True, False),
    ):
        assert visible_sites(user).count() == sites, user
        assert visible_campaigns(user).filter(pk=campaign.pk).exists() is sees, user
        assert can_review(user, campaign) is reviews, user
        if not reviews:
            with pytest.raises(PermissionDenied):
                decide(e, 0, "confirmed", user)
    assert can_self_check(operator, e.site) and not can_self_check(operator, Site.objects.get(code="3900000001"))
    assert not can_review(None, campaign) and visible_sites(None).count() == 0
