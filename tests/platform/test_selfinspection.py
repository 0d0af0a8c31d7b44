"""Self-inspection (自查) and the reporting chain: units, a results table checked whole
(row/column errors, nothing written), late and never-submitted units, coverage against the
minimum, self-score against the spot check, the template filled from self-checks, and a
sampled re-verification scanned against the fleet."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from openpyxl import load_workbook

from govsite.platform.accounts.access import can_report_for, visible_rounds
from govsite.platform.accounts.models import Role
from govsite.platform.campaigns.models import Campaign, CampaignSite
from govsite.platform.rectification import selfinspection as si
from govsite.platform.rectification.models import SelfInspectionRound, SelfReport, SelfResult
from govsite.platform.registry.models import Region, Site
from govsite.platform.registry.samples import load_sample_province
from govsite.platform.registry.tabular import ImportRejected
from govsite.samples.testing import Scans
from govsite.samples.world import World

from ..factories import filled, member
from ..helpers import TEST_NOW

pytestmark = pytest.mark.django_db
AS_OF = TEST_NOW
HEADER = ["网站标识码", "网站名称", "自查得分", "自查结论", "自查日期"]
REPORT = ("云江市2026年第四季度网站自查报告.pdf", b"%PDF-1.4 report")


def table(rows: list[list[str]], header: list[str] = HEADER) -> tuple[str, bytes]:
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    return "自查结果.csv", out.getvalue().encode("utf-8-sig")


@pytest.fixture
def round_(sample_world: World) -> SelfInspectionRound:
    load_sample_province(sample_world)
    return si.create_round(name="2026年第四季度自查", period="2026Q4", region=Region.objects.get(code="390000"),
                           deadline=date(2026, 11, 30))  # fmt: skip


def test_units_are_the_cities_and_the_provincial_departments(round_: SelfInspectionRound) -> None:
    units = si.units(round_)
    assert [u.name for u in units[:4]] == ["云江市", "石桥市", "安澜市", "北溪市"]
    assert len(units[0].sites) == 7 and all(s.region.code.startswith("3901") for s in units[0].sites)
    departments = units[4:]
    assert "华川省教育厅" in [u.name for u in departments] and all(u.region is None for u in departments)
    assert round_.minimum_coverage == Decimal("0.300")  # GOVSITE's configured minimum (seed 004: 30 %)
    city = member("city", Role.MUNICIPAL, "390100")
    operator = member("edu", Role.OPERATOR, sites=("3900000003",))
    education = si.unit_of(round_, "dept:华川省教育厅")
    assert education is not None
    assert can_report_for(city, units[0].region, units[0].sites) and not can_report_for(city, units[1].region, [])
    assert can_report_for(operator, None, education.sites) and not can_report_for(operator, None, units[5].sites)
    assert list(visible_rounds(city)) == [round_] and list(visible_rounds(operator)) == [round_]
    assert list(visible_rounds(member("other", Role.MUNICIPAL, "390200"))) == [round_]


def test_a_table_in_the_wrong_layout_or_with_bad_rows_is_refused_whole(
    round_: SelfInspectionRound, tmp_path: Path
) -> None:
    city = member("city", Role.MUNICIPAL, "390100")
    unit = si.units(round_)[0]
    with override_settings(DATA_DIR=tmp_path):
        with pytest.raises(ImportRejected) as wrong:
            si.submit(round_, unit, city, table([["3901000001", "", "95", "合格", ""]],
                      header=["网站标识码", "自查分数", "结论"]), REPORT)  # fmt: skip
        assert [(e.row, e.column, e.message) for e in wrong.value.errors] == [
            (1, "自查分数", "不是自查结果表的列（见 docs/rectification.md）"),
            (1, "结论", "不是自查结果表的列（见 docs/rectification.md）"),
            (1, "自查结论", "缺少必填列"),
        ]
        rows = [
            ["3901000001", "云江市人民政府", "95", "合格", "2026-11-20"],
            ["3902000001", "石桥市人民政府", "80", "合格", ""],  # another unit's site
            ["3901000002", "", "abc", "良好", "2026年11月20日"],
            ["3901000001", "", "", "不合格", ""],  # twice
            ["3901000003", "", "", "合格", ""],  # a pass needs its score
        ]
        with pytest.raises(ImportRejected) as bad:
            si.submit(round_, unit, city, table(rows), ("report.exe", b"MZ"))
        assert [(e.row, e.column) for e in bad.value.errors] == [
            (0, "自查报告"),
            (3, "网站标识码"),
            (4, "自查结论"),
            (4, "自查得分"),
            (4, "自查日期"),
            (5, "网站标识码"),
            (6, "自查得分"),
        ]
        assert "第 3 行「网站标识码」：3902000001 不是云江市运行中的网站" in str(bad.value)
        with pytest.raises(ImportRejected) as many:  # a long list of errors stays readable
            si.submit(round_, unit, city, table([["3909999999", "", "1", "合格", ""]] * 300), REPORT)
        assert len(many.value.errors) == si.MAX_ERRORS + 1 and "另有 100 处错误未列出" in str(many.value.errors[-1])
        assert not SelfReport.objects.exists() and not SelfResult.objects.exists()
        assert not list(tmp_path.rglob("self-inspection/*/*"))  # no report file kept


def test_late_never_coverage_and_gaps(round_: SelfInspectionRound, tmp_path: Path) -> None:
    yunjiang, shiqiao = si.units(round_)[:2]
    city = member("city", Role.MUNICIPAL, "390100")
    other = member("other", Role.MUNICIPAL, "390200")
    deadline = datetime(2026, 11, 30, 12, tzinfo=timezone(timedelta(hours=8)))
    with override_settings(DATA_DIR=tmp_path):
        rows = [
            ["3901000001", "", "95", "合格", ""],
            ["3901000002", "", "88", "合格", ""],
            ["3901000003", "", "", "不合格", ""],
        ]
        report = si.submit(round_, yunjiang, city, table(rows[:2]), REPORT, now=deadline - timedelta(days=1))
        assert (tmp_path / report.report).read_bytes() == REPORT[1] and report.results.count() == 2
        si.submit(round_, shiqiao, other, table([["3902000001", "", "70", "合格", ""]]), REPORT,
                  now=deadline + timedelta(days=2))  # fmt: skip
        again = si.submit(round_, yunjiang, city, table(rows), REPORT, now=deadline + timedelta(days=5))
        assert again.pk == report.pk and again.results.count() == 3 and not (tmp_path / report.report).exists()
        assert again.submitted == deadline - timedelta(days=1)  # the first submission decides lateness

    status = {s.unit.name: s.status for s in si.submissions(round_, today=date(2026, 12, 1))}
    assert status["云江市"] == si.ON_TIME and status["石桥市"] == si.LATE
    assert status["安澜市"] == status["华川省教育厅"] == si.NEVER
    assert si.submissions(round_, today=date(2026, 11, 29))[2].status == si.NOT_YET
    assert "北溪市" in [u.name for u in si.missing_units(round_, date(2026, 12, 1))]

    cover = {c.unit.name: c for c in si.coverage(round_)}
    assert (cover["云江市"].checked, cover["云江市"].running) == (3, 7) and cover["云江市"].meets  # 43 % ≥ 30 %
    assert cover["石桥市"].ratio == pytest.approx(1 / 7) and not cover["石桥市"].meets
    assert cover["安澜市"].checked == 0 and not cover["安澜市"].meets

    spot = Campaign.objects.create(name="抽查", kind="spot_check", region=round_.region, seed=1, profile_name="p",
                                   profile_version="1", profile_digest="d", profile_text="", state="finished",
                                   as_of=AS_OF)  # fmt: skip
    for code, verdict in (("3901000001", "不合格"), ("3901000002", "不合格"), ("3902000001", "不合格")):
        CampaignSite.objects.create(campaign=spot, site=Site.objects.get(code=code), stratum="x", state="done",
                                    verdict=verdict, final_verdict=verdict)  # fmt: skip
    assert si.gaps(round_) == []  # no spot check chosen
    found = si.gaps(round_, spot)
    assert [(g.site.code, g.self_score, g.unit_name) for g in found] == [
        ("3901000001", 95.0, "云江市")
    ]  # 88, 70: not > 90


def test_the_template_is_filled_from_the_operators_self_checks(round_: SelfInspectionRound) -> None:
    unit = si.units(round_)[0]
    portal = Site.objects.get(code="3901000001")
    check = Campaign.objects.create(name="自查", kind="self_check", region=portal.region, seed=1, profile_name="p",
                                    profile_version="1", profile_digest="d", profile_text="", state="finished",
                                    as_of=AS_OF)  # fmt: skip
    CampaignSite.objects.create(campaign=check, site=portal, stratum="x", state="done", verdict="合格",
                                final_verdict="合格", score=93.5, final_score=93.5)  # fmt: skip
    Site.objects.filter(code="3901000002").update(name='=HYPERLINK("http://x")')
    unit = si.units(round_)[0]
    sheet = load_workbook(io.BytesIO(si.template(round_, unit))).worksheets[0]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == HEADER and len(rows) == 8
    assert rows[1] == ["3901000001", "云江市人民政府", 93.5, "合格", "2026-11-23"]
    assert rows[2][1] == '\'=HYPERLINK("http://x")' and rows[2][2:4] == [None, None]  # no formula; no self-check


def test_a_sampled_reverification_reports_agreement(
    round_: SelfInspectionRound, sample_scans: Scans, tmp_path: Path
) -> None:
    city = member("city", Role.MUNICIPAL, "390100")
    unit = si.units(round_)[0]
    rows = [
        ["3901000001", "", "96", "合格", ""],
        ["3901000002", "", "92", "合格", ""],
        ["3901000003", "", "91", "合格", ""],
    ]
    with override_settings(DATA_DIR=tmp_path):
        si.submit(round_, unit, city, table(rows), REPORT)
        with pytest.raises(ValidationError, match="尚未报送"):
            si.draw_reverification(round_, "region:390200", Decimal(1), as_of=AS_OF)
        made = si.draw_reverification(round_, unit.key, Decimal("0.5"), as_of=AS_OF, seed=7)
        campaign = made.campaign
        sampled = set(campaign.sites.values_list("site__code", flat=True))
        assert campaign.kind == "spot_check" and campaign.seed == 7 and sampled <= {r[0] for r in rows}
        assert len(sampled) >= 1
        again = si.draw_reverification(round_, unit.key, Decimal("0.5"), as_of=AS_OF, seed=7)
        assert set(again.campaign.sites.values_list("site__code", flat=True)) == sampled  # reproducible
        assert si.agreement(made).compared == 0  # not scanned yet
        filled(sample_scans, campaign)  # scanned as the executor stores a run
    result = si.agreement(made)
    verdicts = dict(campaign.sites.values_list("site__code", "final_verdict"))
    assert result.sampled == len(sampled)
    decided = {c: v for c, v in verdicts.items() if v in ("合格", "不合格")}
    assert result.compared == len(decided)
    assert sorted(s.code for s, _own, _found in result.differing) == sorted(
        c for c, v in decided.items() if v != "合格"
    )
    assert result.agreed == result.compared - len(result.differing)
