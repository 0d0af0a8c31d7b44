"""Dates as Chinese government sites print them, resolved against the as-of date.

Forms: 2026-05-28, 2026/5/28, 2026.05.28, 2026年5月28日, [05-28], and a cell holding
only 05-28 or 5月28日 (year from the as-of date: the latest such date not after it),
labelled dates (发布时间：…), meta PubDate, and dates inside URLs
(/202605/t20260528_1.html, /art/2026/5/28/…).
"""

from __future__ import annotations

import re
from datetime import date, timedelta, timezone

#: China Standard Time, the time of every as-of date (监测时间点).
CST = timezone(timedelta(hours=8), "CST")

FULL = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)\s*日?")
MONTH_DAY = re.compile(r"[\[【(（]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*[\]】)）]")
#: A cell holding only a month and day: 05-28, 5.28, 5月28日.
BARE_MONTH_DAY = re.compile(r"^\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*(?:(?<=\d)日)?\s*$")
PUBLISHED_LABELS = "发布时间|发布日期|发文日期|成文日期|更新时间|更新日期|日期|时间"
#: Labels of an article's publication date, strongest first; a bare 日期/时间 must not
#: end another word (报名时间, 出生日期 are not it).
PUBLISHED_TIERS = (
    "发布时间|发布日期|发稿时间|发表时间|发表日期|发文日期|上传时间|信息时间",
    "成文日期|更新时间|更新日期",
    "(?<![\u4e00-\u9fff])(?:日期|时间)",
)
URL_COMPACT = re.compile(r"(?<!\d)(20\d{2})(\d{2})(\d{2})(?!\d)")
URL_PATH = re.compile(r"/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})/")
URL_MONTH = re.compile(r"/((?:19|20)\d{2})(\d{2})/")
EARLIEST_YEAR = 1990


def _make(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _plausible(d: date | None, as_of: date) -> date | None:
    if d is None or d.year < EARLIEST_YEAR or d.year > as_of.year + 1:
        return None
    return d


def resolve_month_day(month: int, day: int, as_of: date) -> date | None:
    """The latest date with this month and day that is not after ``as_of``."""
    for year in range(as_of.year, as_of.year - 5, -1):  # back to the last leap year for 02-29
        d = _make(year, month, day)
        if d is not None and d <= as_of:
            return d
    return None


def find_dates(text: str, as_of: date) -> list[date]:
    """Every date in ``text``, in order of appearance."""
    found: list[tuple[int, date]] = []
    for m in FULL.finditer(text):
        d = _plausible(_make(int(m[1]), int(m[2]), int(m[3])), as_of)
        if d:
            found.append((m.start(), d))
    for m in MONTH_DAY.finditer(text):
        d = resolve_month_day(int(m[1]), int(m[2]), as_of)
        if d:
            found.append((m.start(), d))
    return [d for _, d in sorted(found, key=lambda pair: pair[0])]


def first_date(text: str, as_of: date) -> tuple[int, date] | None:
    """``(offset, date)`` of the first full date (with its year) in ``text``."""
    for m in FULL.finditer(text):
        d = _plausible(_make(int(m[1]), int(m[2]), int(m[3])), as_of)
        if d:
            return m.start(), d
    return None


def parse_date(text: str, as_of: date) -> date | None:
    """The first date in a short snippet (a list cell, a label's value)."""
    dates = find_dates(text, as_of)
    if dates:
        return dates[0]
    if m := BARE_MONTH_DAY.match(text):
        return resolve_month_day(int(m[1]), int(m[2]), as_of)
    return None


def labelled_date(text: str, as_of: date, labels: str = PUBLISHED_LABELS) -> date | None:
    """The date right after the first of ``labels`` (``|``-separated) in ``text``."""
    for m in re.finditer(rf"(?:{labels})\s*[:：]?\s*", text):
        d = parse_date(text[m.end() : m.end() + 40], as_of)
        if d:
            return d
    return None


def date_in_url(url: str, as_of: date) -> date | None:
    """A publication date a CMS wrote into the URL, if any."""
    for pattern in (URL_PATH, URL_COMPACT):
        if m := pattern.search(url):
            d = _plausible(_make(int(m[1]), int(m[2]), int(m[3])), as_of)
            if d:
                return d
    return None


def add_months(d: date, months: int) -> date:
    """``d`` plus whole calendar months, clamped to the month's last day (3 months after
    30 November is 28 or 29 February)."""
    month = d.month - 1 + months
    year, month = d.year + month // 12, month % 12 + 1
    for day in (d.day, 30, 29, 28):
        found = _make(year, month, day)
        if found is not None:
            return found
    raise AssertionError("unreachable")


def report_due_year(today: date) -> int:
    """The latest year whose 政府网站工作年度报表 must be out: reports are due by 31 January."""
    return today.year - 1 if (today.month, today.day) > (1, 31) else today.year - 2
