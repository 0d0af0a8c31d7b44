"""The scanning engine (扫描引擎): a plain async library, free of Django.

``await crawl(url, EngineConfig(...), warc=path)`` returns a :class:`Snapshot` of the
site; ``crawl(None, replay=path)`` rebuilds it offline from the WARC evidence.
"""

from govsite.engine.config import ConfigError, EngineConfig
from govsite.engine.crawl import crawl
from govsite.engine.guard import url_refusal
from govsite.engine.outcome import Outcome
from govsite.engine.snapshot import Snapshot

__all__ = ["ConfigError", "EngineConfig", "Outcome", "Snapshot", "crawl", "url_refusal"]
