"""Link checking (链接检查): is a link target alive? One cheap question per target.

``HEAD`` first; a server that refuses ``HEAD`` (403, 405, 501 — many old CMSs) is asked
again with ``GET``, so a refused method never reads as a dead link."""

from __future__ import annotations

from govsite.engine.fetch import Fetched, Fetcher

REFUSED_HEAD = (403, 405, 501)


async def ask(fetcher: Fetcher, url: str) -> tuple[Fetched, str]:
    """The answer for ``url`` and the method that gave it (``HEAD`` or ``GET``); redirects
    are followed as HTTP redirects only (a link target is not read as a page)."""
    fetched = await fetcher.get(url, method="HEAD", page_redirects=False)
    if fetched.status in REFUSED_HEAD:
        return await fetcher.get(url, page_redirects=False), "GET"
    return fetched, "HEAD"
