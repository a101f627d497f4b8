"""Conflicts kept before reasons became codes: their English or French texts are read back
as codes, so they are worded in each reader's language from then on."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

# Back to the inventory's migration before, and forward to every app's latest again: the
# tests after this one need the whole schema.
BEFORE = [("inventory", "0002_default_rules")]


@pytest.mark.django_db(transaction=True)
def test_former_texts_become_codes():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Agent, Conflict = old.get_model("inventory", "Agent"), old.get_model("inventory", "Conflict")
    now = timezone.now()
    rows = {
        "Plusieurs équipements correspondent par le critère « Adresses MAC ».": "",
        "Several assets match by Serial number.": "",
        "L’équipement correspondant appartient à une autre organisation.": "Écarté.",
        "The agent's machine reports another serial number or UUID than the asset it "
        "inventoried before.": "",
    }
    for number, (reason, resolution) in enumerate(rows.items()):
        agent = Agent.objects.create(device_id=f"pc-{number}", protocol="glpi",
                                     first_contact_at=now, last_contact_at=now)  # fmt: skip
        Conflict.objects.create(agent=agent, reason=reason, resolution=resolution, document={},
                                status="dismissed" if resolution else "open",
                                created_at=now)  # fmt: skip
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(latest)
    new = executor.loader.project_state(latest).apps.get_model("inventory", "Conflict")
    got = list(new.objects.order_by("agent__device_id").values_list("reason", "criterion",
                                                                    "resolution"))  # fmt: skip
    assert got == [
        ("several", "mac", ""),
        ("several", "serial", ""),
        ("other_organisation", "", "dismissed"),
        ("agent_machine", "", ""),
    ]
