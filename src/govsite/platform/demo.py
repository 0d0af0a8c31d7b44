"""``govsite demo``'s platform half: the sample province in the registry, a 30 % spot
check of it run against the sample fleet, and one login per role with a known password.
The fleet's address reaches the executor through ``bootstrap.setup(fleet_proxy=...)``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

from django.contrib.auth.models import User

from govsite.platform.accounts.models import Membership, Role
from govsite.platform.campaigns.executor import engine_config, run_campaign
from govsite.platform.campaigns.models import Campaign
from govsite.platform.campaigns.sampling import create_campaign
from govsite.platform.registry.models import Region, Site
from govsite.platform.registry.samples import load_sample_province
from govsite.samples.world import World

DEMO_SEED = 2026

PASSWORD = "govsite-demo"
#: username -> (role, region code, site codes)
PEOPLE = {
    "admin": (Role.ADMIN, None, ()),
    "province": (Role.PROVINCIAL, "390000", ()),
    "city": (Role.MUNICIPAL, "390100", ()),
    "inspector": (Role.INSPECTOR, None, ()),
    "operator": (Role.OPERATOR, None, ("3901000001",)),
}


class DemoRefused(Exception):
    """The database holds people other than the demo's: the demo will not touch it."""


def refuse_real_databases() -> None:
    """Raise DemoRefused when the database has users the demo did not make: resetting the
    demo logins' known password there would open a real platform to anyone."""
    others = list(User.objects.exclude(username__in=PEOPLE).order_by("username").values_list("username", flat=True)[:3])
    if others:
        raise DemoRefused(", ".join(others))


def demo_people(campaign: Campaign) -> list[tuple[str, str]]:
    """Create (or reset) the demo logins; the inspector is assigned ``campaign``. Refuses
    (DemoRefused) a database with other users."""
    refuse_real_databases()
    out = []
    for name, (role, region, sites) in PEOPLE.items():
        user, _ = User.objects.get_or_create(username=name)
        user.set_password(PASSWORD)
        user.is_staff = user.is_superuser = role == Role.ADMIN
        user.save()
        member, _ = Membership.objects.update_or_create(
            user=user, defaults={"role": role, "region": Region.objects.get(code=region) if region else None}
        )
        member.sites.set(Site.objects.filter(code__in=sites))
        if role == Role.INSPECTOR:
            campaign.inspectors.add(user)
        out.append((name, member.get_role_display()))
    return out


def demo_campaign(world: World, as_of: datetime, concurrency: int, say: Callable[[str, str], None],
                  progress: Callable[[str], None]) -> Campaign:  # fmt: skip
    """Load ``world``'s province into the registry, draw a 30 % spot check of it and run
    it with the executor's settings; ``say(zh, en)`` reports each step."""
    count = load_sample_province(world)
    say(f"登记库：载入 {count} 个网站", f"Registry: {count} sites loaded")
    campaign = create_campaign(name=f"{as_of:%Y年%m月%d日}抽查（演示）", kind="spot_check", region=Region.objects.get(code="390000"),
                               as_of=as_of, ratio=Decimal("0.3"), seed=DEMO_SEED)  # fmt: skip
    drawn = campaign.sites.count()
    say(
        f"检查任务 {campaign.pk}：抽取 {drawn} 个网站，扫描中……",
        f"Campaign {campaign.pk}: {drawn} sites drawn, scanning…",
    )
    return run_campaign(campaign, engine_config(), concurrency, progress=progress)
