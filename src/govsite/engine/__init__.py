"""The scanning engine (扫描引擎): a plain async library, free of Django.

``await crawl(url, EngineConfig(...), warc=path)`` returns a :class:`Snapshot` of the
site; ``crawl(None, replay=path)`` rebuilds it offline from the WARC evidence;
``await probe_homepages(urls, config)`` makes the monitor's homepage probes and
:class:`Monitoring` carries their week into ``scan(..., monitoring=...)``.
"""

from govsite.engine.config import ConfigError, EngineConfig
from govsite.engine.crawl import crawl
from govsite.engine.outcome import Outcome
from govsite.engine.probe import MonitorDay, Monitoring, ProbeResult, ProbeState, probe_homepages
from govsite.engine.snapshot import Snapshot

__all__ = [
    "ConfigError",
    "EngineConfig",
    "MonitorDay",
    "Monitoring",
    "Outcome",
    "ProbeResult",
    "ProbeState",
    "Snapshot",
    "crawl",
    "probe_homepages",
]
