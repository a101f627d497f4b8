"""The calendars every installation starts with: office hours in metropolitan France, and
around the clock, both valid from the beginning of time."""

from datetime import UTC, datetime

from django.db import migrations

OFFICE = [(8 * 60 + 30, 12 * 60 + 30), (13 * 60 + 30, 18 * 60)]
ALWAYS = datetime(2000, 1, 1, tzinfo=UTC)


def seed(apps, schema_editor):
    Calendar = apps.get_model("sla", "Calendar")
    CalendarVersion = apps.get_model("sla", "CalendarVersion")
    BusinessRange = apps.get_model("sla", "BusinessRange")
    office, created = Calendar.objects.get_or_create(name="Heures ouvrées (France)")
    if created:
        version = CalendarVersion.objects.create(
            calendar=office, valid_from=ALWAYS, time_zone="Europe/Paris", holiday_country="FR"
        )
        BusinessRange.objects.bulk_create(
            BusinessRange(version=version, weekday=day, start_minute=start, end_minute=end)
            for day in range(5)
            for start, end in OFFICE
        )
    always, created = Calendar.objects.get_or_create(name="24/7")
    if created:
        CalendarVersion.objects.create(
            calendar=always, valid_from=ALWAYS, time_zone="Europe/Paris", always_open=True
        )


class Migration(migrations.Migration):
    dependencies = [("sla", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
