"""Administrators edit the priority matrix and the category tree; nobody else can."""

import pytest
from django.test import Client

from guichet.tickets import actions
from guichet.tickets.models import Category, PriorityRule
from guichet.tickets.tests.factories import make_ticket


@pytest.fixture
def root_client(root):
    client = Client()
    client.force_login(root)
    return client


def matrix_post(**overrides):
    data = {
        f"u{u}_i{i}": str(PriorityRule.objects.get(urgency=u, impact=i).priority)
        for u in range(1, 6)
        for i in range(1, 6)
    }
    data.update(overrides)
    return data


def test_admin_changes_a_cell_and_new_tickets_follow_it(root_client, bob):
    response = root_client.post("/configuration/priority-matrix/", matrix_post(u3_i3="5"))
    assert response.status_code == 302
    assert PriorityRule.objects.get(urgency=3, impact=3).priority == 5
    assert make_ticket(bob).priority == 5


def test_a_bad_cell_is_refused_and_nothing_changes(root_client):
    response = root_client.post(
        "/configuration/priority-matrix/", matrix_post(u1_i1="3", u2_i2="9")
    )
    assert response.status_code == 400
    assert PriorityRule.objects.get(urgency=1, impact=1).priority == 1
    response = root_client.post("/configuration/priority-matrix/", matrix_post(u2_i2="x"))
    assert response.status_code == 400


@pytest.mark.parametrize("who", ["alice_client", "bob_client", "charlie_client", "dave_client"])
def test_non_admins_do_not_see_configuration(request, who):
    client = request.getfixturevalue(who)
    assert client.get("/configuration/priority-matrix/").status_code == 404
    assert client.post("/configuration/categories/", {"name_fr": "X"}).status_code == 404
    assert client.get("/admin/").status_code == 302  # to the admin login, which refuses them


def test_admin_adds_renames_and_deactivates_a_category(root_client, alice, bob):
    parent = Category.objects.get(code="hardware")
    response = root_client.post(
        "/configuration/categories/",
        {"name_fr": "Scanner", "name_en": "Scanner", "parent": parent.pk},
    )
    assert response.status_code == 302
    category = Category.objects.get(name_en="Scanner")
    assert category.parent == parent and category.code == "hardware-scanner"
    response = root_client.post(
        f"/configuration/categories/{category.pk}/",
        {"name_fr": "Numériseur", "name_en": "Scanner", "parent": parent.pk},
    )
    category.refresh_from_db()
    assert (category.name_fr, category.active) == ("Numériseur", False)
    ticket = make_ticket(bob, category=category)
    actions.update_ticket(ticket=ticket, actor=alice, title="still fine")


def test_a_category_cannot_be_its_own_parent(root_client):
    category = Category.objects.get(code="hardware")
    response = root_client.post(
        f"/configuration/categories/{category.pk}/",
        {"name_fr": "Matériel", "name_en": "Hardware", "parent": category.pk, "active": "on"},
    )
    assert response.status_code == 400
    assert b"under itself" in response.content
    response = root_client.post("/configuration/categories/", {"name_fr": "", "name_en": ""})
    assert response.status_code == 400


def test_admin_site_opens_for_administrators(root_client):
    assert root_client.get("/admin/accounts/organisation/").status_code == 200
    assert root_client.get("/admin/accounts/user/").status_code == 200
