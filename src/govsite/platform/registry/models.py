"""Sites (政府网站), their regions (行政区划) and the history of every change."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

SITE_CODE = re.compile(r"^(\d{10}|bm\d{8})$")
DIVISION_CODE = re.compile(r"^\d{6}$")
#: 暂时关停 may last at most 30 days (2017 practice, seed 004).
TEMPORARY_CLOSURE_DAYS = 30


def validate_site_code(value: str) -> None:
    if not SITE_CODE.match(value):
        raise ValidationError(
            "网站标识码应为 10 位数字（地方网站）或 bm 加 8 位数字（国务院部门网站）：%(v)s", params={"v": value}
        )


def validate_division_code(value: str) -> None:
    if not DIVISION_CODE.match(value):
        raise ValidationError("行政区划代码应为 6 位数字：%(v)s", params={"v": value})


class Region(models.Model):
    """An administrative division (GB/T 2260 code): province, city or county."""

    class Level(models.TextChoices):
        PROVINCE = "province", "省级"
        CITY = "city", "市级"
        COUNTY = "county", "县级"

    code = models.CharField("行政区划代码", max_length=6, unique=True, validators=[validate_division_code])
    name = models.CharField("名称", max_length=100)
    level = models.CharField("层级", max_length=10, choices=Level.choices)
    parent = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="children")

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = "行政区划"

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
        STATE_COUNCIL = "state_council", "国务院部门及其内设、垂直管理机构"
        PROVINCIAL_PORTAL = "provincial_portal", "省级政府门户"
        PROVINCIAL_DEPARTMENT = "provincial_department", "省级政府部门"
        CITY_PORTAL = "city_portal", "市级政府门户"
        CITY_DEPARTMENT = "city_department", "市级政府部门"
        COUNTY_PORTAL = "county_portal", "县级政府门户"
        BELOW_COUNTY = "below_county", "县级以下"

    class Kind(models.TextChoices):
        PORTAL = "portal", "门户网站"
        DEPARTMENT = "department", "部门网站"

    class Status(models.TextChoices):
        RUNNING = "running", "运行"
        TEMPORARILY_CLOSED = "temporarily_closed", "暂时关停"
        CLOSURE_REQUESTED = "closure_requested", "申请关停"
        CLOSED = "closed", "已关停"
        MIGRATED = "migrated", "已迁移至集约化平台"

    code = models.CharField("网站标识码", max_length=10, unique=True, validators=[validate_site_code])
    name = models.CharField("网站名称", max_length=200)
    url = models.URLField("首页地址", max_length=500)
    organizer = models.CharField("主办单位", max_length=200)
    supervisor = models.CharField("主管单位", max_length=200)
    region = models.ForeignKey(Region, models.PROTECT, related_name="sites", verbose_name="行政区划")
    level = models.CharField("统计层级", max_length=30, choices=Level.choices)
    kind = models.CharField("网站类型", max_length=20, choices=Kind.choices)
    status = models.CharField("运行状态", max_length=30, choices=Status.choices, default=Status.RUNNING)
    status_since = models.DateField("状态日期", null=True, blank=True)
    head = models.CharField("负责人", max_length=50, blank=True)
    contact = models.CharField("联系人", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=50, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = "政府网站"

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
