"""Self-inspection (自查) and the reporting chain: the units below a region report their own
results of a quarter by a deadline; the supervisor sees who reported, who was late and who
never did, each region's coverage against the minimum, the gaps between self-results and
the spot check, and the agreement of a sampled re-verification (抽样复核).

The units of a round over region R are R's child regions (a province's cities: 各市) and,
for the department sites registered directly in R, each 主管单位 (省直部门).

The results table's layout (自查结果表, .xlsx or .csv, headers in any order):

| header | required | content |
|---|---|---|
| 网站标识码 | yes | a running site of the unit |
| 网站名称 | no | for the reader; not checked |
| 自查得分 | unless 不合格 | 0–130 (part 2 plus bonus) |
| 自查结论 | yes | 合格 or 不合格 |
| 自查日期 | no | YYYY-MM-DD |

The table is checked whole before anything is written (``registry.tabular``'s reader and
row/column errors); a rejected table stores nothing, the report file neither.
"""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govsite.engine import FAIL, PASS
from govsite.platform import storage
from govsite.platform.campaigns.models import Campaign, CampaignSite
from govsite.platform.campaigns.sampling import create_campaign
from govsite.platform.exports import xlsx_bytes
from govsite.platform.rectification.models import Reverification, SelfInspectionRound, SelfReport, SelfResult
from govsite.platform.registry.models import Region, Site
from govsite.platform.registry.tabular import ImportRejected, RowError, read_rows

#: (header, required)
RESULT_COLUMNS: tuple[tuple[str, bool], ...] = (
    ("网站标识码", True),
    ("网站名称", False),
    ("自查得分", False),
    ("自查结论", True),
    ("自查日期", False),
)
VERDICTS = (PASS, FAIL)
MAX_SCORE = 130
MAX_ERRORS = 200  # listed at most; a count of the rest follows
REPORT_SUFFIXES = (".pdf", ".doc", ".docx", ".wps", ".ofd", ".txt")
ON_TIME, LATE, NOT_YET, NEVER = "on_time", "late", "not_yet", "never"


@dataclass(frozen=True)
class Unit:
    """One reporting unit of a round: a child region or a department (主管单位)."""

    key: str
    name: str
    region: Region | None  # None for a department
    sites: tuple[Site, ...]  # its running sites


def units(round: SelfInspectionRound) -> list[Unit]:
    """The units that report to ``round``: child regions first, then departments, by name."""
    running = Site.objects.filter(status=Site.Status.RUNNING).select_related("region").order_by("code")
    out = []
    for child in Region.objects.filter(parent=round.region).order_by("code"):
        sites = tuple(running.filter(region__code__in=child.descendant_codes()))
        out.append(Unit(f"region:{child.code}", child.name, child, sites))
    departments: dict[str, list[Site]] = defaultdict(list)
    for site in running.filter(region=round.region, kind=Site.Kind.DEPARTMENT):
        departments[site.supervisor].append(site)
    out += [Unit(f"dept:{name}", name, None, tuple(sites)) for name, sites in sorted(departments.items())]
    return out


def unit_of(round: SelfInspectionRound, key: str) -> Unit | None:
    return next((u for u in units(round) if u.key == key), None)


def create_round(
    *, name: str, period: str, region: Region, deadline: date, user: Any = None,
    minimum_coverage: Decimal | None = None, campaign: Campaign | None = None,
) -> SelfInspectionRound:  # fmt: skip
    minimum = Decimal(settings.SELF_INSPECTION_MIN_COVERAGE) if minimum_coverage is None else minimum_coverage
    if not Decimal(0) <= minimum <= Decimal(1):
        raise ValueError("the minimum coverage is a share from 0 to 1")
    return SelfInspectionRound.objects.create(
        name=name, period=period, region=region, deadline=deadline, minimum_coverage=minimum, campaign=campaign,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )  # fmt: skip


# ---- the results table ---------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    site: Site
    score: float | None
    verdict: str
    checked_on: date | None


def parse_results(name: str, data: bytes, unit: Unit) -> list[Row]:
    """The table's rows, or ImportRejected with every error by row and column."""
    rows = list(read_rows(name, data))
    if not rows or not any(rows[0]):
        raise ImportRejected([RowError(1, "表头", "文件为空或缺少表头")])
    header = rows[0]
    known = {h for h, _r in RESULT_COLUMNS}
    errors = [RowError(1, h, "不是自查结果表的列（见 docs/rectification.md）") for h in header if h and h not in known]
    errors += [RowError(1, h, "缺少必填列") for h, required in RESULT_COLUMNS if required and h not in header]
    if errors:
        raise ImportRejected(errors)
    if len(rows) - 1 > settings.REGISTRY_MAX_ROWS:
        raise ImportRejected([RowError(0, "文件", f"超过 {settings.REGISTRY_MAX_ROWS} 行")])
    mine = {s.code: s for s in unit.sites}
    out: list[Row] = []
    seen: dict[str, int] = {}
    for number, cells in enumerate(rows[1:], start=2):
        if not any(cells):
            continue
        row = {h: (cells[i] if i < len(cells) else "").strip() for i, h in enumerate(header) if h}
        code, verdict, raw_score, raw_date = (
            row.get("网站标识码", ""),
            row.get("自查结论", ""),
            row.get("自查得分", ""),
            row.get("自查日期", ""),
        )
        site = mine.get(code)
        if not code:
            errors.append(RowError(number, "网站标识码", "必填"))
        elif site is None:
            errors.append(RowError(number, "网站标识码", f"{code} 不是{unit.name}运行中的网站"))
        elif code in seen:
            errors.append(RowError(number, "网站标识码", f"与第 {seen[code]} 行重复"))
        seen.setdefault(code, number)
        if verdict not in VERDICTS:
            errors.append(RowError(number, "自查结论", f"应为 合格 或 不合格，不是“{verdict}”"))
        score: float | None = None
        if raw_score:
            try:
                score = float(raw_score)
                if not 0 <= score <= MAX_SCORE:
                    raise ValueError(raw_score)
            except ValueError:
                errors.append(RowError(number, "自查得分", f"应为 0 到 {MAX_SCORE} 的数，不是“{raw_score}”"))
        elif verdict == PASS:
            errors.append(RowError(number, "自查得分", "合格的网站须填写得分"))
        checked_on = None
        if raw_date:
            try:
                checked_on = date.fromisoformat(raw_date)
            except ValueError:
                errors.append(RowError(number, "自查日期", f"日期应为 YYYY-MM-DD，不是“{raw_date}”"))
        if site is not None:
            out.append(Row(site, score, verdict, checked_on))
    if not errors and not out:
        errors.append(RowError(2, "网站标识码", "表中没有任何网站"))
    if len(errors) > MAX_ERRORS:  # enough to correct the file by; the page stays readable
        errors = [*errors[:MAX_ERRORS], RowError(0, "文件", f"另有 {len(errors) - MAX_ERRORS} 处错误未列出")]
    if errors:
        raise ImportRejected(errors)
    return out


def _report_name(name: str) -> str:
    cleaned = re.sub(r"[^\w.\-]+", "_", Path(name).name)[-100:].lstrip(".")
    return cleaned or "report"


def submit(
    round: SelfInspectionRound, unit: Unit, user: Any, table: tuple[str, bytes], report: tuple[str, bytes],
    now: datetime | None = None,
) -> SelfReport:  # fmt: skip
    """A unit's submission: the report file and the results table, checked whole first
    (ImportRejected with row/column errors; nothing written). Submitting again replaces the
    results and the file; the first submission's time stands (it decides lateness)."""
    report_name, report_data = report
    errors = []
    if not report_data:
        errors.append(RowError(0, "自查报告", "请上传自查报告文件"))
    elif Path(report_name).suffix.lower() not in REPORT_SUFFIXES:
        errors.append(RowError(0, "自查报告", f"只接受 {'、'.join(REPORT_SUFFIXES)} 文件"))
    elif len(report_data) > settings.RECTIFICATION_ATTACHMENT_MAX_BYTES:
        errors.append(
            RowError(0, "自查报告", f"文件超过 {settings.RECTIFICATION_ATTACHMENT_MAX_BYTES // 1024 // 1024} MB")
        )
    try:
        rows = parse_results(*table, unit)
    except ImportRejected as rejected:
        raise ImportRejected(errors + rejected.errors) from rejected
    if errors:
        raise ImportRejected(errors)
    key = f"self-inspection/round-{round.pk}/{uuid.uuid4().hex}-{_report_name(report_name)}"
    stored = storage.store().keep_bytes(key, report_data)
    try:
        with transaction.atomic():
            found, created = SelfReport.objects.select_for_update().get_or_create(
                round=round, unit_key=unit.key,
                defaults={"unit_name": unit.name, "submitted_by": user, "submitted": now or timezone.now(),
                          "report": stored, "report_name": _report_name(report_name)},
            )  # fmt: skip
            old = None if created else found.report
            if not created:
                found.report, found.report_name, found.submitted_by = stored, _report_name(report_name), user
                found.save(update_fields=["report", "report_name", "submitted_by"])
                found.results.all().delete()
            SelfResult.objects.bulk_create(
                SelfResult(report=found, site=r.site, score=r.score, verdict=r.verdict, checked_on=r.checked_on)
                for r in rows
            )
    except Exception:
        storage.delete(stored)
        raise
    if old:
        storage.delete(old)
    return found


def template(round: SelfInspectionRound, unit: Unit) -> bytes:
    """The results table as .xlsx, one row per running site of ``unit``, filled from the
    operators' latest self-check (自查) where there is one."""
    latest: dict[int, CampaignSite] = {}
    checks = CampaignSite.objects.filter(
        site__in=unit.sites, campaign__kind=Campaign.Kind.SELF_CHECK, state=CampaignSite.State.DONE
    ).select_related("campaign")
    for entry in checks.order_by("campaign__as_of", "pk"):
        latest[entry.site_id] = entry  # the last one wins
    rows: list[list[object]] = [[h for h, _r in RESULT_COLUMNS]]
    for site in unit.sites:
        e = latest.get(site.pk)
        verdict = e.final_verdict if e is not None and e.final_verdict in VERDICTS else ""
        score = e.final_score if e is not None and verdict else None
        when = timezone.localtime(e.campaign.as_of).date().isoformat() if e is not None and verdict else ""
        rows.append([site.code, site.name, score, verdict, when])
    return xlsx_bytes(rows, "自查结果")  # every text cell neutralised


# ---- what the supervisor sees --------------------------------------------------------------


@dataclass(frozen=True)
class Submission:
    unit: Unit
    report: SelfReport | None
    status: str  # on_time | late | not_yet | never


def submissions(round: SelfInspectionRound, today: date | None = None) -> list[Submission]:
    """Every unit of ``round``: submitted on time, late, not yet (deadline ahead) or never."""
    today = today or timezone.localdate()
    reports = {r.unit_key: r for r in round.reports.select_related("submitted_by")}
    out = []
    for unit in units(round):
        report = reports.get(unit.key)
        if report is not None:
            status = LATE if timezone.localtime(report.submitted).date() > round.deadline else ON_TIME
        else:
            status = NEVER if today > round.deadline else NOT_YET
        out.append(Submission(unit, report, status))
    return out


def missing_units(round: SelfInspectionRound, today: date | None = None) -> list[Unit]:
    """Units that never submitted (the deadline has passed) — 未报送自查报告."""
    return [s.unit for s in submissions(round, today) if s.status == NEVER]


@dataclass(frozen=True)
class Coverage:
    unit: Unit
    running: int
    checked: int
    minimum: Decimal

    @property
    def ratio(self) -> float | None:
        return self.checked / self.running if self.running else None

    @property
    def meets(self) -> bool:
        return self.ratio is not None and self.ratio >= self.minimum


def coverage(round: SelfInspectionRound) -> list[Coverage]:
    """Per region unit: sites it checked itself ÷ running sites, against the round's minimum."""
    checked: dict[str, int] = {
        key: n for key, n in (
            (r.unit_key, r.results.count()) for r in round.reports.filter(unit_key__startswith="region:")
        )
    }  # fmt: skip
    return [Coverage(u, len(u.sites), checked.get(u.key, 0), round.minimum_coverage) for u in units(round) if u.region]


@dataclass(frozen=True)
class Gap:
    """A site that scored itself high and failed the supervisor's spot check."""

    site: Site
    unit_name: str
    self_score: float
    self_verdict: str
    spot: CampaignSite


def gaps(round: SelfInspectionRound, campaign: Campaign | None = None) -> list[Gap]:
    """Self-score above ``SELF_INSPECTION_GAP_SCORE`` while the spot check (``campaign``,
    else the round's) says 不合格 — the gap the 2015 census named."""
    campaign = campaign or round.campaign
    if campaign is None:
        return []
    spot = {e.site_id: e for e in campaign.sites.filter(state=CampaignSite.State.DONE, final_verdict=FAIL)}
    found = SelfResult.objects.filter(
        report__round=round, site_id__in=spot, score__gt=settings.SELF_INSPECTION_GAP_SCORE
    ).select_related("site", "report")
    return [Gap(r.site, r.report.unit_name, r.score, r.verdict, spot[r.site_id]) for r in found.order_by("site__code")]


# ---- sampled re-verification (抽样复核) ------------------------------------------------------


def draw_reverification(
    round: SelfInspectionRound, unit_key: str, ratio: Decimal, *, as_of: datetime, seed: int | None = None,
    user: Any = None,
) -> Reverification:  # fmt: skip
    """A spot-check campaign over a sample of the unit's self-checked sites, drawn with the
    campaigns' stratified sampling (seed recorded); run it like any campaign."""
    report = round.reports.filter(unit_key=unit_key).first()
    if report is None:
        raise ValidationError(_("This unit has not reported: there is nothing to re-verify"))
    sites = [r.site for r in report.results.select_related("site__region")]
    campaign = create_campaign(
        name=f"{round.name} · {report.unit_name} 抽样复核", kind="spot_check", region=round.region, as_of=as_of,
        ratio=ratio, seed=seed, user=user, among=sites,
    )  # fmt: skip
    return Reverification.objects.create(round=round, unit_key=unit_key, campaign=campaign)


@dataclass(frozen=True)
class Agreement:
    sampled: int
    compared: int  # scanned and decided (合格 or 不合格)
    agreed: int
    differing: tuple[tuple[Site, str, str], ...]  # (site, self verdict, re-verified verdict)

    @property
    def rate(self) -> float | None:
        return self.agreed / self.compared if self.compared else None


def agreement(reverification: Reverification) -> Agreement:
    """How far the unit's own verdicts agree with the re-verification's reviewed ones."""
    own = {
        r.site_id: r.verdict
        for r in SelfResult.objects.filter(
            report__round=reverification.round_id, report__unit_key=reverification.unit_key
        )
    }
    entries = list(reverification.campaign.sites.select_related("site"))
    compared = [e for e in entries if e.state == CampaignSite.State.DONE and e.final_verdict in VERDICTS]
    differing = tuple((e.site, own.get(e.site_id, ""), e.final_verdict) for e in compared
                      if own.get(e.site_id) != e.final_verdict)  # fmt: skip
    return Agreement(len(entries), len(compared), len(compared) - len(differing), differing)
