"""Drawing a campaign's sites: a census takes every running site in scope; a spot
check (抽查) takes a stratified random sample — in each stratum (the city-level
region and the statistical level) ⌈ratio × n⌉ sites, drawn with a random generator
seeded by the campaign's recorded seed and the stratum's name, from the stratum's
sites in code order. Anyone with the registry, the ratio and the seed draws the same
sample."""

from __future__ import annotations

import math
import random
import secrets
from collections import defaultdict
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from govsite.engine import parse_profile, profile_source
from govsite.platform.campaigns.models import Campaign, CampaignSite
from govsite.platform.registry.models import Region, Site


def in_scope(region: Region) -> QuerySet[Site]:
    """The running sites of ``region`` and the regions below it."""
    return Site.objects.filter(region__code__in=region.descendant_codes(), status=Site.Status.RUNNING)


def stratum(site: Site) -> str:
    return f"{Region.city_level(site.region.code)}/{site.level}"


def draw(sites: list[Site], ratio: Decimal, seed: int) -> list[tuple[Site, str]]:
    groups: dict[str, list[Site]] = defaultdict(list)
    for site in sites:
        groups[stratum(site)].append(site)
    chosen: list[tuple[Site, str]] = []
    for name in sorted(groups):
        members = sorted(groups[name], key=lambda s: s.code)
        count = min(len(members), math.ceil(ratio * len(members)))
        picked = random.Random(f"{seed}:{name}").sample(members, count)
        chosen += [(s, name) for s in sorted(picked, key=lambda s: s.code)]
    return chosen


@transaction.atomic
def create_campaign(
    *,
    name: str,
    kind: str,
    region: Region,
    as_of: datetime,
    ratio: Decimal = Decimal(1),
    seed: int | None = None,
    profile: str | Path = "inspection-2019",
    user: Any = None,
    site: Site | None = None,
    among: list[Site] | None = None,
) -> Campaign:
    """A campaign with its sample drawn and its profile frozen. A self-check (自查) scans
    the one ``site`` given; census and spot checks draw from ``region``'s running sites, or
    from ``among`` (a sampled re-verification of a unit's self-checked sites, 抽样复核)."""
    if kind not in Campaign.Kind.values:
        raise ValueError(f"kind must be one of {', '.join(Campaign.Kind.values)}")
    if (kind == "self_check") != (site is not None):
        raise ValueError("a self-check takes exactly one site, and only a self-check does")
    if not ratio.is_finite() or not Decimal(0) < ratio <= Decimal(1):
        raise ValueError("ratio must be more than 0 and at most 1")
    ratio = ratio.quantize(Decimal("0.001"))  # as stored: the recorded ratio draws the same sample
    if ratio == 0:
        raise ValueError("ratio must be at least 0.001")
    if seed is not None and not 0 <= seed < 2**63:
        raise ValueError("seed must be a whole number from 0 to 2^63 - 1")
    text = profile_source(profile)
    frozen = parse_profile(text, str(profile))
    seed = seed if seed is not None else secrets.randbelow(2**31)
    campaign = Campaign(
        name=name,
        kind=kind,
        region=region,
        ratio=ratio if kind == "spot_check" else Decimal(1),
        seed=seed,
        as_of=as_of,
        profile_name=frozen.name,
        profile_version=frozen.version,
        profile_digest=frozen.digest,
        profile_text=text,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    campaign.full_clean(validate_unique=False)  # the model's limits hold on every database backend
    campaign.save()
    if site is not None:
        picked = [(site, stratum(site))]
    else:
        pool = among if among is not None else list(in_scope(region).select_related("region"))
        picked = draw(pool, campaign.ratio, seed)
    CampaignSite.objects.bulk_create(CampaignSite(campaign=campaign, site=s, stratum=st) for s, st in picked)
    return campaign
