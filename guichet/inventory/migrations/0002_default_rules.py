from django.db import migrations

RULES = ("uuid_serial", "serial", "mac", "name")


def seed(apps, schema_editor):
    Rule = apps.get_model("inventory", "ReconciliationRule")
    for position, criterion in enumerate(RULES, start=1):
        Rule.objects.get_or_create(criterion=criterion, defaults={"position": position * 10})


class Migration(migrations.Migration):
    dependencies = [("inventory", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
