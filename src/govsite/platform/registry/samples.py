"""Load the sample province (the fleet's 华川省) into the registry."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from govsite.platform.registry.models import Region, Site
from govsite.platform.registry.tabular import file_choices
from govsite.samples.manifest import site_record
from govsite.samples.places import CITIES, COUNTIES, PROVINCE
from govsite.samples.world import World


@transaction.atomic
def load_sample_province(world: World, user: Any = None) -> int:
    """Create or update the province's regions and sites; returns the number of sites."""
    for place in (PROVINCE, *CITIES, *COUNTIES):
        parent = Region.objects.get(code=place.parent) if place.parent else None
        Region.objects.update_or_create(
            code=place.division_code,
            defaults={"name": place.name, "level": Region.level_of(place.division_code), "parent": parent},
        )
    regions = {r.code: r for r in Region.objects.all()}
    for site in world.sites.values():
        record = site_record(world, site)
        values = {
            "code": record["code"],
            "name": record["name"],
            "url": record["url"],
            "organizer": record["organizer"],
            "supervisor": record["supervisor"],
            "region": regions[site.place.division_code],
            "level": file_choices()["level"][record["level"]],
            "kind": record["kind"],
            "head": record["contacts"]["负责人"],
            "contact": record["contacts"]["联系人"],
            "phone": record["contacts"]["电话"],
            "email": record["contacts"]["邮箱"],
        }
        existing = Site.objects.filter(code=values["code"]).first() or Site()
        existing.apply(values, user, "载入样本省份")
    return len(world.sites)
