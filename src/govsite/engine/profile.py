"""Indicator profiles: the official indicator systems as data files, validated on load.

A profile names the single-veto indicators (单项否决) with their thresholds, the
deduction indicators (扣分指标) with points and caps, and the bonus part. ``load``
takes a shipped name (``inspection-2019``, ``census-2015``) or a path to a user's
copy; a bad file is rejected with a message naming the field. Every result records
the profile's name, version and digest.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from govsite.engine.checks.registry import CHECK_IDS
from govsite.engine.config import EngineConfig

SHIPPED = ("inspection-2019", "census-2015")
VETO_RULES = ("any", "availability", "columns", "services")
COLUMN_CLASSES = ("news", "notice", "policy", "interpretation", "personnel", "plan")


class ProfileError(ValueError):
    """A profile file is invalid; the message names the file and the field."""


@dataclass(frozen=True)
class Indicator:
    id: str
    name: str
    part: str  # veto | deduction
    checks: tuple[str, ...]
    rule: str = "any"  # vetoes: any | availability | columns | services
    points: float = 0.0  # deductions: the most this indicator can cost (its cap)
    per_finding: float = 0.0  # deductions: points per finding; 0 = all points at the first
    official: bool = False  # the value comes from an official document
    note: str = ""


@dataclass(frozen=True)
class Profile:
    name: str
    version: str
    title: str
    source: str
    digest: str
    total: float
    pass_score: float
    bonus_max: float
    bonus_min_base: float
    bonus_portals_only: bool
    windows: dict[str, int]
    unanswered_months: int
    message_lookback_days: int
    probe_timeout: float
    probes_per_day: int
    monitor_days: int
    failure_ratio: float
    single_scan_veto: bool
    stale_first_level_min: int
    unupdated_min: int
    blank_min: int
    vetoes: tuple[Indicator, ...]
    deductions: tuple[Indicator, ...]
    bonus_note: str = ""
    defaults_note: str = ""
    #: The columns veto (rule ``columns``): which check ids count as stale and as blank
    #: columns, and which column classes are first-level for its first threshold.
    stale_check: str = "update.column_stale"
    blank_check: str = "update.column_blank"
    first_level_classes: tuple[str, ...] = ("news", "notice", "policy")
    #: The services veto (rule ``services``): which check id is a missing online service
    #: (fires at once) and which an incomplete 办事指南 (fires past the share and minimum).
    service_missing_check: str = "service.missing"
    guide_incomplete_check: str = "service.guide_incomplete"
    guides_incomplete_share: float = 0.5  # 服务不实用: more than this share of the guides read lack key elements
    guides_incomplete_min: int = 2  # … and at least this many

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return self.vetoes + self.deductions


def homepage_timeout(config: EngineConfig, profile: Profile | None = None) -> float:
    """The one homepage timeout a fetch applies: the config's when it sets one, else the
    profile's ``probe_timeout`` (the availability rule), else the default profile's."""
    if config.homepage_timeout is not None:
        return config.homepage_timeout
    return (profile or load(SHIPPED[0])).probe_timeout


def load(name_or_path: str | Path) -> Profile:
    """A shipped profile by name, or a profile file by path."""
    text, label = _read(name_or_path)
    return parse(text, label)


def source_text(name_or_path: str | Path) -> str:
    """The profile file's text, to freeze it with a campaign."""
    return _read(name_or_path)[0]


def parse(text: str, label: str) -> Profile:
    """A profile from its TOML text (``label`` names it in errors)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{label}: not valid TOML: {exc}") from exc
    return _build(data, label, hashlib.sha256(text.encode()).hexdigest()[:16])


def _read(name_or_path: str | Path) -> tuple[str, str]:
    if isinstance(name_or_path, str) and name_or_path in SHIPPED:
        resource = resources.files("govsite.engine.profiles").joinpath(f"{name_or_path}.toml")
        return resource.read_text(encoding="utf-8"), name_or_path
    path = Path(name_or_path)
    if not path.is_file():
        raise ProfileError(f"no profile named {str(name_or_path)!r}: give one of {', '.join(SHIPPED)} or a file path")
    try:
        return path.read_text(encoding="utf-8"), str(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileError(f"{path}: cannot read: {exc}") from exc


class _Reader:
    """Typed access to a TOML table that names the field in every error."""

    def __init__(self, data: dict[str, Any], where: str) -> None:
        self.data = data
        self.where = where
        self.used: set[str] = set()

    def _get(self, key: str, default: Any) -> Any:
        self.used.add(key)
        if key not in self.data:
            if default is _REQUIRED:
                raise ProfileError(f"{self.where}.{key}: missing")
            return default
        return self.data[key]

    def text(self, key: str, default: Any = None) -> str:
        value = self._get(key, _REQUIRED if default is None else default)
        if not isinstance(value, str) or not value.strip():
            raise ProfileError(f"{self.where}.{key}: must be a non-empty string, not {value!r}")
        return value

    def number(self, key: str, default: Any = None, low: float = 0.0, high: float = 1e9) -> float:
        value = self._get(key, _REQUIRED if default is None else default)
        if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
            raise ProfileError(f"{self.where}.{key}: must be a number from {low:g} to {high:g}, not {value!r}")
        return float(value)

    def integer(self, key: str, default: Any = None, low: int = 0, high: int = 100_000) -> int:
        value = self._get(key, _REQUIRED if default is None else default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ProfileError(f"{self.where}.{key}: must be a whole number from {low} to {high}, not {value!r}")
        return value

    def flag(self, key: str, default: bool) -> bool:
        value = self._get(key, default)
        if not isinstance(value, bool):
            raise ProfileError(f"{self.where}.{key}: must be true or false, not {value!r}")
        return value

    def table(self, key: str, optional: bool = False) -> _Reader:
        value = self._get(key, {} if optional else _REQUIRED)
        if not isinstance(value, dict):
            raise ProfileError(f"{self.where}.{key}: must be a table")
        return _Reader(value, f"{self.where}.{key}")

    def tables(self, key: str) -> list[_Reader]:
        value = self._get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise ProfileError(f"{self.where}.{key}: must be an array of tables ([[{key}]])")
        return [_Reader(v, f"{self.where}.{key}[{i}]") for i, v in enumerate(value)]

    def done(self) -> None:
        unknown = sorted(set(self.data) - self.used)
        if unknown:
            raise ProfileError(f"{self.where}: unknown field {unknown[0]!r}")


_REQUIRED = object()


def _build(data: dict[str, Any], label: str, digest: str) -> Profile:
    top = _Reader(data, label)
    windows_r = top.table("windows")
    windows = {cls: windows_r.integer(cls, low=1, high=3650) for cls in COLUMN_CLASSES if cls in windows_r.data}
    windows_r.done()
    messages = top.table("messages")
    availability = top.table("availability")
    columns = top.table("columns")
    bonus = top.table("bonus")
    guides = top.table("guides", optional=True)
    profile = Profile(
        name=top.text("name"),
        version=top.text("version"),
        title=top.text("title"),
        source=top.text("source"),
        digest=digest,
        total=top.number("total", low=1, high=1000),
        pass_score=top.number("pass_score", low=0, high=1000),
        bonus_max=bonus.number("max", 0),
        bonus_min_base=bonus.number("min_base", 0),
        bonus_portals_only=bonus.flag("portals_only", True),
        bonus_note=bonus.text("note", "—"),
        windows=windows,
        unanswered_months=messages.integer("unanswered_months", low=1, high=24),
        message_lookback_days=messages.integer("lookback_days", low=1, high=3650),
        probe_timeout=availability.number("probe_timeout", low=1, high=120),
        probes_per_day=availability.integer("probes_per_day", low=1, high=10_000),
        monitor_days=availability.integer("days", low=1, high=365),
        failure_ratio=availability.number("failure_ratio", low=0, high=1),
        single_scan_veto=availability.flag("single_scan_veto", False),
        stale_first_level_min=columns.integer("stale_first_level_min", low=1),
        unupdated_min=columns.integer("unupdated_min", low=1),
        blank_min=columns.integer("blank_min", low=1),
        stale_check=_check_id(columns, "stale_check", Profile.stale_check),
        blank_check=_check_id(columns, "blank_check", Profile.blank_check),
        first_level_classes=_classes(columns, "first_level_classes", Profile.first_level_classes),
        defaults_note=top.text("defaults_note", "—"),
        service_missing_check=_check_id(guides, "missing_check", Profile.service_missing_check),
        guide_incomplete_check=_check_id(guides, "incomplete_check", Profile.guide_incomplete_check),
        guides_incomplete_share=guides.number("incomplete_share", 0.5, low=0, high=1),
        guides_incomplete_min=guides.integer("incomplete_min", 2, low=1, high=1000),
        vetoes=tuple(_indicator(r, "veto") for r in top.tables("veto")),
        deductions=tuple(_indicator(r, "deduction") for r in top.tables("deduction")),
    )
    for reader in (messages, availability, columns, bonus, guides, top):
        reader.done()
    ids = [i.id for i in profile.indicators]
    if len(set(ids)) != len(ids):
        raise ProfileError(f"{label}: indicator id {next(i for i in ids if ids.count(i) > 1)!r} is used twice")
    if profile.pass_score > profile.total:
        raise ProfileError(f"{label}.pass_score: greater than total ({profile.total:g})")
    if not profile.vetoes:
        raise ProfileError(f"{label}.veto: a profile needs its single-veto indicators ([[veto]])")
    return profile


def _check_id(r: _Reader, key: str, default: str) -> str:
    value = r.text(key, default)
    if value not in CHECK_IDS:
        raise ProfileError(f"{r.where}.{key}: unknown check id {value!r}")
    return value


def _classes(r: _Reader, key: str, default: tuple[str, ...]) -> tuple[str, ...]:
    value = r._get(key, list(default))
    if not isinstance(value, list) or not value or not all(v in COLUMN_CLASSES for v in value):
        raise ProfileError(f"{r.where}.{key}: must be a non-empty list of {', '.join(COLUMN_CLASSES)}")
    return tuple(value)


def _indicator(r: _Reader, part: str) -> Indicator:
    checks = r._get("checks", _REQUIRED)
    if not isinstance(checks, list) or not checks or not all(isinstance(c, str) for c in checks):
        raise ProfileError(f"{r.where}.checks: must be a non-empty list of check ids")
    for check in checks:
        if check not in CHECK_IDS:
            raise ProfileError(f"{r.where}.checks: unknown check id {check!r}")
    rule = r.text("rule", "any")
    if part == "veto" and rule not in VETO_RULES:
        raise ProfileError(f"{r.where}.rule: must be one of {', '.join(VETO_RULES)}, not {rule!r}")
    indicator = Indicator(
        id=r.text("id"),
        name=r.text("name"),
        part=part,
        checks=tuple(checks),
        rule=rule,
        points=r.number("points", 0.0 if part == "veto" else None, high=1000),
        per_finding=r.number("per_finding", 0.0, high=1000),
        official=r.flag("official", False),
        note=r.text("note", "—"),
    )
    r.done()
    return indicator
