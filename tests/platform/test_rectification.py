"""Rectification (整改): tasks from reviewed results, the unit's feedback, the automatic
re-check against a fleet whose site really changed, reopening what is not fixed, closure
instead of rectification, and the figures the ledger and bulletin read."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client, override_settings
from django.utils import timezone as djtz

from govsite.platform.accounts.models import Role
from govsite.platform.bulletins.models import draft
from govsite.platform.campaigns.models import Campaign, CampaignSite
from govsite.platform.ledger import compute, rules
from govsite.platform.ledger.models import Ledger, LedgerCampaign
from govsite.platform.public.models import Publication
from govsite.platform.rectification import figures
from govsite.platform.rectification.deadlines import due_date
from govsite.platform.rectification.matching import FIXED, NEW, STILL_PRESENT, match
from govsite.platform.rectification.models import Recheck, Task, TaskFinding
from govsite.platform.rectification.recheck import run_recheck
from govsite.platform.rectification.tasks import create_task, file_feedback, request_closure, request_recheck
from govsite.platform.registry.models import Region, Site
from govsite.platform.registry.samples import load_sample_province
from govsite.platform.review.actions import decide
from govsite.samples.generate import build_world
from govsite.samples.server import FleetOptions, FleetServer
from govsite.samples.testing import TEST_AS_OF, TEST_SEED, Scans
from govsite.samples.world import World

from ..factories import member, scanned_campaign
from ..helpers import TEST_NOW, fast_engine

AS_OF = TEST_NOW
CONAC_LESS = "http://jtj.shiqiao.gov.cn/"  # 石桥市交通运输局: no 党政机关网站标识 in its footer


# ---- matching (no database) --------------------------------------------------------------------


def test_findings_match_by_check_and_subject_counting_repeats() -> None:
    before = [("links.broken", "http://a/x"), ("links.broken", "http://a/x"), ("update.column_blank", "http://a/c1")]
    after = [("links.broken", "http://a/x "), ("search.missing", "http://a/"), ("update.column_stale", "http://a/c2")]
    got = [
        (m.check, m.subject, m.status, m.before, m.after)
        for m in match(before, after, known=[("search.missing", "http://a/")])
    ]
    assert got == [
        ("links.broken", "http://a/x", STILL_PRESENT, 0, 0),  # the subject is compared without surrounding spaces
        ("links.broken", "http://a/x", FIXED, 1, None),  # seen twice before, once after: one fixed
        ("update.column_blank", "http://a/c1", FIXED, 2, None),
        ("update.column_stale", "http://a/c2", NEW, None, 2),  # search.missing was known (dismissed): not new
    ]
    assert match([], []) == []
    assert [m.status for m in match([("a", "x")], [("a", "y")])] == [FIXED, NEW]  # another subject is another finding


@pytest.mark.django_db
def test_deadlines_count_working_days_on_the_holiday_calendar() -> None:
    assert due_date(date(2026, 9, 30), 3) == date(2026, 10, 10)  # National Day, then a Saturday worked
    assert due_date(date(2026, 11, 20), 5) == date(2026, 11, 27)  # Friday + 5 working days
    with override_settings(RECTIFICATION_DAYS=15):
        assert due_date(date(2026, 12, 1)) == date(2026, 12, 22)
    with pytest.raises(ValueError):
        due_date(date(2026, 12, 1), 0)


# ---- the whole loop against a fleet of its own -----------------------------------------------


@pytest.fixture(scope="module")
def world() -> World:
    return build_world(TEST_SEED, TEST_AS_OF)  # this module's own: its sites get fixed


@pytest.fixture(scope="module")
def fleet(world: World) -> Iterator[FleetServer]:
    server = FleetServer(world, 0, FleetOptions()).start_in_thread()
    try:
        yield server
    finally:
        server.stop_thread()


@pytest.mark.django_db(transaction=True)  # a re-check saves from the engine's own thread
def test_review_task_feedback_recheck_closes_what_was_fixed_and_reopens_the_rest(
    world: World, fleet: FleetServer, sample_scans: Scans, tmp_path: Path
) -> None:
    load_sample_province(world)
    # the first scan is the session's (the same province, not yet fixed); the re-checks scan this module's fleet
    campaign = scanned_campaign(
        sample_scans, name="石桥市普查", kind="census", region=Region.objects.get(code="390200")
    )
    config = fast_engine(fleet.proxy)
    with override_settings(DATA_DIR=tmp_path):
        city = member("city", Role.MUNICIPAL, "390200")
        other_city = member("other", Role.MUNICIPAL, "390100")
        operator = member(
            "operator",
            Role.OPERATOR,
            sites=tuple(
                Site.objects.filter(region__code__startswith="3902")
                .exclude(code="3902000002")
                .values_list("code", flat=True)
            ),
        )
        stranger = member("stranger", Role.OPERATOR, sites=("3902000002",))
        entry = campaign.sites.select_related("site", "campaign").get(site__url=CONAC_LESS)
        conac = next(i for i, f in enumerate(entry.result["findings"]) if f["check"] == "identity.conac_missing")

        if entry.final_verdict != "不合格":  # a qualified site: only confirmed findings become a task
            with pytest.raises(ValidationError, match="没有需要整改"):
                create_task(entry, city)
        with pytest.raises(PermissionDenied):
            create_task(entry, other_city)
        decide(entry, conac, "confirmed", city, "")
        task = create_task(entry, city, days=10, start=date(2026, 11, 24))
        assert task.deadline == date(2026, 12, 8) and task.unit == "石桥市交通运输局" and task.state == Task.State.OPEN
        assert ("identity.conac_missing", CONAC_LESS) in {(f.check_id, f.subject) for f in task.findings.all()}
        with pytest.raises(ValidationError, match="已有整改任务"):
            create_task(entry, city)

        with pytest.raises(PermissionDenied):
            file_feedback(task, stranger, "已整改")
        with pytest.raises(ValidationError):
            file_feedback(task, operator, "   ")
        world.sites["jtj.shiqiao.gov.cn"].conac = True  # the unit really fixed its footer
        recheck = file_feedback(task, operator, "已在页脚添加党政机关网站标识", ("整改说明.pdf", b"%PDF-1.4 fixed"))
        assert (tmp_path / task.feedback.get().attachment).read_bytes() == b"%PDF-1.4 fixed"
        task.refresh_from_db()
        assert task.state == Task.State.RECHECKING
        done = run_recheck(recheck, config)
        assert (
            done.state == Recheck.State.DONE
            and Path(done.warc).exists()
            and done.verdict in ("合格", "不合格", "待核查")
        )
        assert run_recheck(done, config).finished == done.finished  # safe to run twice: the second does nothing
        fixed = task.findings.get(check_id="identity.conac_missing", found_by=None)
        assert fixed.status == TaskFinding.Status.FIXED and fixed.fixed is not None
        assert {"check": "identity.conac_missing", "subject": CONAC_LESS, "status": FIXED, "finding": fixed.pk,
                "after": None} in done.outcomes  # fmt: skip
        assert not any(f["check"] == "identity.conac_missing" for f in done.result["findings"])
        task.refresh_from_db()
        still = task.findings.exclude(status=TaskFinding.Status.FIXED)
        assert task.state == (Task.State.OPEN if still.exists() else Task.State.CLOSED)

        # a failed portal whose unit did nothing: every finding still present, the task reopened
        entries = campaign.sites.select_related("site", "campaign").order_by("site__code")
        portal = next(e for e in entries if e.final_verdict == "不合格" and e.site.code != "3902000005")
        second = create_task(portal, city, days=5, start=date(2026, 11, 20))
        recheck = file_feedback(second, operator, "已整改")
        with override_settings(SCREENSHOTS=True):  # the re-check's findings keep their pictures too
            made = run_recheck(recheck, config)
        shot = made.scan_result
        assert shot is not None and made.warc
        kept = Path(made.warc).parent / "screenshots"  # in the store, beside the campaign's WARC files
        names = {n for f in shot.findings if f.evidence for n in f.evidence.screenshots}
        assert names and all((kept / n).is_file() for n in names) and not list(kept.parent.glob("*-screenshots"))
        second.refresh_from_db()
        covered = second.findings.filter(found_by=None)
        assert second.state == Task.State.OPEN and covered.filter(status=TaskFinding.Status.STILL_PRESENT).exists()
        ordered = request_recheck(second, city)  # the supervisor may order another
        assert ordered.state == Recheck.State.PENDING and request_recheck(second, city) == ordered  # not twice
        Recheck.objects.filter(pk=ordered.pk).update(state=Recheck.State.RUNNING, started=djtz.now())
        assert run_recheck(ordered, config).result is None  # another run holds it: left to that run
        Recheck.objects.filter(pk=ordered.pk).update(started=djtz.now() - timedelta(hours=1))
        assert run_recheck(ordered, config).state == Recheck.State.DONE  # an orphaned claim is taken back
        second.refresh_from_db()
        assert second.state == Task.State.OPEN  # still not fixed

        assert list(figures.overdue_tasks(date(2026, 12, 1))) == [second]  # due 11-25, not finished
        assert figures.overdue_units(date(2026, 12, 1)) == [(portal.site.organizer, 1)]
        stats = figures.campaign_rectification(campaign, today=date(2026, 12, 1))
        assert stats.tasks == 2 and stats.overdue == 1 and stats.fixed >= 1 and stats.still_present >= 1

        # the ledger charges the task the re-check reopened, once its deadline passed (逾期未整改)
        loaded = rules.load("huachuan-2026h2")
        ledger = Ledger.objects.create(name="台账", region=campaign.region, rules_name=loaded.name,
                                       rules_text=loaded.text)  # fmt: skip
        LedgerCampaign.objects.create(ledger=ledger, campaign=campaign, quarter="四季度",
                                      results_published=date(2026, 11, 30))  # fmt: skip

        def charged(today: date) -> str:
            rows = compute.rows(ledger, True, today)["city"]  # the review is not finished: scan verdicts
            return next((r.explanation("；") for r in rows if r.unit.name == "石桥市"), "")

        assert "逾期未整改" not in charged(date(2026, 11, 25))  # due that day
        assert "；1 个网站逾期未整改-5" in charged(date(2026, 12, 1))  # the task the re-check closed is not

        # closing the site instead (申请关停): a registry status change with its date
        with pytest.raises(PermissionDenied):
            request_closure(second, city, date(2026, 11, 28), "网站整合")
        request_closure(second, operator, date(2026, 11, 28), "整合至市政府门户")
        site = Site.objects.get(pk=portal.site_id)
        assert site.status == Site.Status.CLOSURE_REQUESTED and site.status_since == date(2026, 11, 28)
        assert site.changes.filter(field="status", new="closure_requested", reason="整合至市政府门户").exists()
        assert [e.site for e in figures.closed_before(campaign, date(2026, 11, 30))] == [site]
        assert figures.closed_before(campaign, date(2026, 11, 27)) == []
        assert list(figures.overdue_tasks(date(2026, 12, 1))) == []
        assert "逾期未整改" not in charged(date(2026, 12, 1))  # closed instead: the task ended


# ---- repeat offenders and streaks (counting only) -----------------------------------------------


@pytest.mark.django_db
def test_repeat_offenders_and_pass_streaks(sample_world: World) -> None:
    load_sample_province(sample_world)
    region = Region.objects.get(code="390100")
    site, other = Site.objects.get(code="3901000001"), Site.objects.get(code="3901000002")
    quarters = []
    for n, (mine, theirs) in enumerate([("不合格", "合格"), ("合格", "合格"), ("合格", "合格"), ("不合格", "合格")]):
        c = Campaign.objects.create(name=f"Q{n + 1}", kind="spot_check", region=region, seed=n, profile_name="p",
                                    profile_version="1", profile_digest="d", profile_text="", state="finished",
                                    as_of=AS_OF + timedelta(days=91 * n))  # fmt: skip
        for s, verdict in ((site, mine), (other, theirs)):
            CampaignSite.objects.create(campaign=c, site=s, stratum="x", state="done", verdict=verdict,
                                        final_verdict=verdict)  # fmt: skip
        quarters.append(c)
    assert figures.repeat_offenders(quarters[0]) == []  # a first failure is not a repeat
    assert figures.repeat_offenders(quarters[3]) == []  # Q1's failure was never in a published bulletin
    q1 = draft(quarters[0])
    shown = Publication.objects.create(kind="bulletin", title=q1.title, region=region, content={}, bulletin=q1,
                                       published=quarters[3].as_of - timedelta(days=1))  # fmt: skip
    assert [e.site.code for e in figures.repeat_offenders(quarters[3])] == ["3901000001"]
    Publication.objects.filter(pk=shown.pk).update(published=quarters[3].as_of + timedelta(days=1))
    assert figures.repeat_offenders(quarters[3]) == []  # published only after the check that failed again
    Publication.objects.filter(pk=shown.pk).update(published=quarters[2].as_of, withdrawn=quarters[2].as_of)
    assert figures.repeat_offenders(quarters[3]) == []  # withdrawn
    q2 = draft(quarters[1])
    q2.more_campaigns.set([quarters[0]])  # a period bulletin listing Q1's failure among its campaigns
    Publication.objects.create(kind="bulletin", title=q2.title, region=region, content={}, bulletin=q2,
                               published=quarters[2].as_of)  # fmt: skip
    assert [e.site.code for e in figures.repeat_offenders(quarters[3])] == ["3901000001"]
    assert figures.pass_streak(site, quarters[2]) == 2 and figures.pass_streak(site, quarters[3]) == 0
    assert figures.pass_streak(other, quarters[3]) == 4  # 连续四个季度合格
    assert figures.group_pass_streak(region.code, quarters[2]) == 2  # both sites passed Q2 and Q3, not Q1
    assert figures.group_pass_streak(region.code, quarters[3]) == 0


@pytest.mark.django_db
def test_streaks_count_calendar_quarters_for_cities_and_the_provincial_departments(sample_world: World) -> None:
    """Seed 000's 连续N个季度: quarters of the calendar (China Standard Time), not checks. Two
    checks in one quarter are one quarter; a quarter without a check breaks the streak; the
    province's own sites (省直部门) keep a streak as a city does."""
    load_sample_province(sample_world)
    province = Region.objects.get(code="390000")
    city_site = Site.objects.get(code="3901000001")
    department = Site.objects.filter(region=province, level="provincial_department").order_by("code").first()
    assert department is not None

    def check(name: str, day: date, results: list[tuple[Site, str]]) -> Campaign:
        as_of = djtz.make_aware(datetime.combine(day, time(10)))
        c = Campaign.objects.create(name=name, kind="spot_check", region=province, seed=0, profile_name="p",
                                    profile_version="1", profile_digest="d", profile_text="", state="finished",
                                    as_of=as_of)  # fmt: skip
        for s, verdict in results:
            CampaignSite.objects.create(campaign=c, site=s, stratum="x", state="done", verdict=verdict,
                                        final_verdict=verdict)  # fmt: skip
        return c

    both = [(city_site, "合格"), (department, "合格")]
    check("2026Q4", date(2026, 10, 8), both)
    january = check("2027Q1a", date(2027, 1, 5), [(city_site, "合格")])
    march = check("2027Q1b", date(2027, 3, 31), [(department, "合格")])  # the same quarter, another check
    september = check("2027Q3", date(2027, 9, 30), both)  # nothing checked in 2027Q2
    december = check("2027Q4", date(2027, 12, 1), both)
    city = "390100"
    assert figures.group_pass_streak(city, january) == 2 and figures.group_pass_streak(city, march) == 2
    assert figures.group_pass_streak("390000", march) == 2  # 省直部门: the province's own sites
    assert figures.group_pass_streak("390000", january) == 0  # as of January, no check of them this quarter
    assert figures.group_pass_streak(city, december) == 2  # 2027Q2 had no check: Q3 and Q4 only
    assert figures.pass_streak(city_site, december) == 2 and figures.pass_streak(department, march) == 2
    assert figures.group_pass_streak(city, september) == 1
    check("2027Q1c", date(2027, 2, 14), [(city_site, "不合格")])  # a failure in the quarter: not 100 %
    assert figures.group_pass_streak(city, march) == 0 and figures.group_pass_streak("390000", march) == 2
    assert figures.group_pass_streak("390200", december) == 0  # never checked
    # the site's history page says so (for the checks its reader may see)
    client = Client()
    client.force_login(member("province", Role.PROVINCIAL, "390000"))
    page = client.get(f"/dashboard/sites/{city_site.code}/").content.decode()
    assert "连续 2 个季度普查、抽查均合格" in page  # 2027Q3 and Q4: Q1's failure is before the gap
