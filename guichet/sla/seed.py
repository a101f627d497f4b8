"""What every installation starts with (loaded by a data migration, editable later): office
hours in metropolitan France, around the clock, and a default contract on office hours."""

from datetime import UTC, date, datetime

OFFICE_HOURS = [(8 * 60 + 30, 12 * 60 + 30), (13 * 60 + 30, 18 * 60)]
BEGINNING = datetime(2000, 1, 1, tzinfo=UTC)
OFFICE = "Heures ouvrées (France)"
ALWAYS = "24/7"
DEFAULT_CONTRACT = "Contrat par défaut"
# Business minutes per priority (6 is "major"): time to own, time to resolve, time between
# updates. A usual service desk promise; every contract sets its own.
DEFAULT_TARGETS = {
    6: (15, 4 * 60, 60),
    5: (30, 8 * 60, 2 * 60),
    4: (60, 16 * 60, 4 * 60),
    3: (2 * 60, 24 * 60, 8 * 60),
    2: (4 * 60, 40 * 60, 16 * 60),
    1: (8 * 60, 80 * 60, 24 * 60),
}
# Waiting on the client, a supplier, a part or an agreed date does not count against us.
PAUSING_REASONS = ("customer", "supplier", "part", "planned")


def load(apps) -> None:
    calendar_model = apps.get_model("sla", "Calendar")
    version_model = apps.get_model("sla", "CalendarVersion")
    range_model = apps.get_model("sla", "BusinessRange")
    office, created = calendar_model.objects.get_or_create(name=OFFICE)
    if created:
        version = version_model.objects.create(
            calendar=office, valid_from=BEGINNING, time_zone="Europe/Paris", holiday_country="FR"
        )
        range_model.objects.bulk_create(
            range_model(version=version, weekday=day, start_minute=start, end_minute=end)
            for day in range(5)
            for start, end in OFFICE_HOURS
        )
    always, created = calendar_model.objects.get_or_create(name=ALWAYS)
    if created:
        version_model.objects.create(
            calendar=always, valid_from=BEGINNING, time_zone="Europe/Paris", always_open=True
        )
    contract_model = apps.get_model("sla", "Contract")
    if contract_model.objects.filter(is_default=True).exists():
        return
    contract = contract_model.objects.create(
        name=DEFAULT_CONTRACT, is_default=True, starts_on=date(2000, 1, 1), calendar=office
    )
    target_model = apps.get_model("sla", "Target")
    target_model.objects.bulk_create(
        target_model(contract=contract, kind=kind, priority=priority, minutes=minutes)
        for priority, times in DEFAULT_TARGETS.items()
        for kind, minutes in zip(("own", "resolve", "next_response"), times, strict=True)
    )
    reasons = apps.get_model("tickets", "PendingReason").objects.filter(code__in=PAUSING_REASONS)
    contract.pausing_reasons.set(reasons)
