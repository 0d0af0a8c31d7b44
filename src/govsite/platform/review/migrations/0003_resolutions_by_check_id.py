"""Resolutions are kept by check id, not by the registry's entry name: a resolution of an
entry becomes one per check id of that entry, as the scan result stored with it lists
them (so a later renaming of the entry changes nothing). The old column goes in 0004:
PostgreSQL alters no table with rows this transaction wrote."""

from typing import Any

from django.db import migrations, models


def _runs(entry: Any) -> list[dict[str, Any]]:
    return list((entry.result or {}).get("checks", []))


def by_check_id(apps: Any, schema_editor: Any) -> None:
    Resolution = apps.get_model("review", "Resolution")
    for resolution in Resolution.objects.select_related("entry").order_by("pk"):
        run = next((r for r in _runs(resolution.entry) if r.get("name") == resolution.check_name), None)
        ids = list(run["ids"]) if run and run.get("ids") else [resolution.check_name]  # nothing is dropped
        resolution.check_id = ids[0]
        resolution.save(update_fields=["check_id"])
        for check_id in ids[1:]:
            Resolution.objects.create(entry=resolution.entry, check_name=resolution.check_name, check_id=check_id,
                                      reason=resolution.reason, user=resolution.user, when=resolution.when)  # fmt: skip


def by_check_name(apps: Any, schema_editor: Any) -> None:
    Resolution = apps.get_model("review", "Resolution")
    kept: set[tuple[int, str]] = set()
    for resolution in Resolution.objects.select_related("entry").order_by("pk"):
        run = next((r for r in _runs(resolution.entry) if resolution.check_id in r.get("ids", [])), None)
        name = run["name"] if run else resolution.check_id
        if (resolution.entry_id, name) in kept:
            resolution.delete()
            continue
        kept.add((resolution.entry_id, name))
        resolution.check_name = name
        resolution.save(update_fields=["check_name"])


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0002_translatable_labels"),
    ]

    operations = [
        migrations.AddField(
            model_name="resolution",
            name="check_id",
            field=models.CharField(default="", max_length=60),
            preserve_default=False,
        ),
        migrations.RemoveConstraint(model_name="resolution", name="one_resolution_per_check"),
        migrations.RunPython(by_check_id, by_check_name),
    ]
