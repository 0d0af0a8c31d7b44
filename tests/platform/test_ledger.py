"""The deduction ledger (日常考核扣分) reproduces seed 004's attachment exactly from
equivalent data: a Shandong-like registry, two quarterly campaigns whose sites carry
reviewed verdicts, 菏泽's four sites closed before the first quarter's results were
published, and the lines a supervisor entered (overdue error reports, missing
self-inspection reports); then the same with the overdue reports read from the error-report
app and the missing reports from a self-inspection round. Rules files are validated on
load; unreviewed sites are refused."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.http import HttpResponse
from django.test import Client, override_settings

from govsite.engine import score
from govsite.platform.accounts.models import Membership, Role
from govsite.platform.campaigns.models import Campaign, CampaignSite
from govsite.platform.campaigns.sampling import create_campaign
from govsite.platform.jiucuo.models import Report
from govsite.platform.ledger import compute, rules
from govsite.platform.ledger.models import Ledger, LedgerCampaign, LedgerLine
from govsite.platform.ledger.verdicts import Unreviewed
from govsite.platform.rectification import selfinspection
from govsite.platform.rectification.models import SelfInspectionRound, Task
from govsite.platform.registry.models import Region, Site

pytestmark = pytest.mark.django_db
CST = timezone(timedelta(hours=8))

#: Seed 004's two tables as printed (the notice ends 滨州市's line with a stray "；"; the
#: ledger joins lines with the separator and does not end with one).
CITIES = [
    ("聊城市", "-29", "一季度 10 个不合格网站-6；二季度 4 个不合格网站-8；2 条网民留言处理超期-10；未报送自查报告-5"),
    ("滨州市", "-3", "一季度 3 个不合格网站-2；二季度 1 个不合格网站-1"),
    ("日照市", "-2", "二季度 1 个不合格网站-2"),
    ("济南市", "-1", "一季度 1 个不合格网站-1"),
    ("菏泽市", "-1", "二季度 1 个不合格网站-1"),
]
DEPARTMENTS = [
    ("省住房城乡建设厅", "-5", "未报送自查报告-5"),
    ("省交通运输厅", "-5", "未报送自查报告-5"),
    ("省卫生和计生委", "-5", "1 条网民留言处理超期-5"),
    ("省环保厅", "-5", "未报送自查报告-5"),
    ("省外事办", "-5", "未报送自查报告-5"),
    ("省地税局", "-5", "未报送自查报告-5"),
    ("省体育局", "-5", "未报送自查报告-5"),
    ("省质监局", "-5", "未报送自查报告-5"),
    ("省法制办", "-5", "未报送自查报告-5"),
    ("省司法厅", "-2", "一季度网站抽查不合格-2"),
    ("省农业厅", "-2", "一季度网站抽查不合格-2"),
]
CITY_CODES = {"济南市": "370100", "日照市": "371100", "聊城市": "371500", "滨州市": "371600", "菏泽市": "371700"}
Q1_PUBLISHED = date(2017, 4, 10)


@dataclass
class World:
    province: Region
    q1: Campaign
    q2: Campaign


class Registry:
    """Sites made on demand, codes ascending in the order they are made."""

    def __init__(self) -> None:
        self.province = Region.objects.create(code="370000", name="山东省", level="province")
        self.cities = {
            name: Region.objects.create(code=code, name=name, level="city", parent=self.province)
            for name, code in CITY_CODES.items()
        }
        self.county = {
            name: Region.objects.create(code=code[:4] + "21", name=f"{name}某县", level="county", parent=city)
            for name, (code, city) in {n: (CITY_CODES[n], c) for n, c in self.cities.items()}.items()
        }
        self.made = 0

    def site(self, unit: str, kind: str = "department") -> Site:
        self.made += 1
        if unit in self.cities:
            region = self.county[unit] if kind == "portal" else self.cities[unit]
            level = "county_portal" if kind == "portal" else "city_department"
            organizer = f"{unit}某局{self.made}"
            supervisor = f"{unit}人民政府"
        else:  # a provincial department runs its own site: its 主办单位 and 主管单位
            region, level, organizer, supervisor = self.province, "provincial_department", unit, unit
        return Site.objects.create(
            code=f"37{self.made:08d}", name=f"{organizer}网", url=f"http://s{self.made}.example.gov.cn/",
            organizer=organizer, supervisor=supervisor, region=region, level=level, kind=kind,
        )  # fmt: skip


def quarter(name: str, as_of: datetime, region: Region, judged: list[tuple[Site, str]]) -> Campaign:
    made = create_campaign(name=name, kind="spot_check", region=region, as_of=as_of, ratio=Decimal("0.001"))
    made.sites.all().delete()
    CampaignSite.objects.bulk_create(
        CampaignSite(campaign=made, site=s, stratum=s.level, state="done", verdict=v, final_verdict=v, result={})
        for s, v in judged
    )
    made.state = Campaign.State.FINISHED
    made.save()
    return made


@pytest.fixture
def world() -> World:
    reg = Registry()
    departments = [reg.site(name) for name, _total, _text in DEPARTMENTS]  # registry order = the seed's tie order
    by_name = {s.organizer: s for s in departments}
    passed = [reg.site("济南市") for _ in range(300)]
    q1_failed = (
        [reg.site("聊城市") for _ in range(10)]
        + [reg.site("滨州市") for _ in range(3)]
        + [reg.site("济南市")]
        + [by_name["省司法厅"], by_name["省农业厅"]]
    )
    closed = [reg.site("菏泽市") for _ in range(4)]  # failed, then closed before the results were published
    Site.objects.filter(pk__in=[s.pk for s in closed]).update(status="closed", status_since=date(2017, 4, 1))
    q1 = q1_failed + closed
    q1_judged = [(s, score.FAIL) for s in q1] + [(s, score.PASS) for s in passed[: 269 - len(q1)]]
    q2_failed = (
        [reg.site("聊城市", "portal") for _ in range(4)]
        + [reg.site("日照市", "portal")]
        + [reg.site("滨州市")]
        + [reg.site("菏泽市")]
    )
    q2_judged = [(s, score.FAIL) for s in q2_failed] + [(s, score.PASS) for s in passed[: 214 - len(q2_failed)]]
    return World(
        reg.province,
        quarter("2017年第一季度抽查", datetime(2017, 3, 20, tzinfo=CST), reg.province, q1_judged),
        quarter("2017年第二季度抽查", datetime(2017, 6, 20, tzinfo=CST), reg.province, q2_judged),
    )


def ledger_for(world: World) -> Ledger:
    loaded = rules.load("shandong-2017h1")
    ledger = Ledger.objects.create(name=loaded.title, region=world.province, rules_name=loaded.name,
                                   rules_text=loaded.text)  # fmt: skip
    LedgerCampaign.objects.create(ledger=ledger, campaign=world.q1, quarter="一季度", results_published=Q1_PUBLISHED)
    LedgerCampaign.objects.create(
        ledger=ledger, campaign=world.q2, quarter="二季度", results_published=date(2017, 7, 1)
    )
    entered = [("city", "聊城市", "overdue_reports", 2, "阳谷政务网留言超期")]
    entered += [("department", "省卫生和计生委", "overdue_reports", 1, "留言超期 4 天以上")]
    entered += [("city", "聊城市", "missing_report", 1, "至今未报送")]
    entered += [("department", n, "missing_report", 1, "至今未报送") for n, _t, text in DEPARTMENTS if "自查" in text]
    for unit_type, unit, kind, count, reason in entered:
        LedgerLine.objects.create(ledger=ledger, unit_type=unit_type, unit=unit, kind=kind, count=count, reason=reason)
    return ledger


def table(rows: list[compute.Row], separator: str) -> list[tuple[str, str, str]]:
    return [(r.unit.name, compute.signed(r.total), r.explanation(separator)) for r in rows]


def test_seed_004_attachment_is_reproduced_exactly(world: World) -> None:
    ledger = ledger_for(world)
    made = compute.rows(ledger)
    assert table(made["city"], "；") == CITIES
    assert table(made["department"], "；") == DEPARTMENTS
    assert [t.heading for t in ledger.rules().unit_types] == ["各市政府", "省直部门"]


def test_the_campaigns_hold_the_notices_counts(world: World) -> None:
    """269 sampled and 20 unqualified in March, 214 and 7 in June (seed 004, 一)."""
    for campaign, sampled, failed in ((world.q1, 269, 20), (world.q2, 214, 7)):
        assert campaign.sites.count() == sampled
        assert campaign.sites.filter(final_verdict=score.FAIL).count() == failed


def test_a_site_closed_after_publication_counts(world: World) -> None:
    Site.objects.filter(status="closed").update(status_since=Q1_PUBLISHED + timedelta(days=1))
    made = {r.unit.name: r for r in compute.rows(ledger_for(world))["city"]}
    assert made["菏泽市"].explanation("；") == "一季度 4 个不合格网站-3；二季度 1 个不合格网站-1"


def test_manual_and_bonus_lines(world: World) -> None:
    ledger = ledger_for(world)
    LedgerLine.objects.create(ledger=ledger, unit_type="city", unit="日照市", kind="manual", points=3,
                              reason="网站被黑客篡改未及时处置")  # fmt: skip
    LedgerLine.objects.create(ledger=ledger, unit_type="city", unit="日照市", kind="bonus", points=1,
                              reason="开设网站监管专题")  # fmt: skip
    row = next(r for r in compute.rows(ledger)["city"] if r.unit.name == "日照市")
    assert row.explanation("；") == "二季度 1 个不合格网站-2；网站被黑客篡改未及时处置-3；开设网站监管专题+1"
    assert row.total == -4


def test_unreviewed_sites_are_named_and_refused(world: World) -> None:
    entry = world.q2.sites.filter(final_verdict=score.FAIL).order_by("site__code").first()
    assert entry is not None
    CampaignSite.objects.filter(pk=entry.pk).update(final_verdict=score.REVIEW, verdict=score.REVIEW)
    ledger = ledger_for(world)
    with pytest.raises(Unreviewed) as caught:
        compute.rows(ledger)
    assert entry.site.code in str(caught.value) and len(caught.value.outcomes) == 1
    made = compute.rows(ledger, use_scan_verdicts=True)  # 待核查 is not 不合格: 聊城 has 3 in Q2
    assert made["city"][0].explanation("；").startswith("一季度 10 个不合格网站-6；二季度 3 个不合格网站-6")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('method = "stepped"', 'method = "linear"'), "unqualified[0]: method must be one of"),
        (('region = "370000"', 'region = "37"'), "region must be a 6-digit division code"),
        (('points = 5\ntext = "{count}', 'points = -5\ntext = "{count}'), "inputs.overdue_reports: points"),
        (("{quarter}网站抽查", "{quarterly}网站抽查"), "unqualified[1]: text may use only"),
        (('unit_type = "department"', 'unit_type = "county"'), "unit_type 'county' is not in unit_types"),
        (("[inputs.missing_report]", "[inputs.missing]"), "inputs.missing: unknown input"),
    ],
)
def test_a_bad_rules_file_names_the_field(change: tuple[str, str], message: str) -> None:
    text = rules.load("shandong-2017h1").text
    assert change[0] in text
    with pytest.raises(rules.RulesError, match=message.replace("[", r"\[").replace("]", r"\]").replace("{", r"\{")):
        rules.parse(text.replace(change[0], change[1], 1), "mine.toml")


def test_overdue_error_reports_come_from_the_error_report_app(world: World) -> None:
    """Two reports on 聊城市's sites handled late (the seed's 阳谷政务网), one on time, one
    received outside the period: "2 条网民留言处理超期-10" without any entered line."""
    ledger = ledger_for(world)
    ledger.lines.filter(kind="overdue_reports", unit="聊城市").delete()
    ledger.reports_from, ledger.reports_to = date(2017, 1, 1), date(2017, 6, 30)
    ledger.save()
    site = Site.objects.filter(organizer__startswith="聊城市").order_by("code").first()
    assert site is not None

    def report(received: date, due: date, closed: date) -> None:
        at = datetime.combine(closed, datetime.min.time(), CST) + timedelta(hours=15)
        Report.objects.create(site=site, kind="other", description="留言超期未答复" * 2, state="closed", due=due,
                              received=datetime.combine(received, datetime.min.time(), CST), closed_at=at)  # fmt: skip

    report(date(2017, 5, 2), date(2017, 5, 5), date(2017, 5, 12))  # 5 working days late
    report(date(2017, 6, 1), date(2017, 6, 6), date(2017, 6, 12))
    report(date(2017, 6, 1), date(2017, 6, 6), date(2017, 6, 5))  # on time
    report(date(2017, 7, 3), date(2017, 7, 6), date(2017, 7, 20))  # outside the period
    made = compute.rows(ledger)
    assert table(made["city"], "；")[0] == CITIES[0]
    health = next(r for r in made["department"] if r.unit.name == "省卫生和计生委")
    assert health.explanation("；") == "1 条网民留言处理超期-5"  # still the entered line


def self_inspection(world: World, tmp_path: Path, *also_missing: str) -> SelfInspectionRound:
    """The half year's self-inspection over the province: every unit reports in time but
    the nine the notice names (聊城市 and eight 省直部门); 省卫生和计生委 reports late."""
    user = User.objects.create_user("reporter")
    deadline = date(2017, 3, 31)
    made = selfinspection.create_round(name="2017年上半年网站自查", period="2017H1", region=world.province,
                                       deadline=deadline)  # fmt: skip
    missing = {"聊城市", *also_missing} | {n for n, _t, text in DEPARTMENTS if "自查" in text}
    at = datetime(2017, 3, 30, 9, tzinfo=CST)
    with override_settings(DATA_DIR=tmp_path):
        for unit in selfinspection.units(made):
            if unit.name in missing:
                continue
            late = unit.name == "省卫生和计生委"
            body = f"网站标识码,自查得分,自查结论\n{unit.sites[0].code},95,合格\n".encode()
            selfinspection.submit(made, unit, user, ("自查结果.csv", body), ("自查报告.pdf", b"%PDF-1.4"),
                                  now=at + timedelta(days=10 if late else 0))  # fmt: skip
    return made


def test_missing_self_inspection_reports_come_from_the_rounds(world: World, tmp_path: Path) -> None:
    """Seed 004's nine "未报送自查报告-5" lines read from a self-inspection round, none entered:
    a city's region unit on its city's row, a department's 主管单位 unit on its 主办单位 row."""
    ledger = ledger_for(world)
    ledger.lines.filter(kind="missing_report").delete()
    round_ = self_inspection(world, tmp_path)
    assert {u.name for u in selfinspection.missing_units(round_, date(2017, 7, 1))} == {
        "聊城市", *(n for n, _t, text in DEPARTMENTS if "自查" in text)
    }  # fmt: skip
    without = compute.rows(ledger, today=date(2017, 7, 1))
    assert "未报送自查报告" not in str([r.explanation("；") for rows in without.values() for r in rows])
    ledger.rounds.add(round_)
    made = compute.rows(ledger, today=date(2017, 7, 1))
    assert table(made["city"], "；") == CITIES
    assert table(made["department"], "；") == DEPARTMENTS  # 省卫生和计生委 reported late: not missing
    # before the deadline nobody has missed it yet
    early = compute.rows(ledger, today=date(2017, 3, 31))
    assert table(early["city"], "；")[0] == ("聊城市", "-24", CITIES[0][2].removesuffix("；未报送自查报告-5"))
    # a second round missed costs the points again; {count} is the rounds missed
    second = selfinspection.create_round(name="2017年第二季度自查", period="2017Q2", region=world.province,
                                         deadline=date(2017, 6, 30))  # fmt: skip
    ledger.rounds.add(second)
    rules_text = ledger.rules_text.replace(
        'text = "未报送自查报告{points}"', 'text = "{count} 次未报送自查报告{points}"'
    )
    assert rules_text != ledger.rules_text
    Ledger.objects.filter(pk=ledger.pk).update(rules_text=rules_text)
    ledger.refresh_from_db()
    twice = {r.unit.name: r for r in compute.rows(ledger, today=date(2017, 7, 1))["city"]}
    assert twice["聊城市"].total == -34 and twice["聊城市"].explanation("；").endswith("2 次未报送自查报告-10")
    assert twice["济南市"].explanation("；") == "一季度 1 个不合格网站-1；1 次未报送自查报告-5"


def test_a_department_is_charged_once_on_its_own_row_or_its_first_sites(world: World, tmp_path: Path) -> None:
    """A 主管单位 over two sites run by others (主办单位 省文物局 and 省图书馆) misses its report:
    one line, on the first site's 主办单位 row; once it runs one of them, on its own row."""
    ledger = ledger_for(world)
    ledger.lines.filter(kind="missing_report").delete()
    first, second = (
        Site.objects.create(
            code=f"37000099{n:02d}",
            name=f"省文化厅网{n}",
            url=f"http://w{n}.example.gov.cn/",
            organizer=organizer,
            supervisor="省文化厅",
            region=world.province,
            level="provincial_department",
            kind="department",
        )
        for n, organizer in ((1, "省文物局"), (2, "省图书馆"))
    )
    ledger.rounds.add(self_inspection(world, tmp_path, "省文化厅"))
    made = {r.unit.name: r for r in compute.rows(ledger, today=date(2017, 7, 1))["department"]}
    assert made["省文物局"].explanation("；") == "未报送自查报告-5"
    assert "省图书馆" not in made and "省文化厅" not in made
    Site.objects.filter(pk=second.pk).update(organizer="省文化厅")
    made = {r.unit.name: r for r in compute.rows(ledger, today=date(2017, 7, 1))["department"]}
    assert made["省文化厅"].explanation("；") == "未报送自查报告-5" and "省文物局" not in made
    assert first.code < second.code


def test_the_ledger_page_adds_a_round_and_refuses_a_line_counted_twice(world: World, tmp_path: Path) -> None:
    ledger = ledger_for(world)
    ledger.lines.filter(kind="missing_report").delete()
    round_ = self_inspection(world, tmp_path)
    elsewhere = selfinspection.create_round(name="聊城市自查", period="2017H1", region=Region.objects.get(name="聊城市"),
                                            deadline=date(2017, 3, 31))  # fmt: skip
    user = User.objects.create_user("province", password="pw")
    Membership.objects.create(user=user, role=Role.PROVINCIAL, region=world.province)
    c = Client()
    assert c.login(username="province", password="pw")
    url = f"/ledger/{ledger.pk}/"

    def notices(response: HttpResponse) -> str:
        return " ".join(str(m) for m in get_messages(response.wsgi_request))

    assert list(c.get(url).context["other_rounds"]) == [round_]  # only rounds over the ledger's region
    refused = c.post(url, {"step": "round", "round": elsewhere.pk})
    assert "请选择本扣分表所属地区的自查轮次" in notices(refused) and not ledger.rounds.exists()
    c.post(url, {"step": "round", "round": round_.pk})
    assert list(ledger.rounds.all()) == [round_]
    shown = c.get(url).content.decode()
    assert "未报送自查报告-5" in shown and f'href="/rectification/self-inspection/{round_.pk}/"' in shown
    twice = c.post(url, {"step": "line", "unit_type": "department", "unit": "省环保厅", "kind": "missing_report",
                         "count": "1", "reason": "至今未报送"})  # fmt: skip
    assert "省环保厅已因自查轮次计为未报送自查报告" in notices(twice)
    assert not ledger.lines.filter(kind="missing_report").exists()
    c.post(url, {"step": "line", "unit_type": "department", "unit": "省司法厅", "kind": "missing_report",
                 "count": "1", "reason": "年初书面自查未报送"})  # fmt: skip
    assert ledger.lines.filter(kind="missing_report", unit="省司法厅").exists()  # owed outside the rounds


RECTIFICATION_RULE = '\n[inputs.overdue_rectification]\npoints = 5\ntext = "{count} 个网站逾期未整改{points}"\n'


def test_rectification_past_its_deadline_is_charged_until_a_recheck_finds_it_fixed(world: World) -> None:
    """逾期未整改 (docs/bulletins.md): a task of a counted quarter past its deadline and not
    finished — awaiting rectification, reopened by a re-check, or with a re-check under way —
    costs its unit the rule's points; a task a re-check closed (everything fixed) or closed
    instead (申请关停) costs nothing, nor does a task of a campaign the ledger does not count."""
    ledger = ledger_for(world)
    Ledger.objects.filter(pk=ledger.pk).update(rules_text=ledger.rules_text + RECTIFICATION_RULE)
    ledger.refresh_from_db()
    failed = list(world.q2.sites.filter(final_verdict=score.FAIL).select_related("site").order_by("site__code"))
    liaocheng = [e for e in failed if e.site.region.parent_id and e.site.region.parent.name == "聊城市"][:2]
    justice = world.q1.sites.select_related("site").get(site__organizer="省司法厅")
    deadline = date(2017, 7, 20)
    tasks = [
        Task.objects.create(entry=e, site=e.site, unit=e.site.organizer, deadline=deadline)
        for e in [*liaocheng, justice]
    ]
    other = quarter("2017年第三季度抽查", datetime(2017, 9, 20, tzinfo=CST), world.province, [(justice.site, "不合格")])
    Task.objects.create(entry=other.sites.get(), site=justice.site, unit="省司法厅", deadline=deadline)  # not counted

    def rows(today: date) -> tuple[dict[str, compute.Row], dict[str, compute.Row]]:
        made = compute.rows(ledger, today=today)
        return {r.unit.name: r for r in made["city"]}, {r.unit.name: r for r in made["department"]}

    cities, departments = rows(deadline)  # due today: not yet overdue
    assert table(list(cities.values()), "；") == CITIES
    cities, departments = rows(deadline + timedelta(days=1))
    assert cities["聊城市"].total == -39 and cities["聊城市"].explanation("；") == (
        "一季度 10 个不合格网站-6；二季度 4 个不合格网站-8；2 个网站逾期未整改-10；2 条网民留言处理超期-10；未报送自查报告-5"
    )
    assert departments["省司法厅"].explanation("；") == "一季度网站抽查不合格-2；1 个网站逾期未整改-5"
    Task.objects.filter(pk=tasks[0].pk).update(state=Task.State.RECHECKING)  # feedback filed, re-check not done
    assert rows(deadline + timedelta(days=1))[0]["聊城市"].total == -39
    Task.objects.filter(pk=tasks[0].pk).update(state=Task.State.CLOSED)  # the re-check found everything fixed
    Task.objects.filter(pk=tasks[2].pk).update(state=Task.State.CLOSURE)  # closed instead (申请关停)
    cities, departments = rows(deadline + timedelta(days=1))
    assert "1 个网站逾期未整改-5" in cities["聊城市"].explanation("；") and cities["聊城市"].total == -34
    assert departments["省司法厅"].explanation("；") == "一季度网站抽查不合格-2"
    Ledger.objects.filter(pk=ledger.pk).update(rules_text=rules.load("shandong-2017h1").text)  # no such rule
    ledger.refresh_from_db()
    assert table(compute.rows(ledger, today=deadline + timedelta(days=1))["city"], "；") == CITIES


def test_the_shipped_rule_sets_load() -> None:
    for name in rules.shipped():
        loaded = rules.load(name)
        assert loaded.name == name and loaded.unqualified and loaded.inputs
    assert "overdue_rectification" in rules.load("huachuan-2026h2").inputs
