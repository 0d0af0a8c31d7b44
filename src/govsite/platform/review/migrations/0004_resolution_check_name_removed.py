"""Resolutions by check id only: the entry-name column goes (its data moved in 0003), and
the manual findings' check ids follow the registry's order."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0003_resolutions_by_check_id"),
    ]

    operations = [
        migrations.RemoveField(model_name="resolution", name="check_name"),
        migrations.AddConstraint(
            model_name="resolution",
            constraint=models.UniqueConstraint(fields=("entry", "check_id"), name="one_resolution_per_check_id"),
        ),
        migrations.AlterField(  # the check ids now come from the registry, in its order
            model_name="manualfinding",
            name="check_id",
            field=models.CharField(
                choices=[
                    ("availability.homepage_down", "availability.homepage_down"),
                    ("update.homepage_stale", "update.homepage_stale"),
                    ("update.column_stale", "update.column_stale"),
                    ("update.column_blank", "update.column_blank"),
                    ("links.broken", "links.broken"),
                    ("identity.conac_missing", "identity.conac_missing"),
                    ("identity.site_code_missing", "identity.site_code_missing"),
                    ("identity.icp_missing", "identity.icp_missing"),
                    ("identity.psb_missing", "identity.psb_missing"),
                    ("identity.error_report_entry_missing", "identity.error_report_entry_missing"),
                    ("domain.nonconforming", "domain.nonconforming"),
                    ("search.missing", "search.missing"),
                    ("search.broken", "search.broken"),
                    ("interaction.channel_missing", "interaction.channel_missing"),
                    ("interaction.unanswered", "interaction.unanswered"),
                    ("service.missing", "service.missing"),
                    ("service.guide_incomplete", "service.guide_incomplete"),
                    ("interpretation.missing", "interpretation.missing"),
                    ("annual_report.missing", "annual_report.missing"),
                    ("wording.serious_error", "wording.serious_error"),
                    ("content.republished", "content.republished"),
                    ("content.forged_date", "content.forged_date"),
                ],
                max_length=60,
            ),
        ),
    ]
