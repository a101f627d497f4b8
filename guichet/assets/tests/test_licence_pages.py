"""Licence screens through HTTP: each organisation's licences stay its own, the key is shown
to supervisors and administrators only and on request, seats are given and freed."""

import pytest
from django.urls import reverse

from guichet.assets import actions
from guichet.assets.models import Licence, LicenceAssignment
from guichet.assets.tests.factories import make_asset, make_product

pytestmark = pytest.mark.django_db

KEY = "QX7R2-SECRET-KEY42"


@pytest.fixture
def product():
    return make_product("Office", "Microsoft")


@pytest.fixture
def licence(sam, acme, product):
    return actions.create_licence(
        actor=sam,
        product=product,
        organisation=acme,
        name="Acme Office",
        kind="per_device",
        seats=2,
        key=KEY,
    )


@pytest.fixture
def machine(alice, acme):
    return make_asset(alice, acme, name="ACME-PC-7", inventory_number="INV-007")


def _pages(licence) -> list[str]:
    return [
        reverse("assets:licence", args=[licence.pk]),
        reverse("assets:licence-edit", args=[licence.pk]),
    ]


def _posts(licence, seat) -> list[str]:
    return [
        reverse("assets:licence-edit", args=[licence.pk]),
        reverse("assets:licence-key", args=[licence.pk]),
        reverse("assets:licence-assign", args=[licence.pk]),
        reverse("assets:licence-unassign", args=[licence.pk, seat.pk]),
    ]


@pytest.mark.parametrize("who", ["alice", "sam", "root"])
def test_staff_of_the_organisation_open_the_licence_pages(request, client, who, licence):
    client.force_login(request.getfixturevalue(who))
    for url in [reverse("assets:licences"), reverse("assets:licence-new"), *_pages(licence)]:
        assert client.get(url).status_code == 200, url


def test_an_outsider_technician_gets_a_404_and_an_empty_list(dave_client, alice, licence, machine):
    seat = actions.assign_licence(licence=licence, actor=alice, asset=machine)
    for url in _pages(licence):
        assert dave_client.get(url).status_code == 404, url
    for url in _posts(licence, seat):
        assert dave_client.post(url, {"name": "Taken", "asset": "INV-007"}).status_code == 404
    listing = dave_client.get(reverse("assets:licences"))
    assert listing.context["page"].items == []
    assert "Acme Office" not in listing.content.decode()
    assert LicenceAssignment.objects.filter(pk=seat.pk).exists()
    assert Licence.objects.get(pk=licence.pk).name == "Acme Office"


@pytest.mark.parametrize("who", ["bob_client", "charlie_client"])
def test_requesters_never_reach_the_licence_pages(request, who, alice, licence, machine):
    client = request.getfixturevalue(who)
    seat = actions.assign_licence(licence=licence, actor=alice, asset=machine)
    for url in [reverse("assets:licences"), reverse("assets:licence-new"), *_pages(licence)]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == reverse("portal:home")
    for url in [reverse("assets:licence-new"), *_posts(licence, seat)]:
        response = client.post(url, {"name": "Taken"})
        assert response.status_code == 404, url
        assert KEY not in response.content.decode()
    assert LicenceAssignment.objects.filter(pk=seat.pk).exists()


def test_the_list_shows_seats_used_of_seats_bought(alice_client, alice, licence, machine):
    actions.assign_licence(licence=licence, actor=alice, asset=machine)
    response = alice_client.get(reverse("assets:licences"))
    (row,) = response.context["page"].items
    assert (row.seats_used, row.seats_free) == (1, 1)
    assert "1 / 2" in response.content.decode()


def test_the_list_filters_by_organisation_and_type(client, root, acme, globex, product, licence):
    actions.create_licence(actor=root, product=product, organisation=globex, name="Globex site",
                           kind="site")  # fmt: skip
    client.force_login(root)
    by_org = client.get(reverse("assets:licences"), {"organisation": globex.pk})
    assert [lic.name for lic in by_org.context["page"].items] == ["Globex site"]
    by_kind = client.get(reverse("assets:licences"), {"kind": "per_device"})
    assert [lic.name for lic in by_kind.context["page"].items] == ["Acme Office"]


def test_a_technician_creates_a_licence_without_a_key_field(alice_client, acme, product):
    form_page = alice_client.get(reverse("assets:licence-new")).content.decode()
    assert 'name="key"' not in form_page
    response = alice_client.post(reverse("assets:licence-new"), {
        "name": "LO site", "product": product.pk, "organisation": acme.pk, "kind": "site",
    })  # fmt: skip
    created = Licence.objects.get(name="LO site")
    assert response["Location"] == reverse("assets:licence", args=[created.pk])
    assert created.key_encrypted == ""


def test_the_form_shows_the_actions_refusals_next_to_their_fields(alice_client, acme, product):
    response = alice_client.post(reverse("assets:licence-new"), {
        "name": "No seats", "product": product.pk, "organisation": acme.pk, "kind": "per_user",
    })  # fmt: skip
    assert response.status_code == 400
    assert 'aria-describedby="id_seats_helptext id_seats_error"' in response.content.decode()
    assert not Licence.objects.filter(name="No seats").exists()


def test_a_technician_cannot_create_a_licence_for_an_organisation_they_do_not_serve(
    alice_client, globex, product
):
    response = alice_client.post(reverse("assets:licence-new"), {
        "name": "Globex", "product": product.pk, "organisation": globex.pk, "kind": "site",
    })  # fmt: skip
    assert response.status_code == 400
    assert not Licence.objects.filter(name="Globex").exists()


def test_a_supervisor_edits_and_keeps_or_clears_the_key(client, sam, licence):
    client.force_login(sam)
    url = reverse("assets:licence-edit", args=[licence.pk])
    values = {
        "name": "Acme Office 2024",
        "product": licence.product_id,
        "organisation": licence.organisation_id,
        "kind": "per_device",
        "seats": 3,
    }
    assert client.post(url, values).status_code == 302
    kept = Licence.objects.get(pk=licence.pk)
    assert (kept.name, kept.seats) == ("Acme Office 2024", 3)
    assert actions.read_key(licence=kept, actor=sam) == KEY
    client.post(url, {**values, "clear_key": "on"})
    assert Licence.objects.get(pk=licence.pk).key_encrypted == ""


@pytest.mark.parametrize("who", ["sam", "root"])
def test_supervisors_and_administrators_reveal_the_key_on_request(request, client, who, licence):
    client.force_login(request.getfixturevalue(who))
    page = client.get(reverse("assets:licence", args=[licence.pk])).content.decode()
    assert KEY not in page
    assert reverse("assets:licence-key", args=[licence.pk]) in page
    response = client.post(reverse("assets:licence-key", args=[licence.pk]))
    assert response.status_code == 200 and KEY in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    fragment = client.post(reverse("assets:licence-key", args=[licence.pk]), HTTP_HX_REQUEST="true")
    assert KEY in fragment.content.decode() and "<html" not in fragment.content.decode()


def test_a_technician_never_sees_the_key_nor_the_button(alice_client, licence):
    page = alice_client.get(reverse("assets:licence", args=[licence.pk])).content.decode()
    assert reverse("assets:licence-key", args=[licence.pk]) not in page
    assert "Show key" not in page
    response = alice_client.post(reverse("assets:licence-key", args=[licence.pk]))
    assert response.status_code == 403
    assert KEY not in response.content.decode()


def test_seats_go_to_a_machine_by_its_number_and_to_a_person(
    alice_client, alice, bob, licence, machine
):
    url = reverse("assets:licence-assign", args=[licence.pk])
    assert alice_client.post(url, {"asset": "INV-007"}).status_code == 302
    assert alice_client.post(url, {"user": bob.pk}).status_code == 302
    seats = LicenceAssignment.objects.filter(licence=licence)
    assert {(s.asset_id, s.user_id) for s in seats} == {(machine.pk, None), (None, bob.pk)}
    page = alice_client.get(reverse("assets:licence", args=[licence.pk])).content.decode()
    assert "ACME-PC-7" in page and bob.display_name in page


def test_a_full_licence_refuses_another_seat(alice_client, alice, acme, bob, licence, machine):
    actions.assign_licence(licence=licence, actor=alice, asset=machine)
    actions.assign_licence(licence=licence, actor=alice, user=bob)
    make_asset(alice, acme, name="ACME-PC-8")
    response = alice_client.post(reverse("assets:licence-assign", args=[licence.pk]),
                                 {"asset": "ACME-PC-8"})  # fmt: skip
    assert response.status_code == 409
    assert "Every seat of this licence is taken." in response.content.decode()
    assert licence.assignments.count() == 2


def test_a_machine_of_another_organisation_cannot_take_a_seat(
    alice_client, dave, globex, licence, charlie
):
    make_asset(dave, globex, name="GLOBEX-PC-1")
    url = reverse("assets:licence-assign", args=[licence.pk])
    response = alice_client.post(url, {"asset": "GLOBEX-PC-1"})
    assert response.status_code == 400
    assert "No machine of this organisation" in response.content.decode()
    assert alice_client.post(url, {"user": charlie.pk}).status_code == 400
    assert not licence.assignments.exists()


def test_a_seat_is_freed(alice_client, alice, licence, machine):
    seat = actions.assign_licence(licence=licence, actor=alice, asset=machine)
    url = reverse("assets:licence-unassign", args=[licence.pk, seat.pk])
    assert alice_client.post(url).status_code == 302
    assert not LicenceAssignment.objects.filter(pk=seat.pk).exists()
    assert alice_client.post(url).status_code == 404


def test_the_licence_list_costs_the_same_queries_for_many_licences(
    alice, acme, alice_client, product, django_assert_max_num_queries
):
    machine = make_asset(alice, acme)
    for n in range(60):
        licence = actions.create_licence(
            actor=alice,
            product=product,
            organisation=acme,
            name=f"Licence {n:02d}",
            kind="per_device",
            seats=5,
        )
        actions.assign_licence(licence=licence, actor=alice, asset=machine)
    with django_assert_max_num_queries(8):
        response = alice_client.get(reverse("assets:licences"))
    rows = response.context["page"].items
    assert len(rows) == 50 and {r.seats_used for r in rows} == {1}


def test_the_licence_page_costs_the_same_queries_for_many_seats(
    alice, acme, alice_client, product, django_assert_max_num_queries
):
    licence = actions.create_licence(actor=alice, product=product, organisation=acme,
                                     name="Site", kind="site")  # fmt: skip
    for n in range(40):
        machine = make_asset(alice, acme, name=f"PC-{n:02d}")
        actions.assign_licence(licence=licence, actor=alice, asset=machine)
    with django_assert_max_num_queries(9):
        response = alice_client.get(reverse("assets:licence", args=[licence.pk]))
    assert len(response.context["assignments"]) == 40
