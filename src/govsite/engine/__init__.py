"""The scanning engine (扫描引擎): a plain async library, free of Django.

This module is the engine's public face: the platform and the command line use the
names below and nothing else (``tests/engine/test_isolation.py`` keeps it so); the
modules behind them may change. docs/engine.md describes each.

- crawl: ``await crawl(url, EngineConfig(...), warc=path)`` returns a :class:`Snapshot`;
  ``crawl(None, replay=path)`` rebuilds it offline from the WARC evidence.
- scan: ``await scan(url, config, profile=...)`` crawls, checks and scores a site into a
  :class:`ScanResult` (``to_data``/``from_data`` for storage).
- review: :func:`rescore` is the verdict after people's decisions; :func:`reviewed`
  lists the findings as reviewed.
- profiles: :func:`load_profile`, :func:`parse_profile`, :func:`profile_source`,
  ``SHIPPED``.
- checks: ``CHECK_IDS`` and ``REPORTS`` (each id's severities and Chinese and English
  names, as the check registry declares them).
- politeness shared between scans: a :class:`HostLimiter` passed to ``scan``/``crawl``
  (``limiter=``) holds each host's limits for every scan given it; :class:`Slots` caps
  work across threads and event loops.
- rendering: a :class:`Browser` (chromium through Playwright) passed to ``scan``/``crawl``
  (``browser=``) renders the script-built pages of every scan of one event loop;
  ``scan(..., screenshots=folder)`` keeps pictures of the findings' pages.
- the address guard: :func:`url_refusal` says why a URL may not be scanned (docs/engine.md).
- evidence and probes: :func:`read_record` describes a page in the WARC file and
  :func:`record_body` reads it back a piece at a time, both with the fetcher's cap;
  :func:`probe_homepages` asks homepages outside a scan.
- monitoring: :func:`monitor_homepages` makes the 7×24 monitor's probes (up, down,
  blocked, error); :class:`Monitoring` (days of :class:`MonitorDay`) carries their week
  into ``scan(..., monitoring=...)``, where it decides 站点无法访问.
"""

from govsite.engine.checks.base import SEVERITIES, SEVERITY_NAMES, Evidence, Finding, Reports
from govsite.engine.checks.registry import CHECK_IDS, REPORTS
from govsite.engine.config import FULL_LIMITS, ConfigError, EngineConfig
from govsite.engine.crawl import crawl
from govsite.engine.dates import CST
from govsite.engine.evidence import Archived, ArchiveDamaged, read_record, record_body
from govsite.engine.guard import url_refusal
from govsite.engine.hostlimit import HostLimiter, Slots
from govsite.engine.lexicon import Leader, LexiconError, parse_leaders
from govsite.engine.outcome import Outcome
from govsite.engine.probe import (
    HomepageProbe,
    MonitorDay,
    Monitoring,
    ProbeResult,
    ProbeState,
    monitor_homepages,
    probe_homepages,
)
from govsite.engine.profile import SHIPPED, Profile, ProfileError
from govsite.engine.profile import load as load_profile
from govsite.engine.profile import parse as parse_profile
from govsite.engine.profile import source_text as profile_source
from govsite.engine.render import Browser
from govsite.engine.review import DECISIONS, Reviewed, rescore, reviewed
from govsite.engine.scan import ScanResult, scan
from govsite.engine.score import FAIL, PASS, REVIEW, CheckRun, IndicatorResult, Verdict
from govsite.engine.snapshot import Snapshot
from govsite.engine.urlnorm import host_of

__all__ = [
    "CHECK_IDS",
    "CST",
    "DECISIONS",
    "FAIL",
    "FULL_LIMITS",
    "PASS",
    "REPORTS",
    "REVIEW",
    "SEVERITIES",
    "SEVERITY_NAMES",
    "SHIPPED",
    "ArchiveDamaged",
    "Archived",
    "Browser",
    "CheckRun",
    "ConfigError",
    "EngineConfig",
    "Evidence",
    "Finding",
    "HomepageProbe",
    "HostLimiter",
    "IndicatorResult",
    "Leader",
    "LexiconError",
    "MonitorDay",
    "Monitoring",
    "Outcome",
    "ProbeResult",
    "ProbeState",
    "Profile",
    "ProfileError",
    "Reports",
    "Reviewed",
    "ScanResult",
    "Slots",
    "Snapshot",
    "Verdict",
    "crawl",
    "host_of",
    "load_profile",
    "monitor_homepages",
    "parse_leaders",
    "parse_profile",
    "probe_homepages",
    "profile_source",
    "read_record",
    "record_body",
    "rescore",
    "reviewed",
    "scan",
    "url_refusal",
]
