"""Details read together: articles, messages and guides overlap, yet each page is asked of
admission in the planned order and read once."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urljoin

from govsite.engine.admission import Admission
from govsite.engine.config import EngineConfig
from govsite.engine.dates import CST
from govsite.engine.details import start_details
from govsite.engine.fetch import Fetcher
from govsite.engine.reading import Reader
from govsite.engine.snapshot import Column, Item
from govsite.engine.transport import LiveTransport
from govsite.engine.urlnorm import host_of
from govsite.samples import urls
from govsite.samples.server import FleetServer
from govsite.samples.world import World


def column(url: str, kind: str, items: tuple[Item, ...]) -> Column:
    return Column(name=kind, url=url, level=1, parent=None, cls="other", kind=kind, outcome="ok", items=items,
                  latest=None, blank=False, note=None, pages_fetched=1, item_total=None)  # fmt: skip


async def test_a_page_listed_as_an_article_and_a_message_is_read_once_as_the_article(
    sample_fleet: FleetServer, sample_world: World
) -> None:
    site = sample_world.site("jtt.huachuan.gov.cn")
    assert site is not None
    home = site.url
    first, second = [urljoin(home, urls.column(site, c)) for c in site.columns.values() if c.has_items][:2]
    config = EngineConfig(proxy=sample_fleet.proxy, proxy_resolves_safely=True, min_interval=0, render=False)
    transport = LiveTransport(config, None)
    try:
        reader = Reader(Admission(home, config, site_hosts={host_of(home)}), Fetcher(transport, config),
                        datetime(2026, 11, 23, 10, tzinfo=CST))  # fmt: skip
        shared, own = Item("shared", first, None), Item("own", second, None)
        columns = [column(home + "news/", "list", (shared,)), column(home + "board/", "board", (shared, own))]
        messages, guides = await start_details(reader, columns)
    finally:
        await transport.close()
    assert reader.pages[first].kind == "article" and reader.pages[second].kind == "message"
    assert reader.fetcher.hosts == {host_of(home): 2}  # the shared page was asked once
    # the message waited for the article's answer instead of reading its placeholder
    assert [(m.url, m.outcome) for m in messages] == [(first, "ok"), (second, "ok")]
    assert guides == []
