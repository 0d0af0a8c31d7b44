"""Count the results stored before campaigns migration 0007 gave each campaign site its
finding counts and landing URL, with the decisions and manual findings made on them."""

from typing import Any

from django.db import migrations

from govsite.engine import Finding, ScanResult, reviewed
from govsite.platform.campaigns.models import finding_counts


def count_existing(apps: Any, schema_editor: Any) -> None:
    CampaignSite = apps.get_model("campaigns", "CampaignSite")
    Decision = apps.get_model("review", "Decision")
    ManualFinding = apps.get_model("review", "ManualFinding")
    for entry in CampaignSite.objects.exclude(result=None).iterator(chunk_size=200):
        if not entry.result:
            continue
        result = ScanResult.from_data(entry.result)
        decisions = dict(Decision.objects.filter(entry_id=entry.pk).values_list("index", "state"))
        manual = [
            Finding(m.check_id, m.subject, m.url, m.severity, m.message, {"manual": True})
            for m in ManualFinding.objects.filter(entry_id=entry.pk, withdrawn=False).order_by("pk")
        ]
        entry.counts = finding_counts(reviewed(result, decisions, manual))
        entry.homepage_url = result.homepage_url
        entry.save(update_fields=["counts", "homepage_url"])


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0004_resolution_check_name_removed"),
        ("campaigns", "0007_finding_counts"),
    ]

    operations = [
        migrations.RunPython(count_existing, migrations.RunPython.noop),
    ]
