"""The ledger's lines, totals and ranking per unit type.

Each input source is one plain function returning ``Line``s for units; ``rows`` puts
them together: unqualified sites per quarter (reviewed verdicts), rectification tasks of
those quarters past their deadline and not rectified (the re-checks), stale registry
records (scans against the registry), overdue error reports (the error-report app, over the
ledger's period), missing self-inspection reports (the ledger's self-inspection rounds),
and the lines supervisors enter (inputs handled outside the platform, other deductions,
bonuses). A unit is a city (a city-level region: its own sites and its counties') or a
provincial department (the organiser, 主办单位, of a provincial department site). Within
a unit, lines follow the rules' order (quarters as the campaigns ran, then the inputs,
then other deductions and bonuses); units rank by total, most deducted first, ties in
registry order (a city's division code, a department's first site code).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Min

from govsite.platform.dashboards.labels import FAILED
from govsite.platform.jiucuo.figures import overdue_reports
from govsite.platform.jiucuo.models import Report
from govsite.platform.ledger.models import Ledger, LedgerLine
from govsite.platform.ledger.rules import Rules
from govsite.platform.ledger.verdicts import judged
from govsite.platform.rectification import selfinspection
from govsite.platform.rectification.figures import closed_before, overdue_tasks
from govsite.platform.rectification.models import Task
from govsite.platform.registry.mismatches import from_scans
from govsite.platform.registry.models import Region, Site

CITY, DEPARTMENT = "city", "department"
#: The order of line kinds after the quarters.
KIND_ORDER = {kind: i for i, kind in enumerate(LedgerLine.Kind.values)}


@dataclass(frozen=True)
class Unit:
    type: str
    name: str
    order: str = field(compare=False)  # registry order, for ties: a unit is its type and name


@dataclass(frozen=True)
class Line:
    unit: Unit
    sort: tuple[int, int]
    text: str
    points: int  # signed: deductions negative, bonuses positive


@dataclass
class Row:
    unit: Unit
    lines: list[Line] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(line.points for line in self.lines)

    def explanation(self, separator: str) -> str:
        return separator.join(line.text for line in sorted(self.lines, key=lambda x: x.sort))


def signed(points: int) -> str:
    """-6, +2, 0 as the seed's tables write them."""
    return f"+{points}" if points > 0 else str(points)


def unit_of(site: Site) -> Unit:
    if site.level in (Site.Level.PROVINCIAL_DEPARTMENT, Site.Level.PROVINCIAL_PORTAL):
        return Unit(DEPARTMENT, site.organizer, site.code)
    return city_unit(site.region.code)


def city_unit(code: str) -> Unit:
    """The city unit of a region (a city, or a county under it)."""
    city = Region.city_level(code)
    return Unit(CITY, _region_names().get(city, city), city)


def _region_names() -> dict[str, str]:
    return dict(Region.objects.filter(level=Region.Level.CITY).values_list("code", "name"))


def known_unit(unit_type: str, name: str) -> Unit:
    """The unit a supervisor named in an entered line."""
    if unit_type == CITY:
        code = Region.objects.filter(level=Region.Level.CITY, name=name).values_list("code", flat=True).first()
        return Unit(CITY, name, code or name)
    first = Site.objects.filter(organizer=name).aggregate(first=Min("code"))["first"]
    return Unit(unit_type, name, first or name)


# ---- the input sources ---------------------------------------------------------------------


def unqualified_lines(ledger: Ledger, rules: Rules, use_scan_verdicts: bool = False) -> list[Line]:
    """Unqualified sites per quarterly campaign, from the reviewed verdicts; sites closed by
    the day the results were published do not count."""
    out = []
    for position, quarter in enumerate(ledger.campaigns.select_related("campaign")):
        kinds: dict[Unit, list[str]] = defaultdict(list)
        closed = {e.site_id for e in closed_before(quarter.campaign, quarter.results_published)}
        for o in judged(quarter.campaign, use_scan_verdicts):
            if o.outcome == FAILED and o.site.pk not in closed:
                kinds[unit_of(o.site)].append(o.site.kind)
        for unit, found in kinds.items():
            rule = rules.unqualified_rule(quarter.quarter, unit.type)
            if rule is None:
                continue
            points = -rule.points_for(found)
            text = rule.text.format(quarter=quarter.quarter, count=len(found), points=signed(points))
            out.append(Line(unit, (0, position), text, points))
    return out


def overdue_rectification_lines(ledger: Ledger, rules: Rules, today: date | None = None) -> list[Line]:
    """逾期未整改: rectification tasks of the ledger's quarterly campaigns that are past their
    deadline and not finished as of ``today`` (``rectification.figures.overdue_tasks``: still
    awaiting rectification, reopened by a re-check that found a problem still present or a
    new one, or with a re-check under way), priced per task. A re-check that finds everything
    fixed closes the task and the line goes; so does a closure instead (申请关停). Charged to
    the unit of the task's site, like its unqualified result (docs/bulletins.md)."""
    rule = rules.inputs.get(str(LedgerLine.Kind.OVERDUE_RECTIFICATION))
    if rule is None:
        return []
    tasks = Task.objects.filter(entry__campaign__in=ledger.campaigns.values("campaign"))
    counts: dict[Unit, int] = defaultdict(int)
    for task in overdue_tasks(today, tasks).select_related("site__region"):
        counts[unit_of(task.site)] += 1
    sort = (1, KIND_ORDER[LedgerLine.Kind.OVERDUE_RECTIFICATION])
    return [
        Line(unit, sort, rule.text.format(count=n, points=signed(-rule.points * n)), -rule.points * n)
        for unit, n in counts.items()
    ]


def stale_record_lines(ledger: Ledger, rules: Rules) -> list[Line]:
    """Registry records left stale: a counted campaign's scan landed on another host than
    the one registered (``registry.mismatches.from_scans``; a record corrected since no
    longer counts). Each site once, priced as the rules price ``stale_records``."""
    rule = rules.inputs.get(str(LedgerLine.Kind.STALE_RECORDS))
    if rule is None:
        return []
    entries = [e for q in ledger.campaigns.all() for e in q.campaign.sites.select_related("site").defer("result")]
    codes = {m.site for m in from_scans(entries)}
    stale: dict[Unit, int] = defaultdict(int)
    for site in Site.objects.filter(code__in=codes).select_related("region"):
        stale[unit_of(site)] += 1
    sort = (1, KIND_ORDER[LedgerLine.Kind.STALE_RECORDS])
    return [
        Line(unit, sort, rule.text.format(count=n, points=signed(-rule.points * n)), -rule.points * n)
        for unit, n in stale.items()
    ]


def overdue_report_lines(ledger: Ledger, rules: Rules, today: date | None = None) -> list[Line]:
    """Error reports (我为政府网站找错) on the region's sites, received in the ledger's
    period and handled late (``jiucuo.figures.overdue_reports``), priced per report."""
    rule = rules.inputs.get(str(LedgerLine.Kind.OVERDUE_REPORTS))
    if rule is None or ledger.reports_from is None or ledger.reports_to is None:
        return []
    reports = Report.objects.filter(site__region__code__in=ledger.region.descendant_codes())
    late = overdue_reports(reports, ledger.reports_from, ledger.reports_to, today=today)
    sites = {s.code: s for s in Site.objects.filter(code__in={o.site_code for o in late}).select_related("region")}
    counts: dict[Unit, int] = defaultdict(int)
    for o in late:
        counts[unit_of(sites[o.site_code])] += 1
    sort = (1, KIND_ORDER[LedgerLine.Kind.OVERDUE_REPORTS])
    return [
        Line(unit, sort, rule.text.format(count=n, points=signed(-rule.points * n)), -rule.points * n)
        for unit, n in counts.items()
    ]


def report_owner(unit: selfinspection.Unit) -> Unit:
    """The ledger unit charged for a self-inspection unit's missing report. A child region
    is its city. A department reports as its 主管单位, while the ledger counts 主办单位: one
    missing report is charged once, to the row of the 主管单位 itself when it is the
    主办单位 of one of its sites, else to the 主办单位 of its first site in registry order
    (docs/bulletins.md, "Missing self-inspection reports")."""
    if unit.region is not None:
        return city_unit(unit.region.code)
    owners = [unit_of(site) for site in unit.sites]  # a department unit has sites, in code order
    return next((o for o in owners if o.name == unit.name), owners[0])


def missing_report_lines(ledger: Ledger, rules: Rules, today: date | None = None) -> list[Line]:
    """未报送自查报告: every unit of the ledger's self-inspection rounds that never reported
    (``rectification.selfinspection.missing_units``: the deadline passed, nothing submitted),
    priced once per round missed."""
    rule = rules.inputs.get(str(LedgerLine.Kind.MISSING_REPORT))
    if rule is None:
        return []
    missed: dict[Unit, int] = defaultdict(int)
    for inspection in ledger.rounds.select_related("region").order_by("deadline", "pk"):
        for unit in selfinspection.missing_units(inspection, today):
            missed[report_owner(unit)] += 1
    sort = (1, KIND_ORDER[LedgerLine.Kind.MISSING_REPORT])
    return [
        Line(unit, sort, rule.text.format(count=n, points=signed(-rule.points * n)), -rule.points * n)
        for unit, n in missed.items()
    ]


def entered_lines(ledger: Ledger, rules: Rules) -> list[Line]:
    """The lines supervisors entered: inputs handled outside the platform (overdue error
    reports, missing self-inspection reports, stale registry records: priced by the rules),
    other deductions and bonuses (priced by the supervisor, phrased by their reason)."""
    out = []
    for line in ledger.lines.all():
        unit = known_unit(line.unit_type, line.unit)
        sort = (1, KIND_ORDER[line.kind])
        if line.kind in (LedgerLine.Kind.MANUAL, LedgerLine.Kind.BONUS):
            points = (line.points or 0) * (1 if line.kind == LedgerLine.Kind.BONUS else -1)
            out.append(Line(unit, sort, f"{line.reason}{signed(points)}", points))
            continue
        rule = rules.inputs.get(line.kind)
        if rule is None:
            continue
        once = line.kind == LedgerLine.Kind.MISSING_REPORT
        points = -rule.points * (1 if once else line.count)
        out.append(Line(unit, sort, rule.text.format(count=line.count, points=signed(points)), points))
    return out


# ---- the table -----------------------------------------------------------------------------


def rows(ledger: Ledger, use_scan_verdicts: bool = False, today: date | None = None) -> dict[str, list[Row]]:
    """Each unit type's rows, ranked (most deducted first, ties in registry order), as of
    ``today`` (rectification tasks and error reports overdue, self-inspection reports missing
    by then)."""
    rules = ledger.rules()
    by_unit: dict[Unit, Row] = {}
    found = unqualified_lines(ledger, rules, use_scan_verdicts) + overdue_rectification_lines(ledger, rules, today)
    found += stale_record_lines(ledger, rules)
    found += overdue_report_lines(ledger, rules, today) + missing_report_lines(ledger, rules, today)
    for line in found + entered_lines(ledger, rules):
        row = by_unit.setdefault(line.unit, Row(line.unit))
        if line.unit.order < row.unit.order:  # a unit with several sites ranks by its first
            row.unit = line.unit
        row.lines.append(line)
    out: dict[str, list[Row]] = {t.id: [] for t in rules.unit_types}
    for row in by_unit.values():
        if row.unit.type in out:
            out[row.unit.type].append(row)
    for listed in out.values():
        listed.sort(key=lambda r: (r.total, r.unit.order))
    return out
