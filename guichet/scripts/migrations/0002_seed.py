"""The five questioning scripts every installation starts with (see scripts/seed.py)."""

from django.db import migrations


def load(apps, schema_editor):
    from guichet.scripts import seed

    seed.load(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("scripts", "0001_initial"),
        ("tickets", "0002_seed"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
