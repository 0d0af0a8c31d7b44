"""Sites (政府网站), their regions (行政区划) and the history of every change."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

SITE_CODE = re.compile(r"^(\d{10}|bm\d{8})$")
DIVISION_CODE = re.compile(r"^\d{6}$")
#: 暂时关停 may last at most 30 days (2017 practice, seed 004).
TEMPORARY_CLOSURE_DAYS = 30


def validate_site_code(value: str) -> None:
    if not SITE_CODE.match(value):
        raise ValidationError(
            _("A site code is 10 digits (local sites) or bm and 8 digits (State Council departments): %(v)s"),
            params={"v": value},
        )


def validate_homepage(value: str) -> None:
    """Refuse a homepage the scanner's address guard would refuse (judged by its host, no DNS)."""
    from govsite.engine import url_refusal

    if settings.EXECUTOR_ENGINE.get("allow_private"):
        return
    reason = url_refusal(value)
    if reason:
        raise ValidationError(
            _("The scanner refuses this homepage, so it cannot be registered: %(reason)s"), params={"reason": reason}
        )


def validate_division_code(value: str) -> None:
    if not DIVISION_CODE.match(value):
        raise ValidationError(_("A division code is 6 digits: %(v)s"), params={"v": value})


#: The registry file's words for the choices (政府网站基本信息表). They are data, in Chinese
#: whatever the page's language: imports and exports use these, the pages the choices' labels
#: (which read the same in Chinese; a test holds them together).
FILE_LABELS: dict[str, dict[str, str]] = {
    "level": {
        "state_council": "国务院部门及其内设、垂直管理机构",
        "provincial_portal": "省级政府门户",
        "provincial_department": "省级政府部门",
        "city_portal": "市级政府门户",
        "city_department": "市级政府部门",
        "county_portal": "县级政府门户",
        "below_county": "县级以下",
    },
    "kind": {"portal": "门户网站", "department": "部门网站"},
    "status": {
        "running": "运行",
        "temporarily_closed": "暂时关停",
        "closure_requested": "申请关停",
        "closed": "已关停",
        "migrated": "已迁移至集约化平台",
    },
}


class Region(models.Model):
    """An administrative division (GB/T 2260 code): province, city or county."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province level")
        CITY = "city", _("City level")
        COUNTY = "county", _("County level")

    code = models.CharField(_("division code"), max_length=6, unique=True, validators=[validate_division_code])
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="children")

    class Meta:
        ordering = ["code"]
        verbose_name = _("administrative division")
        verbose_name_plural = _("administrative divisions")

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    @staticmethod
    def level_of(code: str) -> str:
        """province, city or county, as GB/T 2260 codes nest: 390000 ⊃ 390100 ⊃ 390121."""
        if code.endswith("0000"):
            return "province"
        return "city" if code.endswith("00") else "county"

    @staticmethod
    def parent_code(code: str) -> str | None:
        level = Region.level_of(code)
        if level == "province":
            return None
        return code[:2] + "0000" if level == "city" else code[:4] + "00"

    @staticmethod
    def city_level(code: str) -> str:
        """The city-level division a code counts under: a county's city; a city or the province itself."""
        return code[:4] + "00" if Region.level_of(code) == "county" else code

    @staticmethod
    def within(code: str, root: str) -> bool:
        """Whether division ``code`` is ``root`` or lies below it."""
        found: str | None = code
        while found is not None and found != root:
            found = Region.parent_code(found)
        return found == root

    def ancestors_and_self(self) -> list[Region]:
        chain: list[Region] = [self]
        while chain[-1].parent_id is not None:
            parent = chain[-1].parent
            assert parent is not None
            chain.append(parent)
        return list(reversed(chain))

    def descendant_codes(self) -> list[str]:
        """This region's code and those below it (codes nest by prefix)."""
        prefix = {"province": 2, "city": 4, "county": 6}[str(self.level)]
        return list(Region.objects.filter(code__startswith=self.code[:prefix]).values_list("code", flat=True))


class Site(models.Model):
    """A government website as registered (政府网站基本信息表)."""

    class Level(models.TextChoices):
        STATE_COUNCIL = "state_council", _("State Council department, its internal and vertically managed bodies")
        PROVINCIAL_PORTAL = "provincial_portal", _("Provincial government portal")
        PROVINCIAL_DEPARTMENT = "provincial_department", _("Provincial government department")
        CITY_PORTAL = "city_portal", _("City government portal")
        CITY_DEPARTMENT = "city_department", _("City government department")
        COUNTY_PORTAL = "county_portal", _("County government portal")
        BELOW_COUNTY = "below_county", _("Below county level")

    class Kind(models.TextChoices):
        PORTAL = "portal", _("Portal")
        DEPARTMENT = "department", _("Department site")

    class Status(models.TextChoices):
        RUNNING = "running", _("In operation")
        TEMPORARILY_CLOSED = "temporarily_closed", _("Temporarily closed")
        CLOSURE_REQUESTED = "closure_requested", _("Closure requested")
        CLOSED = "closed", _("Closed")
        MIGRATED = "migrated", _("Migrated to the consolidated platform")

    code = models.CharField(_("site code"), max_length=10, unique=True, validators=[validate_site_code])
    name = models.CharField(_("site name"), max_length=200)
    url = models.URLField(_("homepage"), max_length=500, validators=[validate_homepage])
    organizer = models.CharField(_("organizer"), max_length=200)
    supervisor = models.CharField(_("supervising body"), max_length=200)
    region = models.ForeignKey(Region, models.PROTECT, related_name="sites", verbose_name=_("administrative division"))
    level = models.CharField(_("statistical level"), max_length=30, choices=Level.choices)
    kind = models.CharField(_("site type"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=30, choices=Status.choices, default=Status.RUNNING)
    status_since = models.DateField(_("status date"), null=True, blank=True)
    head = models.CharField(_("head"), max_length=50, blank=True)
    contact = models.CharField(_("contact"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("email"), blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("government website")
        verbose_name_plural = _("government websites")

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    #: Fields whose changes are kept in the history.
    TRACKED = (
        "name",
        "url",
        "organizer",
        "supervisor",
        "region_id",
        "level",
        "kind",
        "status",
        "status_since",
        "head",
        "contact",
        "phone",
        "email",
    )

    def closure_overdue(self, today: date | None = None) -> bool:
        """True for a temporary closure (暂时关停) longer than 30 days."""
        if self.status != Site.Status.TEMPORARILY_CLOSED or self.status_since is None:
            return False
        today = today or timezone.localdate()
        return today - self.status_since > timedelta(days=TEMPORARY_CLOSURE_DAYS)

    @transaction.atomic
    def apply(self, values: dict[str, Any], user: Any = None, reason: str = "") -> list[SiteChange]:
        """Set ``values``, validate, save, and record one history line per changed field."""
        before = {f: getattr(self, f) for f in self.TRACKED} if self.pk else {}
        for field, value in values.items():
            setattr(self, field, value)
        self.full_clean()
        self.save()
        changes = [
            SiteChange(
                site=self,
                user=user if getattr(user, "is_authenticated", False) else None,
                field=field,
                old="" if not before else _text(before[field]),
                new=_text(getattr(self, field)),
                reason=reason,
            )
            for field in self.TRACKED
            if not before or before[field] != getattr(self, field)
        ]
        SiteChange.objects.bulk_create(changes)
        return changes


def _text(value: Any) -> str:
    return "" if value is None else str(value)


class SiteChange(models.Model):
    """One changed field of a site: who, when, what, why."""

    site = models.ForeignKey(Site, models.CASCADE, related_name="changes")
    when = models.DateTimeField(default=timezone.now)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True)
    field = models.CharField(max_length=50)
    old = models.TextField(blank=True)
    new = models.TextField(blank=True)
    reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-when", "-id"]


class ClosedProbe(models.Model):
    """One probe of the homepages of the sites filed as closed in a registry scope (关停网站
    是否仍可访问), run in the background (``registry.closed_probe``); the mismatches page
    shows the latest one of the user's scope, while it runs and after."""

    class State(models.TextChoices):
        RUNNING = "running", _("Probing")
        FINISHED = "finished", _("Finished")
        FAILED = "failed", _("Stopped")

    region = models.ForeignKey(Region, models.CASCADE, null=True, blank=True)  # the scope; None: the whole registry
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True)
    state = models.CharField(max_length=20, choices=State.choices, default=State.RUNNING)
    codes = models.JSONField(default=list)  # the sites to probe, by code, as filed when it started
    probed = models.PositiveIntegerField(default=0)
    online = models.JSONField(default=list)  # [code, detail] of each one that still answers
    error = models.TextField(blank=True)
    started = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(default=timezone.now)  # the running probe's last sign of life
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started", "-pk"]

    @property
    def total(self) -> int:
        return len(self.codes)


class Leader(models.Model):
    """A leader the office keeps in the wording lexicon (领导姓名与职务): every campaign
    scan checks pages for the name miswritten beside the post. The list is replaced
    whole by an upload (:mod:`govsite.platform.registry.leaders`)."""

    name = models.CharField(_("name"), max_length=8)
    post = models.CharField(_("post"), max_length=40)
    region = models.CharField(_("region"), max_length=40, blank=True)

    class Meta:
        ordering = ["region", "post", "name"]
        verbose_name = _("leader")
        verbose_name_plural = _("leaders")
        constraints = [models.UniqueConstraint(fields=["name", "post", "region"], name="one_leader_per_post")]

    def __str__(self) -> str:
        return f"{self.region} {self.post} {self.name}".strip()
