"""Platform rows for tests: the people of every role, and campaigns whose sites hold the
session's scans (``sample_scans``), stored by the executor's own steps — so only the
executor, campaign and browser tests pay for a real run."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.models import User

from govsite.platform.accounts.models import Membership, Role
from govsite.platform.campaigns.claims import claim, mark_failed
from govsite.platform.campaigns.executor import finish_if_done, mark_campaign_running, save_result
from govsite.platform.campaigns.models import Campaign
from govsite.platform.campaigns.sampling import create_campaign
from govsite.platform.registry.models import Region, Site
from govsite.samples.testing import TEST_NOW, Scans, Target

PASSWORD = "pw"
OWN_SITE = "3904000001"  # the operator's (北溪市人民政府: 6 blank columns)
#: One login per role: username -> (role, region code, site codes).
PERSONAS: dict[str, tuple[str, str | None, tuple[str, ...]]] = {
    "admin": (Role.ADMIN, None, ()),
    "national": (Role.NATIONAL, None, ()),
    "province": (Role.PROVINCIAL, "390000", ()),
    "city": (Role.MUNICIPAL, "390400", ()),  # 北溪市: 7 sites
    "other_city": (Role.MUNICIPAL, "390100", ()),
    "inspector": (Role.INSPECTOR, None, ()),  # assigned to the campaigns under test
    "stranger": (Role.INSPECTOR, None, ()),  # assigned to nothing
    "operator": (Role.OPERATOR, None, (OWN_SITE,)),
    "nowhere": (Role.MUNICIPAL, None, ()),  # a supervisor whose region was never set: sees and changes nothing
}


def person(name: str) -> User:
    """The persona ``name``, with the password :data:`PASSWORD`."""
    return member(name, *PERSONAS[name])


def member(name: str, role: str, region: str | None = None, sites: tuple[str, ...] = ()) -> User:
    """A login of ``role`` over the region coded ``region`` or the sites coded ``sites``, for
    a test that needs someone the personas do not cover (another city's supervisor, the
    operator of given sites); password :data:`PASSWORD`."""
    user = User.objects.create_user(name, password=PASSWORD)
    m = Membership.objects.create(user=user, role=role, region=Region.objects.get(code=region) if region else None)
    m.sites.set(Site.objects.filter(code__in=sites))
    return user


def people(*names: str) -> list[User]:
    return [person(n) for n in names or PERSONAS]


def scanned_campaign(scans: Scans, **create: Any) -> Campaign:
    """``create_campaign(**create)`` (as of :data:`TEST_NOW` unless given), its sites
    filled from ``scans`` exactly as the executor stores a run, and finished."""
    return filled(scans, create_campaign(**{"as_of": TEST_NOW, **create}))


def filled(scans: Scans, made: Campaign) -> Campaign:
    """A campaign made elsewhere (a re-verification's, say) filled from ``scans`` as the
    executor stores a run, and finished."""
    entries = list(made.sites.select_related("site").order_by("site__code"))
    targets = [Target(e.site.url, e.site.kind, e.site.code) for e in entries]
    mark_campaign_running(made)
    for entry, scanned in zip(entries, scans.results(targets, made.as_of, made.profile()), strict=True):
        assert claim(entry, timedelta(0))
        if isinstance(scanned.result, str):
            mark_failed(entry, scanned.result)
        else:
            save_result(entry, scanned.result, scanned.warc)
    return finish_if_done(made)
