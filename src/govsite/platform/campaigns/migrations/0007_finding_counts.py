"""Each campaign site keeps its findings' counts and its landing URL beside the result, so
that the pages listing many sites never read the result itself; existing results are
counted here, with the decisions and manual findings already made on them."""

from typing import Any

from django.db import migrations, models

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
        ("campaigns", "0006_heartbeat"),
        ("review", "0004_resolution_check_name_removed"),
    ]

    operations = [
        migrations.AddField(
            model_name="campaignsite",
            name="counts",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name="campaignsite",
            name="homepage_url",
            field=models.TextField(blank=True),
        ),
        migrations.RunPython(count_existing, migrations.RunPython.noop),
    ]
