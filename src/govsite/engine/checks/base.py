"""The check contract: ``check(snapshot, ctx) -> list[Finding]``.

A check reads the snapshot and returns its findings; an empty list is a pass. A
check that cannot decide (its page never loaded, its input is missing) raises
:class:`Undecided` with the reason: the verdict then becomes 待核查, never a silent
pass. New needs are new fields of :class:`CheckContext`, not new arguments.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from govsite.engine.lexicon import Leader
from govsite.engine.snapshot import Page, Snapshot

if TYPE_CHECKING:  # the profile validates its check ids against the registry, which imports this module
    from govsite.engine.probe import Monitoring
    from govsite.engine.profile import Profile

#: serious: can decide a single-veto indicator; normal: costs points; suspected: a
#: machine's doubt an inspector should confirm (not scored until confirmed).
SEVERITIES = ("serious", "normal", "suspected")
SEVERITY_NAMES = {"serious": "严重", "normal": "一般", "suspected": "疑似"}


@dataclass(frozen=True)
class Evidence:
    url: str
    record_id: str | None  # the WARC record holding the page
    excerpt: str
    time: datetime | None  # when the page was seen (the scan's as-of time)
    #: PNG files (viewport, full page) beside the WARC, named by their SHA-256 (engine/screenshots.py)
    screenshots: tuple[str, ...] = ()
    outline: tuple[int, int, int, int] | None = None  # the outlined region: x, y, width, height in page pixels


@dataclass(frozen=True)
class Finding:
    check: str  # a check id of docs/domain.md
    subject: str  # what the finding is about (see the check-id table)
    url: str  # the page where it was seen
    severity: str
    message: str  # Chinese, for an inspector to act on
    data: Mapping[str, Any] = field(default_factory=dict)
    evidence: Evidence | None = None


class Undecided(Exception):
    """The check could not decide; the message says why (in Chinese)."""


@dataclass(frozen=True)
class CheckContext:
    """What a check may know beyond the snapshot."""

    profile: Profile
    kind: str | None = None  # portal | department, from the registry
    site_code: str | None = None  # 网站标识码 from the registry
    lexicon: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # correct -> miswritings
    monitoring: Monitoring | None = None  # the homepage's monitoring before the as-of time
    leaders: tuple[Leader, ...] = ()  # leaders' names and posts the office keeps
    homepage_timeout: float | None = None  # what the crawl waited for the homepage; None: the profile's

    @property
    def homepage_seconds(self) -> float:
        return self.homepage_timeout if self.homepage_timeout is not None else self.profile.probe_timeout

    def window(self, cls: str) -> int | None:
        return self.profile.windows.get(cls)


@dataclass(frozen=True)
class Reports:
    """One check id a check may report: the severities it gives, and its names."""

    id: str  # a check id of docs/domain.md; never renamed (reviews are stored by it)
    severities: tuple[str, ...]  # of SEVERITIES
    zh: str
    en: str

    def name(self, language: str) -> str:
        """The name in ``language`` (a language code: Chinese for zh…, else English)."""
        return self.zh if language.lower().startswith("zh") else self.en


@dataclass(frozen=True)
class Check:
    """One entry of the registry: a function, named, and what it may report."""

    name: str
    reports: tuple[Reports, ...]
    run: Callable[[Snapshot, CheckContext], list[Finding]]

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(r.id for r in self.reports)

    def allows(self, finding: Finding) -> bool:
        """Whether ``finding`` is one this check declared: its id, with one of that id's severities."""
        return any(r.id == finding.check and finding.severity in r.severities for r in self.reports)


def evidence(snapshot: Snapshot, page: Page | None, excerpt: str = "") -> Evidence | None:
    if page is None:
        return None
    return Evidence(page.final_url, page.record_id, excerpt[:200], snapshot.as_of)


def judged_as_shown(findings: list[Finding], snapshot: Snapshot) -> list[Finding]:
    """``findings``, unless a page one rests on needed rendering and was judged without it
    (no browser, or rendering failed): what it lacks may be there for a visitor, so the
    check cannot decide (待核查) rather than guess."""
    unrendered = [p for f in findings if (p := snapshot.page(f.url)) is not None and p.unrendered]
    if unrendered:
        page = unrendered[0]
        raise Undecided(f"页面需浏览器渲染后判断（{page.render}），但未能渲染（{page.rendered}）：{page.url}")
    return findings


def around(text: str, needle: str, width: int = 40) -> str:
    """A short excerpt of ``text`` around ``needle``."""
    at = text.find(needle)
    if at < 0:
        return text[: 2 * width]
    return text[max(0, at - width) : at + len(needle) + width]


def home_ok(snapshot: Snapshot) -> Page:
    """The homepage, or Undecided when it never loaded."""
    if snapshot.homepage.outcome != "ok":
        raise Undecided(f"首页未能打开（{snapshot.homepage.outcome}），无法判断")
    return snapshot.homepage


def as_of_date(snapshot: Snapshot) -> date:
    return snapshot.as_of.date()
