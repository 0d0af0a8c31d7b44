"""Admission (准入): the one question every stage of the crawl asks before it fetches a
page — not read yet, within the page and time budgets, of this site where that matters,
and allowed by robots.txt in robots mode. What a limit cut is kept in ``limits``
(``stats.limits_hit``)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from govsite.engine.config import EngineConfig
from govsite.engine.fetch import Fetcher
from govsite.engine.urlnorm import host_of


@dataclass
class Admission:
    start: str  # the site's start URL (its homepage is always read)
    config: EngineConfig
    site_hosts: set[str] = field(default_factory=set)  # the homepage's host, and where it landed
    limits: set[str] = field(default_factory=set)
    seen: set[str] = field(default_factory=set)
    robots: RobotFileParser | None = None
    started: float = field(default_factory=time.monotonic)

    def admit(self, url: str) -> bool:
        """Whether ``url`` may be read now; when it may, it counts against the page budget."""
        if url in self.seen:
            return False
        if len(self.seen) >= self.config.max_pages:
            self.limits.add("max_pages")
            return False
        if self.out_of_time() or not self.robots_allow(url):
            return False
        self.seen.add(url)
        return True

    def out_of_time(self) -> bool:
        if time.monotonic() - self.started > self.config.max_seconds:
            self.limits.add("max_seconds")
            return True
        return False

    def internal(self, url: str) -> bool:
        return host_of(url) in self.site_hosts

    def robots_allow(self, url: str) -> bool:
        """False for a URL of this site that robots.txt (in robots mode) disallows; the
        homepage is always read, as the availability rule requires."""
        if self.robots is None or url == self.start or not self.internal(url):
            return True
        if self.robots.can_fetch(self.config.user_agent, url):
            return True
        self.limits.add("robots")
        return False

    async def load_robots(self, fetcher: Fetcher) -> None:
        """Read robots.txt (robots mode): only the start host is then the site's."""
        parts = urlsplit(self.start)
        robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
        fetched = await fetcher.get(robots_url, page_redirects=False)
        parser = RobotFileParser(robots_url)
        parser.parse((fetched.text or "").splitlines() if fetched.ok else [])
        self.robots = parser
        self.site_hosts = {host_of(self.start)}
