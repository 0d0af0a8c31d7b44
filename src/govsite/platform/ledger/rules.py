"""Deduction rules (日常考核量化评分办法) as data: one TOML file per period and region,
validated on load like the indicator profiles. A bad file is rejected with a message
naming the field; nothing is computed from half a rule set.

``load`` takes a shipped name (``rules/*.toml``) or a path to a supervisor's copy.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

#: How unqualified sites of one quarter turn into points (see ``Unqualified.points_for``).
METHODS = ("flat", "stepped", "per_site")
#: Priced inputs: computed (rectification tasks, error reports, self-inspection rounds, scans) or
#: entered by a supervisor.
INPUT_KINDS = ("overdue_rectification", "overdue_reports", "missing_report", "stale_records")


class RulesError(ValueError):
    """A rules file is invalid; the message names the file and the field."""


@dataclass(frozen=True)
class UnitType:
    id: str  # city | department
    label: str  # 各市
    heading: str  # the table's caption: (各市政府)


@dataclass(frozen=True)
class Unqualified:
    """Points for the unqualified sites one unit had in one quarter's campaign."""

    quarter: str
    unit_type: str  # "" for every unit type
    method: str
    text: str
    points: int = 0  # flat
    base: int = 0  # stepped: base + (count // every) * step
    every: int = 1
    step: int = 0
    portal: int = 0  # per_site: by the site's kind (性质)
    department: int = 0

    def points_for(self, kinds: list[str]) -> int:
        """Points (positive) for unqualified sites of these kinds (portal | department)."""
        if not kinds:
            return 0
        if self.method == "flat":
            return self.points
        if self.method == "stepped":
            return self.base + (len(kinds) // self.every) * self.step
        return sum(self.portal if kind == "portal" else self.department for kind in kinds)


@dataclass(frozen=True)
class Input:
    kind: str
    points: int  # per count; missing_report: once
    text: str


@dataclass(frozen=True)
class Rules:
    name: str
    title: str
    region: str  # division code of the supervising office
    period: str  # 上半年: the column heading reads "{period}扣分"
    separator: str
    unit_types: tuple[UnitType, ...]
    unqualified: tuple[Unqualified, ...]
    inputs: dict[str, Input]
    text: str  # the file as loaded (a ledger freezes it)

    def unqualified_rule(self, quarter: str, unit_type: str) -> Unqualified | None:
        for rule in self.unqualified:
            if rule.quarter == quarter and rule.unit_type in ("", unit_type):
                return rule
        return None

    def unit_type(self, id: str) -> UnitType:
        return next(t for t in self.unit_types if t.id == id)


def _str(table: dict[str, Any], key: str, where: str, default: str | None = None) -> str:
    value = table.get(key, default)
    if not isinstance(value, str) or (default is None and not value.strip()):
        raise RulesError(f"{where}: {key} must be a non-empty string")
    return value


def _int(table: dict[str, Any], key: str, where: str, default: int | None = None) -> int:
    value = table.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise RulesError(f"{where}: {key} must be a whole number ≥ 0")
    return value


def _text(table: dict[str, Any], where: str, fields: tuple[str, ...]) -> str:
    text = _str(table, "text", where)
    try:
        text.format(**dict.fromkeys(fields, ""))
    except (KeyError, IndexError, ValueError) as exc:
        raise RulesError(f"{where}: text may use only {{{'}, {'.join(fields)}}}: {exc}") from exc
    return text


def parse(text: str, source: str) -> Rules:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(f"{source}: not valid TOML: {exc}") from exc
    head = data.get("ledger")
    if not isinstance(head, dict):
        raise RulesError(f"{source}: the [ledger] table is missing")
    types = []
    for i, t in enumerate(data.get("unit_types") or []):
        where = f"{source}: unit_types[{i}]"
        types.append(UnitType(_str(t, "id", where), _str(t, "label", where), _str(t, "heading", where)))
    if not types or len({t.id for t in types}) != len(types):
        raise RulesError(f"{source}: unit_types must list each unit type once")
    ids = {t.id for t in types}
    rules = []
    for i, r in enumerate(data.get("unqualified") or []):
        where = f"{source}: unqualified[{i}]"
        method = _str(r, "method", where)
        if method not in METHODS:
            raise RulesError(f"{where}: method must be one of {', '.join(METHODS)}")
        unit_type = _str(r, "unit_type", where, "")
        if unit_type and unit_type not in ids:
            raise RulesError(f"{where}: unit_type {unit_type!r} is not in unit_types")
        rules.append(
            Unqualified(
                quarter=_str(r, "quarter", where),
                unit_type=unit_type,
                method=method,
                text=_text(r, where, ("quarter", "count", "points")),
                points=_int(r, "points", where, 0),
                base=_int(r, "base", where, 0),
                every=max(1, _int(r, "every", where, 1)),
                step=_int(r, "step", where, 0),
                portal=_int(r, "portal", where, 0),
                department=_int(r, "department", where, 0),
            )
        )
    inputs = {}
    for kind, table in (data.get("inputs") or {}).items():
        where = f"{source}: inputs.{kind}"
        if kind not in INPUT_KINDS or not isinstance(table, dict):
            raise RulesError(f"{where}: unknown input (one of {', '.join(INPUT_KINDS)})")
        inputs[kind] = Input(kind, _int(table, "points", where), _text(table, where, ("count", "points")))
    region = _str(head, "region", f"{source}: ledger")
    if not region.isdigit() or len(region) != 6:
        raise RulesError(f"{source}: ledger: region must be a 6-digit division code")
    return Rules(
        name=_str(head, "name", f"{source}: ledger"),
        title=_str(head, "title", f"{source}: ledger"),
        region=region,
        period=_str(head, "period", f"{source}: ledger"),
        separator=_str(head, "separator", f"{source}: ledger", "；"),
        unit_types=tuple(types),
        unqualified=tuple(rules),
        inputs=inputs,
        text=text,
    )


def shipped() -> list[str]:
    folder = resources.files("govsite.platform.ledger") / "rules"
    return sorted(p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml"))


def load(name_or_path: str) -> Rules:
    """A shipped rule set by name, or a file by path."""
    if name_or_path in shipped():
        text = (resources.files("govsite.platform.ledger") / "rules" / f"{name_or_path}.toml").read_text("utf-8")
        return parse(text, name_or_path)
    path = Path(name_or_path)
    if not path.is_file():
        raise RulesError(f"{name_or_path}: no such rules file (shipped: {', '.join(shipped())})")
    return parse(path.read_text("utf-8"), str(path))
