"""The demo's people: one login per role, with a known password, printed by ``govsite demo``."""

from __future__ import annotations

from django.contrib.auth.models import User

from govsite.platform.accounts.models import Membership, Role
from govsite.platform.campaigns.models import Campaign
from govsite.platform.registry.models import Region, Site

PASSWORD = "govsite-demo"
#: username -> (role, region code, site codes)
PEOPLE = {
    "admin": (Role.ADMIN, None, ()),
    "province": (Role.PROVINCIAL, "390000", ()),
    "city": (Role.MUNICIPAL, "390100", ()),
    "inspector": (Role.INSPECTOR, None, ()),
    "operator": (Role.OPERATOR, None, ("3901000001",)),
}


def demo_people(campaign: Campaign) -> list[tuple[str, str]]:
    """Create (or reset) the demo logins; the inspector is assigned ``campaign``."""
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
