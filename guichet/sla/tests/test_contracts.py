"""Contracts: the default one, a client's own over a period, their targets, and the errors bad
ones get."""

from datetime import date
from decimal import Decimal

import pytest

from guichet.lib.errors import Forbidden, InvalidInput
from guichet.sla.actions import TargetIn, save_contract
from guichet.sla.choices import ReopenRule, TargetKind
from guichet.sla.contracts import contract_for, terms
from guichet.sla.models import Calendar, Contract
from guichet.tickets.models import PendingReason

pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    return Calendar.objects.get(name="Heures ouvrées (France)")


def gold(root, acme, office, **changes):
    values = {
        "actor": root,
        "name": "Acme Gold",
        "organisation": acme,
        "calendar": office,
        "starts_on": date(2026, 1, 1),
        "ends_on": date(2026, 12, 31),
        "reopen_rule": ReopenRule.RESTART,
        "pausing_reasons": PendingReason.objects.filter(code="customer"),
        "targets": [TargetIn(TargetKind.RESOLVE, 4, 240), TargetIn(TargetKind.OWN, 4, 15)],
        "flat_fee": Decimal("90.00"),
        **changes,
    }
    return save_contract(**values)


def test_every_installation_has_a_default_contract_with_targets():
    default = Contract.objects.get(is_default=True)
    found = terms(default.pk)
    assert found.target_seconds(TargetKind.RESOLVE, 3) == 24 * 3600
    assert found.target_seconds(TargetKind.OWN, 6) == 15 * 60
    assert PendingReason.objects.get(code="customer").pk in found.pausing_reasons
    assert contract_for(None, date(2026, 6, 1)) == default.pk


def test_a_client_is_covered_by_its_contract_during_its_period_only(root, acme, globex, office):
    contract = gold(root, acme, office)
    default = Contract.objects.get(is_default=True).pk
    assert contract_for(acme.pk, date(2026, 6, 1)) == contract.pk
    assert contract_for(acme.pk, date(2027, 1, 1)) == default
    assert contract_for(globex.pk, date(2026, 6, 1)) == default
    found = terms(contract.pk)
    assert found.reopen_rule == ReopenRule.RESTART
    assert found.minutes == {(TargetKind.RESOLVE, 4): 240, (TargetKind.OWN, 4): 15}


def test_changed_targets_are_read_again(root, acme, office):
    contract = gold(root, acme, office)
    gold(root, acme, office, contract=contract, targets=[TargetIn(TargetKind.RESOLVE, 4, 60)])
    assert terms(contract.pk).target_seconds(TargetKind.RESOLVE, 4) == 3600


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "  "}, "name"),
        ({"name": "Contrat par défaut"}, "name"),
        ({"calendar": None}, "calendar"),
        ({"starts_on": None}, "starts_on"),
        ({"ends_on": date(2025, 1, 1)}, "ends_on"),
        ({"reopen_rule": "sometimes"}, "reopen_rule"),
        ({"targets": [TargetIn(TargetKind.RESOLVE, 4, 0)]}, "targets"),
        ({"targets": [TargetIn("coffee", 4, 10)]}, "targets"),
        ({"targets": [TargetIn(TargetKind.OWN, 7, 10)]}, "targets"),
        (
            {"targets": [TargetIn(TargetKind.OWN, 3, 10), TargetIn(TargetKind.OWN, 3, 20)]},
            "targets",
        ),
        ({"flat_fee": Decimal("-1")}, "flat_fee"),
    ],
)
def test_bad_contracts_are_refused_with_the_field_named(root, acme, office, changes, field):
    with pytest.raises(InvalidInput) as caught:
        gold(root, acme, office, **changes)
    assert field in caught.value.errors
    assert not Contract.objects.filter(organisation=acme).exists()


def test_two_contracts_of_a_client_cannot_overlap(root, acme, office):
    gold(root, acme, office)
    with pytest.raises(InvalidInput) as caught:
        gold(root, acme, office, name="Acme Silver", starts_on=date(2026, 12, 1), ends_on=None)
    assert "starts_on" in caught.value.errors
    gold(root, acme, office, name="Acme 2027", starts_on=date(2027, 1, 1), ends_on=None)


def test_only_administrators_change_contracts(alice, sam, acme, office):
    for person in (alice, sam):
        with pytest.raises(Forbidden):
            gold(person, acme, office)
