"""Date formats Chinese government sites use, table-driven, plus properties."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govsite.engine.dates import (
    add_months,
    date_in_url,
    find_dates,
    labelled_date,
    parse_date,
    report_due_year,
    resolve_month_day,
)
from govsite.samples.testing import TEST_AS_OF


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-05-28", date(2026, 5, 28)),
        ("2026/5/28", date(2026, 5, 28)),
        ("2026.05.28", date(2026, 5, 28)),
        ("2026年5月28日", date(2026, 5, 28)),
        ("2026年05月28日 10:30", date(2026, 5, 28)),
        ("2026 年 5 月 28 日", date(2026, 5, 28)),
        ("[05-28]", date(2026, 5, 28)),
        ("【11-20】", date(2026, 11, 20)),
        ("[12-30]", date(2025, 12, 30)),  # after the as-of date: last year
        ("(11-23)", date(2026, 11, 23)),
        ("11-02", date(2026, 11, 2)),  # a bare month-day cell
        ("发布时间：2026-05-28 09:12", date(2026, 5, 28)),
        ("2026-13-01", None),
        ("2026-02-30", None),
        ("1889-01-01", None),
        ("关于开展2026年民生实事专项检查的通知", None),
        ("共3页", None),
        ("", None),
    ],
)
def test_formats(text: str, expected: date | None) -> None:
    assert parse_date(text, TEST_AS_OF) == expected


def test_labelled_dates_win_over_other_dates() -> None:
    text = "会议于2023年3月5日召开。 发布时间：2026-11-23 来源：办公室"
    assert labelled_date(text, TEST_AS_OF) == date(2026, 11, 23)
    assert find_dates(text, TEST_AS_OF) == [date(2023, 3, 5), date(2026, 11, 23)]
    assert labelled_date("留言时间 2026-05-01 回复时间 2026-05-03", TEST_AS_OF, "回复时间") == date(2026, 5, 3)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://x.gov.cn/zwyw/202605/t20260528_1201.html", date(2026, 5, 28)),
        ("http://x.gov.cn/art/2026/5/28/art_1201_3.html", date(2026, 5, 28)),
        ("http://x.gov.cn/content.jsp?id=3", None),
        ("http://x.gov.cn/col/col4001/index.html", None),
    ],
)
def test_dates_in_urls(url: str, expected: date | None) -> None:
    assert date_in_url(url, TEST_AS_OF) == expected


def test_february_29th_resolves_to_the_last_leap_year_before() -> None:
    assert resolve_month_day(2, 29, date(2026, 3, 1)) == date(2024, 2, 29)
    assert resolve_month_day(13, 1, date(2026, 3, 1)) is None
    assert resolve_month_day(2, 29, date(2024, 3, 1)) == date(2024, 2, 29)


@given(st.text(max_size=200))
def test_parsing_never_crashes_and_finds_only_plausible_dates(text: str) -> None:
    for found in find_dates(text, TEST_AS_OF):
        assert date(1990, 1, 1) <= found <= date(TEST_AS_OF.year + 1, 12, 31)
    parse_date(text, TEST_AS_OF)
    labelled_date(text, TEST_AS_OF)


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2027, 12, 31)), st.sampled_from(["iso", "cn", "slash"]))
def test_a_printed_date_parses_back_to_itself(day: date, style: str) -> None:
    printed = {
        "iso": f"{day:%Y-%m-%d}",
        "cn": f"{day.year}年{day.month}月{day.day}日",
        "slash": f"{day.year}/{day.month}/{day.day}",
    }[style]
    parsed = parse_date(printed, TEST_AS_OF)
    assert parsed == day
    assert parse_date(parsed.isoformat(), TEST_AS_OF) == parsed  # idempotent through ISO


def test_calendar_months_and_the_report_deadline() -> None:
    assert add_months(date(2026, 8, 23), 3) == date(2026, 11, 23)
    assert add_months(date(2025, 11, 30), 3) == date(2026, 2, 28)
    assert add_months(date(2023, 11, 30), 3) == date(2024, 2, 29)
    assert add_months(date(2026, 12, 31), 1) == date(2027, 1, 31)
    assert report_due_year(date(2026, 1, 31)) == 2024
    assert report_due_year(date(2026, 2, 1)) == 2025
