"""Working-day arithmetic on the State Council's calendar (jiucuo/workdays.py): the Spring
Festival and National Day with their adjusted working weekends, a year boundary, and the
editable table for the years chinese-calendar does not cover."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from govsite.platform.jiucuo.intake import forward
from govsite.platform.jiucuo.models import CalendarDay, CalendarYear, Report
from govsite.platform.jiucuo.workdays import (
    CalendarGap,
    WorkCalendar,
    add_working_days,
    forget_calendar,
    load_calendar,
    working_days_between,
)
from govsite.platform.registry.models import Site
from govsite.platform.registry.samples import load_sample_province
from govsite.samples.world import World

PACKAGE = WorkCalendar()  # chinese-calendar alone


@pytest.fixture(autouse=True)
def fresh_calendar() -> None:
    forget_calendar()  # a rolled-back test's table must not linger in the process's cache


def test_spring_festival_2026_with_its_working_saturdays() -> None:
    # 2026: 2月15日–23日 off; Saturdays 2月14日 and 2月28日 are working days
    assert PACKAGE.add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 14)  # Friday → the Saturday worked
    assert PACKAGE.add_working_days(date(2026, 2, 14), 1) == date(2026, 2, 24)  # over the whole festival
    assert PACKAGE.add_working_days(date(2026, 2, 13), 3) == date(2026, 2, 25)
    assert PACKAGE.add_working_days(date(2026, 2, 18), 1) == date(2026, 2, 24)  # received on a holiday
    assert PACKAGE.add_working_days(date(2026, 2, 27), 1) == date(2026, 2, 28)
    assert PACKAGE.working_days_between(date(2026, 2, 13), date(2026, 2, 28)) == 6  # 14, 24–28
    assert not PACKAGE.is_working_day(date(2026, 2, 16)) and PACKAGE.is_working_day(date(2026, 2, 14))


def test_national_day_2026_with_mid_autumn_and_adjusted_weekends() -> None:
    # 9月25日 中秋 off; 10月1日–7日 off; Sunday 9月20日 and Saturday 10月10日 worked
    assert PACKAGE.add_working_days(date(2026, 9, 19), 1) == date(2026, 9, 20)
    assert PACKAGE.add_working_days(date(2026, 9, 24), 1) == date(2026, 9, 28)
    assert PACKAGE.add_working_days(date(2026, 9, 30), 3) == date(2026, 10, 10)
    assert PACKAGE.working_days_between(date(2026, 9, 30), date(2026, 10, 12)) == 4
    assert PACKAGE.working_days_between(date(2026, 10, 12), date(2026, 9, 30)) == -4


def test_year_boundary_with_a_sunday_worked() -> None:
    # 2026年1月1日–3日 off, Sunday 1月4日 worked
    assert PACKAGE.add_working_days(date(2025, 12, 31), 1) == date(2026, 1, 4)
    assert PACKAGE.add_working_days(date(2025, 12, 30), 3) == date(2026, 1, 5)
    assert PACKAGE.working_days_between(date(2025, 12, 31), date(2026, 1, 5)) == 2


def test_adding_and_counting_agree() -> None:
    start = date(2025, 1, 1)
    for offset in range(0, 700, 3):
        for n in (0, 1, 3, 7):
            a = start + timedelta(days=offset)
            assert PACKAGE.working_days_between(a, PACKAGE.add_working_days(a, n)) == n, (a, n)
    with pytest.raises(ValueError):
        PACKAGE.add_working_days(start, -1)


def test_a_year_no_calendar_covers_is_an_error_not_a_guess() -> None:
    with pytest.raises(CalendarGap, match="2027"):
        PACKAGE.add_working_days(date(2026, 12, 30), 3)
    with pytest.raises(CalendarGap, match="jiucuo_calendar load"):
        PACKAGE.is_working_day(date(2027, 3, 1))
    assert PACKAGE.add_working_days(date(2026, 12, 28), 3) == date(2026, 12, 31)  # stays inside 2026


@pytest.mark.django_db
def test_the_table_covers_new_years_and_corrects_the_package() -> None:
    # Made-up test entries, not the State Council's arrangement for 2027.
    CalendarYear.objects.create(year=2027, source="test")
    CalendarDay.objects.create(day=date(2027, 1, 1), working=False, name="元旦")
    CalendarDay.objects.create(day=date(2026, 12, 31), working=False, name="test correction")
    assert add_working_days(date(2026, 12, 30), 1) == date(2027, 1, 4)  # 31 corrected, 1 off, 2–3 weekend
    assert working_days_between(date(2026, 12, 30), date(2027, 1, 5)) == 2
    calendar = load_calendar()
    assert calendar.complete_years == {2027} and calendar.overrides[date(2027, 1, 1)] is False
    with pytest.raises(CalendarGap, match="2028"):
        add_working_days(date(2027, 12, 31), 1)


@pytest.mark.django_db
def test_a_report_without_a_calendar_gets_its_deadline_when_the_year_is_loaded(
    tmp_path: Path, sample_world: World
) -> None:
    load_sample_province(sample_world)
    received = timezone.make_aware(datetime(2026, 12, 30, 10))
    report, _ = forward(national_id="GJ1", site=Site.objects.get(code="3904000001"), kind="other", page_url="",
                        description="跨年留言", contact="", received=received)  # fmt: skip
    assert report.due is None  # 3 working days reach into 2027, which no calendar covers yet
    table = tmp_path / "2027.csv"
    table.write_text(
        "日期,类型,名称\n2027-01-01,休,元旦（测试数据）\n2027-01-02,班,调休（测试数据）\n", encoding="utf-8"
    )
    out = io.StringIO()
    call_command("jiucuo_calendar", "load", str(table), stdout=out)
    assert "1 deadlines set" in out.getvalue()
    assert Report.objects.get(pk=report.pk).due == date(2027, 1, 4)  # 12-31, 1-2 (a Saturday worked), 1-4
    shown = io.StringIO()
    call_command("jiucuo_calendar", "show", "2027", stdout=shown)
    assert shown.getvalue().split("\n")[:2] == ["2027-01-01 休", "2027-01-02 班"]
    bad = tmp_path / "bad.csv"
    bad.write_text("日期,类型,名称\n2027-13-01,休,x\n", encoding="utf-8")
    with pytest.raises(CommandError, match="row 2"):
        call_command("jiucuo_calendar", "load", str(bad))


def test_deadlines_per_step_are_configured_by_the_environment(tmp_path: Path) -> None:
    def read(value: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "GOVSITE_JIUCUO_DEADLINE_DAYS": value, "GOVSITE_DATA_DIR": str(tmp_path),
               "DJANGO_SETTINGS_MODULE": "govsite.platform.settings"}  # fmt: skip
        code = "from django.conf import settings; print(sorted(settings.JIUCUO_DEADLINE_DAYS.items()))"
        return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)

    assert read("received=5, returned=2").stdout.strip() == "[('reassigned', 3), ('received', 5), ('returned', 2)]"
    for wrong in ("accepted=3", "received=0", "received=three"):
        refused = read(wrong)
        assert refused.returncode != 0 and f"GOVSITE_JIUCUO_DEADLINE_DAYS: {wrong!r}" in refused.stderr
