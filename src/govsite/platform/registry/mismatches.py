"""Registry against reality (登记信息与实际不符): what scans show that the registry does not.

- a registered homepage that redirects to another host (the site moved, or the URL is
  wrong);
- a site filed as closed (已关停, 申请关停, 已迁移) whose homepage still answers — a closed
  site must really be offline;
- a government with two running portals.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.utils.translation import gettext_lazy

from govsite.engine import EngineConfig, probe_homepages
from govsite.platform.campaigns.models import CampaignSite
from govsite.platform.registry.models import Site

CLOSED = (Site.Status.CLOSED, Site.Status.CLOSURE_REQUESTED, Site.Status.MIGRATED)
#: How many of one government's portals a "two portals" row names (each of them has its own row).
SHOWN_PORTALS = 5


KINDS = {
    "redirects_elsewhere": gettext_lazy("Registered URL redirects to another host"),
    "closed_but_online": gettext_lazy("Filed as closed but still online"),
    "two_portals": gettext_lazy("One government, two portals"),
}


@dataclass(frozen=True)
class Mismatch:
    site: str  # 网站标识码
    kind: str  # a key of KINDS
    detail: str

    @property
    def label(self) -> str:
        return str(KINDS[self.kind])


def from_scans(entries: Iterable[CampaignSite]) -> list[Mismatch]:
    """Registered homepages the scans of ``entries`` saw land on another host (read from
    each entry's stored ``homepage_url``, never its result)."""
    out = []
    for entry in entries:
        final = entry.homepage_url
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
            f"{s.region.name}同时开设 {len(group)} 个门户网站："
            + "、".join(x.url for x in group[:SHOWN_PORTALS])
            + ("……" if len(group) > SHOWN_PORTALS else ""),
        )
        for group in by_region.values()
        if len(group) > 1
        for s in group
    ]


async def closed_but_online(sites: list[Site], config: EngineConfig) -> list[Mismatch]:
    """Probe the homepage of each site filed as closed; report those that still answer,
    in the order given."""
    probes = await probe_homepages([s.url for s in sites], config)
    return [
        Mismatch(s.code, "closed_but_online", f"登记为“{s.get_status_display()}”，但首页仍可访问（{p.final_url}）")
        for s, p in zip(sites, probes, strict=True)
        if p.ok
    ]
