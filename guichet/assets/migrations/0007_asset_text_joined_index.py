"""PostgreSQL: one trigram index of the name, serial and inventory number joined, instead of
one per column (`assets.text_index`). SQLite keeps its FTS5 table."""

from django.db import migrations


def forward(apps, schema_editor):
    from guichet.assets import text_index

    if schema_editor.connection.vendor == "postgresql":
        text_index.install(schema_editor.connection)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DROP INDEX IF EXISTS asset_text_trgm_idx")
        for column in ("name", "serial", "inventory_number"):
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS asset_{column}_trgm_idx ON assets_asset "  # noqa: S608
                f"USING gin (UPPER({column}) gin_trgm_ops)"
            )


class Migration(migrations.Migration):
    dependencies = [("assets", "0006_event_details")]

    operations = [migrations.RunPython(forward, backward)]
