from django.db import migrations


def seed(apps, schema_editor):
    from guichet.tickets.seed import load

    load(apps)


class Migration(migrations.Migration):
    dependencies = [("tickets", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
