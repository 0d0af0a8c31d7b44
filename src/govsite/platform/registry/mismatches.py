"""Registry against reality (登记信息与实际不符): what scans show that the registry does not.

- a registered homepage that redirects to another host (the site moved, or the URL is
  wrong);
- a site filed as closed (已关停, 申请关停, 已迁移) whose homepage still answers — a closed
  site must really be offline;
- a government with two running portals.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urlsplit

from govsite.engine import EngineConfig
from govsite.engine.fetch import Fetcher
from govsite.engine.transport import LiveTransport
from govsite.platform.campaigns.models import CampaignSite
from govsite.platform.registry.models import Site

CLOSED = (Site.Status.CLOSED, Site.Status.CLOSURE_REQUESTED, Site.Status.MIGRATED)


@dataclass(frozen=True)
class Mismatch:
    site: str  # 网站标识码
    kind: str  # redirects_elsewhere | closed_but_online | two_portals
    detail: str


def from_scans(entries: list[CampaignSite]) -> list[Mismatch]:
    out = []
    for entry in entries:
        result = entry.result or {}
        final = result.get("homepage_url")
        if not final:
            continue
        registered = urlsplit(entry.site.url).hostname or ""
        landed = urlsplit(final).hostname or ""
        if landed and landed != registered:
            out.append(Mismatch(entry.site.code, "redirects_elsewhere", f"登记地址 {entry.site.url} 跳转至 {final}"))
    return out


def two_portals() -> list[Mismatch]:
    by_region: dict[str, list[Site]] = defaultdict(list)
    for site in Site.objects.filter(kind=Site.Kind.PORTAL, status=Site.Status.RUNNING).select_related("region"):
        by_region[site.region.code].append(site)
    return [
        Mismatch(
            s.code,
            "two_portals",
            f"{s.region.name}同时开设 {len(group)} 个门户网站：" + "、".join(x.url for x in group),
        )
        for group in by_region.values()
        if len(group) > 1
        for s in group
    ]


async def closed_but_online(sites: list[Site], config: EngineConfig) -> list[Mismatch]:
    """Probe the homepage of each site filed as closed; report those that still answer."""
    transport = LiveTransport(config, None)
    fetcher = Fetcher(transport, config)
    out = []
    try:
        for site in sites:
            fetched = await fetcher.get(site.url, timeout=config.homepage_timeout)
            if fetched.ok:
                out.append(
                    Mismatch(
                        site.code,
                        "closed_but_online",
                        f"登记为“{site.get_status_display()}”，但首页仍可访问（{fetched.final_url}）",
                    )
                )
    finally:
        await transport.close()
    return out
