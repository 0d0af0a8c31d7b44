"""Each campaign site keeps its findings' counts and its landing URL beside the result, so
that the pages listing many sites never read the result itself (the results stored before
are counted by review migration 0005, which reads their decisions)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0006_heartbeat"),
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
    ]
