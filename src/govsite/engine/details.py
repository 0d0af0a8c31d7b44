"""Details (详情页): a sample of article pages per column, the messages of the last 15
months, the service guides. Each page is reduced to what the snapshot keeps as soon as
it is read, so a large site's parse trees never pile up."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import date
from functools import partial
from typing import Any, TypeVar

from govsite.engine import extract
from govsite.engine.columns import MESSAGE_HORIZON
from govsite.engine.outcome import Outcome
from govsite.engine.reading import Reader
from govsite.engine.snapshot import Column, Guide, Item, Message

DUPLICATE_GROUPS = 30  # same-title groups whose pages are read for comparison
DUPLICATE_GROUP_SIZE = 4
T = TypeVar("T")


def start_details(reader: Reader, columns: list[Column]) -> asyncio.Future[tuple[list[Message], list[Guide]]]:
    """Begin reading the articles, then the messages, then the guides: their reads are
    asked of admission in that order (as the tasks are made, before any request) and
    their requests overlap; a page wanted by two of them is read by the first, the
    second waiting for it (a page read as an article is not read again as a message).
    What starts after this call is admitted after them."""
    config = reader.admission.config
    article_jobs: list[str] = []
    message_jobs: list[tuple[Column, Item]] = []
    guide_jobs: list[tuple[Column, Item]] = []
    horizon = reader.day - MESSAGE_HORIZON
    for column in columns:
        if column.kind == "board":
            recent = [i for i in column.items if i.date is None or i.date >= horizon]
            message_jobs += [(column, i) for i in recent]
        elif column.kind == "guides":
            guide_jobs += [(column, i) for i in column.items]
        elif column.kind == "list":
            picks = [i for i in column.items if not extract.is_document(i.url) and reader.admission.internal(i.url)]
            article_jobs += [i.url for i in picks[: config.articles_per_column]]
    article_jobs += same_titles(reader, columns)
    last: dict[str, asyncio.Future[Any]] = {}  # the latest reading of each URL

    def started(url: str, job: Callable[[], Awaitable[T]]) -> asyncio.Future[T]:
        before = last.get(url)

        async def run() -> T:
            if before is not None:
                await asyncio.wait([before])
            return await job()

        last[url] = task = asyncio.ensure_future(run())
        return task

    articles = [started(u, partial(reader.read, u, "article")) for u in dict.fromkeys(article_jobs)]
    messages = [started(i.url, partial(_message, reader, c, i)) for c, i in message_jobs[: config.messages_max]]
    guides = [started(i.url, partial(_guide, reader, i)) for _, i in guide_jobs[: config.guides_max]]

    async def gathered() -> tuple[list[Message], list[Guide]]:
        await asyncio.gather(*articles)
        return list(await asyncio.gather(*messages)), list(await asyncio.gather(*guides))

    return asyncio.ensure_future(gathered())


def same_titles(reader: Reader, columns: list[Column]) -> list[str]:
    """Both pages of items listed twice under one title on different dates, so the
    checks can compare their text (旧稿新发, 一稿多发)."""
    by_title: dict[str, list[Item]] = {}
    for column in columns:
        if column.kind == "list":
            for item in column.items:
                if len(item.title) >= 8 and item.date is not None and reader.admission.internal(item.url):
                    by_title.setdefault(item.title, []).append(item)
    groups = [g for g in by_title.values() if len({i.url for i in g}) > 1 and len({i.date for i in g}) > 1]
    # the most recent repeats first: a story posted again lately is what 旧稿新发 means
    groups.sort(key=lambda g: (max(i.date or date.min for i in g), g[0].title), reverse=True)
    urls: list[str] = []
    for group in groups[:DUPLICATE_GROUPS]:
        urls += sorted({i.url for i in group})[:DUPLICATE_GROUP_SIZE]
    return urls


async def _message(reader: Reader, column: Column, item: Item) -> Message:
    found = await reader.read(item.url, "message")
    page = reader.pages.get(item.url)
    outcome = page.outcome if page else Outcome.SCANNER_ERROR.value
    asked, replied, reply_date = item.date, None, None
    if found is not None and found.parsed is not None and found.fetched.ok:
        asked, replied, reply_date = extract.message_state(found.parsed.main_text, reader.day)
        asked = asked or item.date
    return Message(url=item.url, title=item.title, column=column.url, asked=asked, replied=replied,
                   reply_date=reply_date, outcome=outcome)  # fmt: skip


async def _guide(reader: Reader, item: Item) -> Guide:
    found = await reader.read(item.url, "guide")
    page = reader.pages.get(item.url)
    outcome = page.outcome if page else Outcome.SCANNER_ERROR.value
    elements: tuple[str, ...] = ()
    if found is not None and found.parsed is not None and found.fetched.ok:
        elements = extract.guide_elements(found.parsed.main_text)
    return Guide(url=item.url, title=item.title, elements=elements, outcome=outcome)
