"""``govsite manage jiucuo_calendar load FILE | show YEAR``: the editable holiday table.

FILE is a CSV with the columns 日期 (YYYY-MM-DD), 类型 (休 or 班), 名称; every year it
names becomes complete (its other days follow the weekend rule). Loading replaces the
table's entries for those years (audited as one change), then sets the deadlines that were
waiting for them. The page /jiucuo/calendar/ edits the same table day by day."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from govsite.platform.jiucuo import holiday_table
from govsite.platform.jiucuo.holiday_table import KINDS
from govsite.platform.jiucuo.workdays import WorkCalendar, load_calendar


def parse(text: str) -> list[tuple[date, bool, str]]:
    rows = list(csv.DictReader(text.splitlines()))
    days, errors = [], []
    for n, row in enumerate(rows, start=2):
        try:
            day = date.fromisoformat((row.get("日期") or "").strip())
        except ValueError:
            errors.append(f"row {n}, 日期: expected YYYY-MM-DD")
            continue
        kind = (row.get("类型") or "").strip()
        if kind not in KINDS:
            errors.append(f"row {n}, 类型: expected 休 or 班")
            continue
        days.append((day, KINDS[kind], (row.get("名称") or "").strip()[:50]))
    if errors or not days:
        raise CommandError("; ".join(errors) or "no days in the file (columns: 日期, 类型, 名称)")
    return days


class Command(BaseCommand):
    help = "Load the holiday table from a CSV (日期, 类型 休/班, 名称), or show a year's working days."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["load", "show"])
        parser.add_argument("target", help="the CSV file (load) or the year (show)")
        parser.add_argument("--source", default="", help="where the arrangement comes from, e.g. 国办发明电〔2026〕N号")

    def handle(self, *args: Any, action: str, target: str, source: str, **options: Any) -> None:
        if action == "show":
            self._show(load_calendar(), int(target))
            return
        days = parse(Path(target).read_text(encoding="utf-8-sig"))
        years, set_now = holiday_table.load(days, None, source, Path(target).name)
        self.stdout.write(f"{len(days)} days for {', '.join(map(str, years))}; {set_now} deadlines set")

    def _show(self, calendar: WorkCalendar, year: int) -> None:
        day, off = date(year, 1, 1), []
        while day.year == year:
            if calendar.is_working_day(day) == (day.weekday() >= 5):  # differs from the weekend rule
                off.append(f"{day.isoformat()} {'班' if calendar.is_working_day(day) else '休'}")
            day = date.fromordinal(day.toordinal() + 1)
        self.stdout.write("\n".join(off))
