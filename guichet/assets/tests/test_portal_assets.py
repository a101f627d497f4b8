"""The portal's "My equipment": what is assigned to the signed-in requester, read-only."""

import pytest
from django.urls import reverse

from guichet.accounts.tests.factories import make_user
from guichet.assets.tests.factories import make_asset

MINE = "/assets/mine/"


@pytest.fixture
def bobs_things(alice, acme, bob):
    laptop = make_asset(alice, acme, name="BOB-LAPTOP", serial="SN-42", model="ThinkPad T14",
                        manufacturer="Lenovo", warranty_end="2030-06-30", user=bob)  # fmt: skip
    phone = make_asset(alice, acme, name="BOB-PHONE", kind="phone", user=bob)
    return [laptop, phone]


def test_the_page_is_named_mine_in_the_assets_room():
    assert reverse("assets:mine") == MINE


def test_a_requester_sees_their_own_equipment(bob_client, bobs_things, alice, acme):
    make_asset(alice, acme, name="SHARED-PRINTER", kind="printer")

    response = bob_client.get(MINE)

    html = response.content.decode()
    assert response.status_code == 200
    for text in ("BOB-LAPTOP", "BOB-PHONE", "Lenovo ThinkPad T14", "SN-42", "2030-06-30",
                 "Computer", "Phone"):  # fmt: skip
        assert text in html, text
    assert "SHARED-PRINTER" not in html
    assert "<form" not in html.split("<main", 1)[-1].split("</main>", 1)[0]  # read-only


def test_an_outsider_sees_none_of_them(charlie_client, bobs_things, dave, globex, charlie):
    make_asset(dave, globex, name="CHARLIE-PC", user=charlie)

    html = charlie_client.get(MINE).content.decode()

    assert "CHARLIE-PC" in html
    assert "BOB-LAPTOP" not in html and "BOB-PHONE" not in html


def test_an_organisations_manager_sees_only_what_is_theirs_here(alice, acme, bobs_things, client):
    manager = make_user("mona", organisation=acme, is_org_manager=True)
    make_asset(alice, acme, name="MONA-PC", user=manager)
    client.force_login(manager)

    html = client.get(MINE).content.decode()

    assert "MONA-PC" in html and "BOB-LAPTOP" not in html


def test_nothing_assigned_says_so(charlie_client):
    assert "No equipment is assigned to you." in charlie_client.get(MINE).content.decode()


def test_signing_in_is_required(client, bobs_things):
    response = client.get(MINE)

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_portal_home_links_to_it(bob_client):
    assert f'href="{MINE}"' in bob_client.get(reverse("portal:home")).content.decode()


def test_the_page_costs_a_fixed_number_of_queries(
    bob_client, alice, acme, bob, django_assert_max_num_queries
):
    make_asset(alice, acme, name="First", user=bob, manufacturer="Dell")
    with django_assert_max_num_queries(100) as one:
        bob_client.get(MINE)
    for i in range(25):
        make_asset(alice, acme, name=f"Thing {i}", user=bob, manufacturer=f"Maker {i}")

    with django_assert_max_num_queries(len(one.captured_queries)):
        response = bob_client.get(MINE)

    assert response.content.decode().count("<tr>") == 27  # the header and 26 rows
