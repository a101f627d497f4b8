"""The calendars and the default contract every installation starts with (sla.seed)."""

from django.db import migrations


def seed(apps, schema_editor):
    from guichet.sla.seed import load

    load(apps)


class Migration(migrations.Migration):
    dependencies = [("sla", "0001_initial"), ("tickets", "0002_seed")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
