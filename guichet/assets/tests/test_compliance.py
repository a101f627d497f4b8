"""Licence compliance: installs against the seats of the licences valid today."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guichet.assets import actions
from guichet.assets.compliance import (
    COMPLIANT,
    OVER,
    UNDER,
    UNLIMITED,
    compliance,
    installed_counts,
    unlicensed_software,
)
from guichet.assets.models import Installation, Product
from guichet.assets.tests import factories
from guichet.assets.tests.factories import make_asset, make_product, make_version

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 2)


def install(asset, product, version: str = "1.0") -> Installation:
    return factories.install(asset, make_version(product, version))


def machines(actor, organisation, count: int, product=None, prefix: str = "PC", **fields):
    found = []
    for i in range(count):
        asset = make_asset(actor, organisation, name=f"{prefix}-{i}", **fields)
        if product is not None:
            install(asset, product)
        found.append(asset)
    return found


def licence(actor, organisation, product, kind: str = "per_device", seats: int | None = 2,
            **fields):  # fmt: skip
    return actions.create_licence(actor=actor, organisation=organisation, product=product,
                                  name=f"{product.name} {kind}", kind=kind, seats=seats,
                                  **fields)  # fmt: skip


def only_row(user, **kwargs):
    rows = compliance(user, today=TODAY, **kwargs)
    assert len(rows) == 1
    return rows[0]


def test_per_device_seats_are_compared_with_the_machines_it_is_installed_on(alice, acme):
    office = make_product("Office", "Microsoft")
    machines(alice, acme, 3, office)
    licence(alice, acme, office, seats=2)
    row = only_row(alice)
    assert (row.product, row.organisation, row.installed, row.entitled) == ("Office", "Acme", 3, 2)
    assert (row.difference, row.status) == (-1, UNDER)


def test_more_seats_than_installs_is_over_licensed_and_equal_is_compliant(alice, acme):
    office = make_product("Office", "Microsoft")
    machines(alice, acme, 2, office)
    first = licence(alice, acme, office, seats=3)
    assert only_row(alice).status == OVER
    actions.update_licence(licence=first, actor=alice, seats=2)
    assert only_row(alice).status == COMPLIANT
    assert only_row(alice).difference == 0


def test_several_versions_on_one_machine_count_once(alice, acme):
    office = make_product("Office", "Microsoft")
    (pc,) = machines(alice, acme, 1, office)
    install(pc, office, "2.0")
    licence(alice, acme, office, seats=1)
    assert only_row(alice).installed == 1


def test_a_site_licence_has_no_limit(alice, acme):
    office = make_product("Office", "Microsoft")
    machines(alice, acme, 5, office)
    licence(alice, acme, office, seats=1)
    licence(alice, acme, office, kind="site", seats=None)
    row = only_row(alice)
    assert (row.entitled, row.difference, row.status, row.licences) == (None, None, UNLIMITED, 2)


def test_expired_and_future_licences_are_not_counted(alice, acme):
    office = make_product("Office", "Microsoft")
    machines(alice, acme, 2, office)
    licence(alice, acme, office, seats=5, valid_until=TODAY - timedelta(days=1))
    licence(alice, acme, office, seats=5, valid_from=TODAY + timedelta(days=1))
    licence(alice, acme, office, seats=1, valid_from=TODAY, valid_until=TODAY)
    row = only_row(alice)
    assert (row.entitled, row.licences, row.status) == (1, 1, UNDER)


def test_an_expired_licence_still_keeps_the_product_out_of_the_unlicensed(alice, acme):
    office = make_product("Office", "Microsoft")
    machines(alice, acme, 2, office)
    licence(alice, acme, office, seats=5, valid_until=TODAY - timedelta(days=1))
    assert only_row(alice).entitled == 0
    assert unlicensed_software(alice) == []


def test_another_organisations_licence_is_not_counted(alice, root, acme, globex):
    office = make_product("Office", "Microsoft")
    machines(root, acme, 2, office)
    licence(root, globex, office, seats=10)
    rows = compliance(root, today=TODAY)
    assert [(r.organisation, r.installed, r.entitled) for r in rows] == [("Globex", 0, 10)]
    missing = unlicensed_software(root)
    assert [(r.product, r.organisation, r.installed) for r in missing] == [("Office", "Acme", 2)]
    assert compliance(alice, today=TODAY) == []


def test_retired_and_disposed_machines_are_not_counted(alice, acme):
    office = make_product("Office", "Microsoft")
    first, second, _third = machines(alice, acme, 3, office)
    licence(alice, acme, office, seats=1)
    actions.update_asset(asset=first, actor=alice, state="retired")
    actions.update_asset(asset=second, actor=alice, state="disposed")
    assert only_row(alice).installed == 1
    assert installed_counts(alice) == {(office.pk, acme.pk): 1}


def test_machines_in_stock_or_in_repair_still_count(alice, acme):
    office = make_product("Office", "Microsoft")
    first, second = machines(alice, acme, 2, office)
    licence(alice, acme, office, seats=2)
    actions.update_asset(asset=first, actor=alice, state="in_stock")
    actions.update_asset(asset=second, actor=alice, state="in_repair")
    assert only_row(alice).installed == 2


def test_a_per_user_seat_covers_the_machines_of_its_holder(alice, acme, bob):
    office = make_product("Office", "Microsoft")
    machines(alice, acme, 2, office, prefix="BOB", user=bob)
    machines(alice, acme, 1, None, prefix="BOB-SPARE", user=bob)  # without the product
    machines(alice, acme, 2, office, prefix="OTHER")
    seats = licence(alice, acme, office, kind="per_user", seats=3)
    actions.assign_licence(licence=seats, actor=alice, user=bob)
    row = only_row(alice)
    # bob's seat covers his two machines with the product; the two free seats one each.
    assert (row.installed, row.entitled, row.status) == (4, 4, COMPLIANT)


def test_a_per_user_seat_counts_one_machine_even_when_its_holder_has_none(alice, acme, bob):
    office = make_product("Office", "Microsoft")
    machines(alice, acme, 3, office)
    seats = licence(alice, acme, office, kind="per_user", seats=2)
    actions.assign_licence(licence=seats, actor=alice, user=bob)
    assert only_row(alice).entitled == 2


def test_unlicensed_software_leaves_out_hidden_and_licensed_products(alice, acme):
    office, runtime, viewer = (make_product(n, "P") for n in ("Office", "Runtime", "Viewer"))
    Product.objects.filter(pk=runtime.pk).update(hidden=True)
    machines(alice, acme, 2, office, prefix="A")
    for pc in machines(alice, acme, 3, viewer, prefix="B"):
        install(pc, runtime)
    licence(alice, acme, office)
    missing = unlicensed_software(alice)
    assert [(r.product, r.publisher, r.installed) for r in missing] == [("Viewer", "P", 3)]


def test_the_figures_keep_to_the_organisations_the_reader_serves(alice, dave, charlie, acme):
    office = make_product("Office", "Microsoft")
    machines(alice, acme, 2, office)
    licence(alice, acme, office)
    for outsider in (dave, charlie):
        assert compliance(outsider, today=TODAY) == []
        assert unlicensed_software(outsider) == []
        assert installed_counts(outsider) == {}


def test_an_organisation_managers_figures_are_their_organisations(alice, bob, acme):
    office = make_product("Office", "Microsoft")
    machines(alice, acme, 2, office)
    licence(alice, acme, office, seats=1)
    assert compliance(bob, today=TODAY) == []  # a plain requester sees none
    bob.is_org_manager = True
    bob.save(update_fields=["is_org_manager"])
    assert only_row(bob).installed == 2


def test_the_organisation_and_product_filters_narrow_the_rows(root, acme, globex):
    office, viewer = make_product("Office", "P"), make_product("Viewer", "P")
    machines(root, acme, 1, office, prefix="A")
    machines(root, globex, 1, viewer, prefix="G")
    licence(root, acme, office)
    licence(root, globex, viewer)
    assert [r.product for r in compliance(root, today=TODAY)] == ["Office", "Viewer"]
    assert [r.organisation for r in compliance(root, organisation=globex, today=TODAY)] == [
        "Globex"
    ]
    assert [r.product for r in compliance(root, products=[viewer], today=TODAY)] == ["Viewer"]


def _licensed_products(alice, acme, bob, fleet, start: int, count: int) -> None:
    for i in range(start, start + count):
        product = make_product(f"Product {i}", "P")
        for pc in fleet[: i % 4 + 1]:
            install(pc, product)
        kind = ("per_device", "per_user", "site", "subscription")[i % 4]
        seats = licence(alice, acme, product, kind=kind, seats=None if kind == "site" else 2)
        if kind == "per_user":
            actions.assign_licence(licence=seats, actor=alice, user=bob)


def test_the_number_of_queries_does_not_grow_with_the_products(
    alice, acme, bob, django_assert_max_num_queries
):
    fleet = machines(alice, acme, 4, None, user=bob)
    _licensed_products(alice, acme, bob, fleet, 0, 4)
    with CaptureQueriesContext(connection) as few:
        assert len(compliance(alice, today=TODAY)) == 4
        unlicensed_software(alice)
    _licensed_products(alice, acme, bob, fleet, 4, 16)
    # Outside a request, every read of the cached reference data checks its revision too.
    with django_assert_max_num_queries(len(few)):
        assert len(compliance(alice, today=TODAY)) == 20
        unlicensed_software(alice)
