"""Review: confirm, dismiss, add, resolve — each audited, each recomputing the verdict
with the campaign's frozen profile; and who may do it."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from govsite.cli.campaign import summary
from govsite.platform.accounts.access import can_review, can_self_check, visible_campaigns, visible_sites
from govsite.platform.campaigns.models import Campaign, CampaignSite
from govsite.platform.registry.models import Region, Site
from govsite.platform.registry.samples import load_sample_province
from govsite.platform.review.actions import add_manual, decide, recompute, resolve, reviewed_findings, reviewed_verdict
from govsite.platform.review.models import AuditEntry, Resolution
from govsite.samples.testing import Scans
from govsite.samples.world import World

from ..factories import people, person, scanned_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(sample_world: World, sample_scans: Scans) -> Campaign:
    load_sample_province(sample_world)
    return scanned_campaign(sample_scans, name="北溪市普查", kind="census", region=Region.objects.get(code="390400"))


def entry(campaign: Campaign, url: str) -> CampaignSite:
    return campaign.sites.select_related("site", "campaign").get(site__url=url)


def index_of(e: CampaignSite, check: str, n: int = 0) -> int:
    return [i for i, f in enumerate(e.result["findings"]) if f["check"] == check][n]


def test_dismissing_findings_can_lift_a_veto_and_every_step_is_audited(campaign: Campaign) -> None:
    inspector = person("inspector")
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
    admin = person("admin")
    flaky = entry(campaign, "http://rsj.beixi.gov.cn/")  # the homepage that fails now and then
    i = index_of(flaky, "availability.homepage_down")
    assert flaky.result["findings"][i]["severity"] == "suspected" and flaky.final_verdict == "待核查"
    verdict = decide(flaky, i, "confirmed", admin, "监测一周失败率 25%")
    assert verdict.verdict == "不合格"
    assert next(r for r in reviewed_findings(flaky) if r.index == i).counted
    verdict = decide(flaky, i, "dismissed", admin, "监测一周失败率 0.5%，未达 5%")
    assert verdict.verdict != "不合格"


def test_manual_findings_and_resolved_checks(campaign: Campaign) -> None:
    supervisor = person("province")
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
    undecided = next(r for r in down.scan_result.checks if r.status == "undecided")
    resolve(down, undecided.ids[0], supervisor, "人工登录后台核实")
    assert set(down.resolutions.values_list("check_id", flat=True)) == set(undecided.ids)  # the whole run, by id
    with pytest.raises(ValidationError, match="不是待核查项"):
        resolve(down, "domain.nonconforming", supervisor, "x")  # decided by the scan
    assert AuditEntry.objects.filter(entry=down).count() == 2


def test_who_may_see_and_review(campaign: Campaign) -> None:
    admin, national, province, city, other_city, inspector, stranger, operator = people(
        "admin", "national", "province", "city", "other_city", "inspector", "stranger", "operator"
    )
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


@pytest.mark.django_db(transaction=True)  # the migration runs on the real schema
def test_stored_resolutions_move_from_entry_names_to_check_ids(campaign: Campaign) -> None:
    down = entry(campaign, "http://fgw.beixi.gov.cn/")
    run = next(r for r in down.scan_result.checks if r.open and len(r.ids) > 1)  # the homepage never opened
    user = person("province")
    before, after = [("review", "0002_translatable_labels")], [("review", "0004_resolution_check_name_removed")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("review", "Resolution")
    old.objects.create(entry_id=down.pk, check_name=run.name, reason="人工核实", user_id=user.pk)
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    moved = Resolution.objects.filter(entry=down)
    assert sorted(r.check_id for r in moved) == sorted(run.ids) and {r.reason for r in moved} == {"人工核实"}
    assert recompute(down).verdict == reviewed_verdict(down).verdict  # read back as the review reads it
