"""The trigram index of the assets' name, serial and inventory number (`assets.text_index`)."""

from django.db import migrations


def install(apps, schema_editor):
    from guichet.assets import text_index

    text_index.install(schema_editor.connection)


def uninstall(apps, schema_editor):
    from guichet.assets import text_index

    text_index.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("assets", "0003_product_usage")]

    operations = [migrations.RunPython(install, uninstall)]
