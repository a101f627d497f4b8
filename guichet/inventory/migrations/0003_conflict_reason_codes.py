"""Conflict reasons and resolutions become codes, worded in the reader's language when shown
(they were stored as text in the language of the request that wrote them)."""

import django.db.models.deletion
from django.db import migrations, models

# Words of the former English and French texts, in the order they are tested.
REASONS = (
    ("agent_machine", ("UUID",)),
    ("several", ("Several", "Plusieurs")),
    ("other_organisation", ("another organisation", "autre organisation")),
    ("mac_serial", ("MAC",)),
)
CRITERIA = (
    ("uuid_serial", ("UUID and serial", "UUID et numéro")),
    ("mac", ("MAC",)),
    ("name", ("Name within", "Nom dans")),
    ("serial", ("Serial number", "Numéro de série")),
)


def _code(text: str, table) -> str:
    return next((code for code, words in table if any(w in text for w in words)), "")


def to_codes(apps, schema_editor):
    Conflict = apps.get_model("inventory", "Conflict")
    for conflict in Conflict.objects.select_related("agent").iterator():
        conflict.reason = _code(conflict.reason_old, REASONS) or "several"
        if conflict.reason == "several":
            conflict.criterion = _code(conflict.reason_old, CRITERIA)
        if conflict.status == "dismissed":
            conflict.resolution = "dismissed"
        elif conflict.status == "resolved":
            created = conflict.resolution_old.startswith("Created") or "créé" in (
                conflict.resolution_old
            )
            conflict.resolution = "created" if created else "attached"
            # A resolution ties the agent to the asset: the best record of which one it was.
            conflict.resolved_asset_id = conflict.agent.asset_id
        conflict.save(update_fields=["reason", "criterion", "resolution", "resolved_asset"])


class Migration(migrations.Migration):
    dependencies = [
        ("assets", "0005_catalogue_event"),
        ("inventory", "0002_default_rules"),
    ]

    operations = [
        migrations.RenameField("conflict", "reason", "reason_old"),
        migrations.RenameField("conflict", "resolution", "resolution_old"),
        migrations.AddField(
            model_name="conflict",
            name="reason",
            field=models.CharField(
                choices=[
                    (
                        "agent_machine",
                        "The agent's machine reports another serial number or UUID than the "
                        "asset it inventoried before.",
                    ),
                    ("several", "Several assets match."),
                    (
                        "other_organisation",
                        "The matching asset belongs to another organisation.",
                    ),
                    (
                        "mac_serial",
                        "The MAC addresses match an asset with another serial number.",
                    ),
                ],
                default="several",
                max_length=30,
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="conflict",
            name="criterion",
            field=models.CharField(
                blank=True,
                choices=[
                    ("uuid_serial", "UUID and serial number"),
                    ("serial", "Serial number"),
                    ("mac", "MAC addresses"),
                    ("name", "Name within the organisation"),
                ],
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="conflict",
            name="resolution",
            field=models.CharField(
                blank=True,
                choices=[
                    ("attached", "Attached to an asset"),
                    ("created", "Asset created"),
                    ("dismissed", "Dismissed"),
                ],
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="conflict",
            name="resolved_asset",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="assets.asset",
            ),
        ),
        migrations.RunPython(to_codes, migrations.RunPython.noop),
        migrations.RemoveField("conflict", "reason_old"),
        migrations.RemoveField("conflict", "resolution_old"),
    ]
