"""The calendars every installation starts with: office hours in metropolitan France, and
around the clock."""

from django.db import migrations

OFFICE = [(8 * 60 + 30, 12 * 60 + 30), (13 * 60 + 30, 18 * 60)]


def seed(apps, schema_editor):
    Calendar = apps.get_model("sla", "Calendar")
    BusinessRange = apps.get_model("sla", "BusinessRange")
    office, created = Calendar.objects.get_or_create(
        name="Heures ouvrées (France)",
        defaults={"time_zone": "Europe/Paris", "holiday_country": "FR"},
    )
    if created:
        BusinessRange.objects.bulk_create(
            BusinessRange(calendar=office, weekday=day, start_minute=start, end_minute=end)
            for day in range(5)
            for start, end in OFFICE
        )
    Calendar.objects.get_or_create(
        name="24/7", defaults={"time_zone": "Europe/Paris", "always_open": True}
    )


class Migration(migrations.Migration):
    dependencies = [("sla", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
