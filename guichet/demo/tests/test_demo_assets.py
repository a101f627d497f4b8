import io

import pytest
from django.core.management import call_command

from guichet.accounts.models import User
from guichet.assets.compliance import compliance
from guichet.assets.models import Asset, AssetEvent, Installation, Licence, TicketAsset
from guichet.inventory.models import Agent, Conflict, InventoryKey

pytestmark = pytest.mark.django_db


def demo(**options) -> None:
    call_command("demo", stdout=io.StringIO(), **options)


def test_the_demo_fleet_is_inventoried_licensed_and_linked_to_tickets():
    demo(tickets=120)
    computers = Asset.objects.filter(kind="computer")
    assert computers.count() >= 40
    assert set(Asset.objects.values_list("kind", flat=True)) >= {
        "computer", "monitor", "printer", "network", "phone"}  # fmt: skip
    assert Installation.objects.count() > 10 * computers.count()
    assert Agent.objects.filter(asset__isnull=False).count() >= 40
    assert InventoryKey.objects.count() == 3
    assert Conflict.objects.filter(status="open").count() == 1
    assert AssetEvent.objects.filter(flagged=True, kind="component_removed").exists()
    assert Licence.objects.exclude(key_encrypted="").exists()
    assert TicketAsset.objects.exists()
    supervisor = User.objects.get(username="superviseur")
    assert any(row.installed > row.entitled for row in compliance(supervisor)
               if row.entitled is not None)  # fmt: skip


def test_a_second_run_leaves_the_fleet_alone():
    demo(tickets=20)
    assets = Asset.objects.count()
    demo()
    assert Asset.objects.count() == assets
