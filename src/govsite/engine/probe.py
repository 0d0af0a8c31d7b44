"""Homepage probes (首页探测) outside a scan: does each homepage still answer, and where
does it land? The registry's mismatches page asks this of sites filed as closed."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass

from govsite.engine.config import EngineConfig
from govsite.engine.fetch import Fetcher
from govsite.engine.transport import LiveTransport


@dataclass(frozen=True)
class HomepageProbe:
    url: str  # as asked
    ok: bool  # it answered with a page
    final_url: str  # where it landed after every redirect
    outcome: str  # an ``Outcome`` value


async def probe_homepages(urls: Sequence[str], config: EngineConfig) -> list[HomepageProbe]:
    """Probe each homepage once (several at a time, within the engine's politeness
    limits and the homepage timeout), in the order given; nothing is archived."""
    transport = LiveTransport(config, None)
    fetcher = Fetcher(transport, config)
    gate = asyncio.Semaphore(config.global_concurrency)

    async def probe(url: str) -> HomepageProbe:
        async with gate:
            fetched = await fetcher.get(url, timeout=config.homepage_timeout)
        return HomepageProbe(url, fetched.ok, fetched.final_url, fetched.outcome.value)

    try:
        return list(await asyncio.gather(*(probe(u) for u in urls)))
    finally:
        await transport.close()
