"""Full-site mode (``EngineConfig.full``, ``--full``): after the planned stages, every
page on the site's own hosts reachable from the pages read, each fetched once, within
the page and time budgets and the same per-host politeness.

Pages are read by a few workers from one queue (breadth first, in the order links were
seen); each page's record is kept lean (no text, no links: the :class:`LinkBook` holds
where each target was seen), so memory grows with the number of pages and targets, not
with what the pages say. Attachments and images are left to the link checks (``HEAD``)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from govsite.engine import extract
from govsite.engine.reading import LEAN_KIND, Reader

KIND = LEAN_KIND
PROGRESS_EVERY = 200  # pages between two progress lines


async def read_site(reader: Reader, drained: Callable[[], None] = lambda: None) -> None:
    """The walk; ``drained`` is called each time a worker finds nothing left to read (the
    host's slots it leaves free may serve other requests, such as the availability probes)."""
    admission, config = reader.admission, reader.admission.config
    queue: asyncio.Queue[str] = asyncio.Queue()
    offered = {p.final_url for p in reader.pages.values()}  # a page is known by where it landed too

    def offer(url: str, kind: str) -> None:
        if url in offered or url in reader.pages or kind not in ("a", "frame"):
            return
        offered.add(url)
        if admission.internal(url) and not extract.is_document(url):
            queue.put_nowait(url)

    for url, kind in list(reader.links.kinds.items()):
        offer(url, kind)
    done = [0]

    async def work() -> None:
        while True:
            url = await queue.get()
            try:
                found = await reader.read(url, KIND)  # None once a budget is spent: the queue drains
                if found is not None:
                    offered.add(found.fetched.final_url)
                if found is not None and found.parsed is not None:
                    for link in found.parsed.links:
                        offer(link.url, link.kind)
                done[0] += 1
                if done[0] % PROGRESS_EVERY == 0:
                    reader.say(f"full site: {len(reader.pages)} pages read, {queue.qsize()} queued")
            finally:
                queue.task_done()
                if queue.empty():
                    drained()

    workers = min(config.global_concurrency, config.per_host_concurrency * max(1, len(admission.site_hosts)))
    tasks = [asyncio.ensure_future(work()) for _ in range(workers)]
    try:
        await queue.join()
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    reader.say(f"full site: {len(reader.pages)} pages read")
