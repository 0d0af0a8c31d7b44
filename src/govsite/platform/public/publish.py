"""Publishing to the public section, and withdrawing. Each publication freezes what the
public sees: a bulletin's document and its files (written now, kept as exports), a
ledger's ranked tables, the registry's public columns of the region's sites."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from govsite.platform.bulletins.exports import FORMATS, export
from govsite.platform.bulletins.models import Bulletin
from govsite.platform.ledger import compute
from govsite.platform.ledger.models import Ledger
from govsite.platform.public.models import Publication
from govsite.platform.registry.models import FILE_LABELS, Region, Site

#: The registry's columns the public sees (no contacts, no phone numbers).
REGISTRY_COLUMNS = ["网站标识码", "网站名称", "首页地址", "主办单位", "行政区划", "层级", "类型", "运行状态"]


@transaction.atomic
def publish_bulletin(bulletin: Bulletin, user: Any, use_scan_verdicts: bool = False) -> Publication:
    made = [export(bulletin, fmt, user, use_scan_verdicts) for fmt in FORMATS]
    published = Publication.objects.create(
        kind=Publication.Kind.BULLETIN, title=bulletin.title, region=bulletin.campaign.region,
        content=made[0].export.inputs, bulletin=bulletin, user=user,
    )  # fmt: skip
    published.files.set([m.export for m in made])
    return published


def ledger_tables(ledger: Ledger, use_scan_verdicts: bool = False) -> dict[str, Any]:
    rules = ledger.rules()
    ranked = compute.rows(ledger, use_scan_verdicts)
    return {
        "title": rules.title,
        "tables": [
            {
                "caption": f"（{t.heading}）",
                "columns": ["序号", t.label, f"{rules.period}扣分", "扣分说明"],
                "rows": [
                    [str(i), r.unit.name, compute.signed(r.total), r.explanation(rules.separator)]
                    for i, r in enumerate(ranked[t.id], 1)
                ],
            }
            for t in rules.unit_types
        ],
    }


def publish_ledger(ledger: Ledger, user: Any, use_scan_verdicts: bool = False) -> Publication:
    content = ledger_tables(ledger, use_scan_verdicts)
    return Publication.objects.create(kind=Publication.Kind.LEDGER, title=content["title"], region=ledger.region,
                                      content=content, ledger=ledger, user=user)  # fmt: skip


def registry_rows(region: Region) -> list[list[str]]:
    labels = FILE_LABELS
    sites = Site.objects.filter(region__code__in=region.descendant_codes()).select_related("region").order_by("code")
    return [
        [s.code, s.name, s.url, s.organizer, s.region.name, labels["level"][s.level], labels["kind"][s.kind],
         labels["status"][s.status]]
        for s in sites
    ]  # fmt: skip


def publish_registry(region: Region, user: Any) -> Publication:
    stamp = timezone.localdate()
    return Publication.objects.create(
        kind=Publication.Kind.REGISTRY, title=f"{region.name}政府网站基本信息（{stamp:%Y-%m-%d}）", region=region,
        content={"columns": REGISTRY_COLUMNS, "rows": registry_rows(region)}, user=user,
    )  # fmt: skip


def withdraw(publication: Publication) -> None:
    publication.withdrawn = timezone.now()
    publication.save(update_fields=["withdrawn"])
