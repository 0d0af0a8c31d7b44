"""``scan``: crawl a site, run every check, score it against a profile.

``evaluate`` is the pure half (snapshot in, result out), so a result can be derived
again from a stored snapshot or its WARC evidence, and the platform can recompute a
verdict from findings people confirmed.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from govsite.engine import lexicon as lexicons
from govsite.engine.checks.base import Check, CheckContext, Finding, Undecided
from govsite.engine.checks.registry import CHECKS
from govsite.engine.config import EngineConfig
from govsite.engine.crawl import crawl
from govsite.engine.hostlimit import HostLimiter
from govsite.engine.probe import Monitoring
from govsite.engine.profile import Profile, homepage_timeout
from govsite.engine.profile import load as load_profile
from govsite.engine.reading import Progress
from govsite.engine.render import Browser
from govsite.engine.score import CheckRun, IndicatorResult, score
from govsite.engine.screenshots import attach as attach_screenshots
from govsite.engine.snapshot import Snapshot, Stats, dump, load

RESULT_SCHEMA = 1


@dataclass(frozen=True)
class ProfileRef:
    name: str
    version: str
    digest: str
    title: str
    source: str


@dataclass(frozen=True)
class ScanResult:
    schema: int
    url: str
    kind: str | None
    site_code: str | None
    as_of: datetime
    verdict: str  # 合格 | 不合格 | 待核查
    score: float | None  # None when a single veto failed the site
    base: float | None
    bonus: float
    reasons: tuple[str, ...]
    profile: ProfileRef
    indicators: tuple[IndicatorResult, ...]
    findings: tuple[Finding, ...]
    checks: tuple[CheckRun, ...]
    stats: Stats
    homepage_url: str  # where the homepage ended up after every redirect
    homepage_outcome: str
    warc: str | None

    def to_json(self, indent: int | None = None) -> str:
        return json.dumps(self.to_data(), ensure_ascii=False, indent=indent)

    def to_data(self) -> Any:
        """The JSON-ready form (``govsite scan --format json``; what the platform stores)."""
        return dump(self)

    @classmethod
    def from_data(cls, data: Any) -> ScanResult:
        """The result again from :meth:`to_data`'s output."""
        return load(cls, data)


def run_checks(
    snapshot: Snapshot, ctx: CheckContext, checks: Sequence[Check] = CHECKS
) -> tuple[list[Finding], list[CheckRun]]:
    findings: list[Finding] = []
    runs: list[CheckRun] = []
    for check in checks:
        try:
            found = check.run(snapshot, ctx)
        except Undecided as exc:
            runs.append(CheckRun(check.name, check.ids, "undecided", str(exc), 0))
            continue
        except Exception as exc:  # a bug of ours must not pass a site: it makes it 待核查
            runs.append(CheckRun(check.name, check.ids, "error", f"检查程序出错：{type(exc).__name__}: {exc}", 0))
            continue
        unknown = [f.check for f in found if f.check not in check.ids]
        if unknown:
            runs.append(CheckRun(check.name, check.ids, "error", f"检查程序报告了未登记的检查项 {unknown[0]}", 0))
            continue
        odd = [f for f in found if not check.allows(f)]
        if odd:
            message = f"检查程序给出了未登记的严重程度 {odd[0].severity}（{odd[0].check}）"
            runs.append(CheckRun(check.name, check.ids, "error", message, 0))
            continue
        findings += found
        runs.append(CheckRun(check.name, check.ids, "fail" if found else "pass", None, len(found)))
    return findings, runs


def evaluate(
    snapshot: Snapshot,
    profile: Profile,
    *,
    kind: str | None = None,
    site_code: str | None = None,
    lexicon: dict[str, tuple[str, ...]] | None = None,
    monitoring: Monitoring | None = None,
    leaders: tuple[lexicons.Leader, ...] = (),
    homepage_timeout: float | None = None,
) -> ScanResult:
    """``homepage_timeout``: what the crawl waited for the homepage (None: the profile's rule)."""
    words = lexicon if lexicon is not None else lexicons.load()
    ctx = CheckContext(profile, kind, site_code, words, monitoring=monitoring, leaders=leaders,
                       homepage_timeout=homepage_timeout)  # fmt: skip
    findings, runs = run_checks(snapshot, ctx)
    verdict = score(profile, findings, runs)
    ref = ProfileRef(profile.name, profile.version, profile.digest, profile.title, profile.source)
    return ScanResult(
        schema=RESULT_SCHEMA,
        url=snapshot.url,
        kind=kind,
        site_code=site_code,
        as_of=snapshot.as_of,
        verdict=verdict.verdict,
        score=verdict.score,
        base=verdict.base,
        bonus=verdict.bonus,
        reasons=verdict.reasons,
        profile=ref,
        indicators=verdict.indicators,
        findings=tuple(findings),
        checks=tuple(runs),
        stats=snapshot.stats,
        homepage_url=snapshot.homepage.final_url,
        homepage_outcome=snapshot.homepage.outcome,
        warc=snapshot.warc,
    )


async def scan(
    url: str | None,
    config: EngineConfig | None = None,
    *,
    kind: str | None = None,
    site_code: str | None = None,
    profile: str | Path | Profile = "inspection-2019",
    lexicon_files: Sequence[Path] = (),
    leaders: Sequence[lexicons.Leader] = (),
    warc: Path | None = None,
    replay: Path | None = None,
    progress: Progress | None = None,
    monitoring: Monitoring | None = None,
    limiter: HostLimiter | None = None,
    screenshots: Path | None = None,
    browser: Browser | None = None,
) -> ScanResult:
    """Crawl ``url`` (or replay ``replay``), check it and score it; ``monitoring`` is the
    homepage's monitoring before the as-of time, which decides 站点无法访问 when it covers
    the rule's week; ``limiter`` is per-host politeness shared with other scans; ``leaders``
    are the office's leaders (the platform keeps them), added to those of ``lexicon_files``;
    ``screenshots``: a folder for pictures of the findings' pages (engine/screenshots.py;
    needs ``warc`` or ``replay``); ``browser``: a chromium shared with other scans of this
    event loop. Bad profiles and lexicons are rejected before anything is fetched."""
    chosen = profile if isinstance(profile, Profile) else load_profile(profile)
    words = lexicons.load(lexicon_files)
    people = tuple(dict.fromkeys((*lexicons.leaders(lexicon_files), *leaders)))
    config = config or EngineConfig()
    config = replace(config, homepage_timeout=homepage_timeout(config, chosen))  # the profile's rule, unless set
    own = None
    if browser is None:  # this scan's own chromium, started only if a page needs it
        own = Browser.configured(config)
    used = browser or own
    assert used is not None
    try:
        snapshot = await crawl(url, config, warc=warc, replay=replay, progress=progress, limiter=limiter,
                               browser=used)  # fmt: skip
        waited = config.homepage_timeout if replay is None else None  # a replay runs with its recorded settings
        result = evaluate(snapshot, chosen, kind=kind, site_code=site_code, lexicon=words, leaders=people,
                          monitoring=monitoring, homepage_timeout=waited)  # fmt: skip
        if screenshots is not None:
            if progress:
                progress(f"screenshots of {len(result.findings)} findings")
            shown = await attach_screenshots(result.findings, snapshot, screenshots, used)
            result = replace(result, findings=shown)
    finally:
        if own is not None:
            await own.close()
    return result
