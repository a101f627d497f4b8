"""API v1 tickets: open, read, qualify; errors and authentication."""

from datetime import timedelta

import pytest

from guichet.accounts.models import ApiToken
from guichet.accounts.tests.factories import make_location
from guichet.tickets.choices import EventKind, Status
from guichet.tickets.models import Ticket
from guichet.tickets.tests.api_helpers import ApiCaller
from guichet.tickets.tests.factories import category, make_ticket

REQUIRED_KEYS = {
    "id",
    "title",
    "description",
    "type",
    "status",
    "impact",
    "urgency",
    "priority",
    "requester",
    "organisation",
    "team",
    "assignee",
    "created_at",
    "updated_at",
}


@pytest.fixture
def api(client):
    return ApiCaller(client)


# --- Create ------------------------------------------------------------------------------------
def test_it_opens_a_ticket_from_a_title_and_a_description(api, bob):
    response = api.as_(bob).post("/tickets", {"title": "No mail", "description": "Since 9am"})

    assert response.status_code == 201
    body = response.json()
    assert set(body) >= REQUIRED_KEYS
    assert (body["type"], body["impact"], body["urgency"], body["priority"]) == (
        "incident",
        3,
        3,
        3,
    )
    assert body["requester"] == {"id": bob.pk, "name": "Bob Test"}
    assert body["organisation"]["id"] == bob.organisation_id
    assert (body["status"], body["channel"]) == ("new", "api")
    assert Ticket.objects.get(pk=body["id"]).events.get().kind == EventKind.CREATED


def test_staff_open_a_qualified_ticket_for_a_requester(api, alice, bob, support_team):
    site = make_location(bob.organisation)
    printer = category("hardware-printer")

    response = api.as_(alice).post(
        "/tickets",
        {
            "title": "Printer jammed",
            "description": "Floor 2",
            "requester": bob.pk,
            "type": "request",
            "channel": "phone",
            "impact": 4,
            "urgency": 5,
            "location": site.pk,
            "category": printer.pk,
            "team": support_team.pk,
            "assignee": alice.pk,
        },
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["requester"]["id"] == bob.pk
    assert body["organisation"] == {"id": bob.organisation_id, "name": "Acme"}
    assert body["location"] == {"id": site.pk, "name": site.name}
    assert body["category"]["id"] == printer.pk
    assert body["team"] == {"id": support_team.pk, "name": "Support N1"}
    assert body["assignee"]["id"] == alice.pk
    assert (body["status"], body["priority"], body["channel"]) == ("assigned", 5, "phone")


def test_staff_cannot_open_a_ticket_for_someone_they_do_not_serve(api, dave, bob):
    response = api.as_(dave).post("/tickets", {"title": "x", "requester": bob.pk})

    assert response.status_code == 422
    assert "requester" in response.json()["errors"]
    assert not Ticket.objects.exists()


def test_a_requester_cannot_assign_the_ticket_they_open(api, bob, alice):
    response = api.as_(bob).post("/tickets", {"title": "x", "assignee": alice.pk})

    assert response.status_code == 403
    assert not Ticket.objects.exists()


def test_charlie_cannot_open_a_ticket_for_bob_or_at_acme(api, charlie, bob, acme):
    for extra in ({"requester": bob.pk}, {"organisation": acme.pk}):
        response = api.as_(charlie).post("/tickets", {"title": "x", **extra})
        assert response.status_code == 422
        assert set(response.json()["errors"]) == set(extra)
    assert not Ticket.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"description": "no title"}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 251}, "title"),
        ({"title": "a\x00b"}, "title"),
        ({"title": "x", "impact": "high"}, "impact"),
        ({"title": "x", "impact": 6}, "impact"),
        ({"title": "x", "type": "problem"}, "type"),
        ({"title": "x", "category": 2**70}, "category"),
        ({"title": "x", "category": 999999}, "category"),
        ({"title": "x", "status": "closed"}, "status"),
        ({"title": ["x"]}, "title"),
    ],
)
def test_invalid_input_names_the_field(api, bob, body, field):
    response = api.as_(bob).post("/tickets", body)

    assert response.status_code == 422
    assert response.json()["detail"]
    assert field in response.json()["errors"]
    assert not Ticket.objects.exists()


@pytest.mark.parametrize("raw", ["{not json", "[1, 2]", '"text"', "null", "1e999999"])
def test_a_body_that_is_not_an_object_is_a_client_error(api, bob, raw):
    response = api.as_(bob).post("/tickets", raw)

    assert response.status_code in (400, 422)
    assert response.json()["detail"]


def test_an_oversize_body_is_refused(api, bob, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000

    response = api.as_(bob).post("/tickets", {"title": "x", "description": "y" * 20_000})

    assert response.status_code == 400
    assert not Ticket.objects.exists()


# --- Read --------------------------------------------------------------------------------------
def test_it_reads_a_ticket(api, bob, alice):
    ticket = make_ticket(bob)

    for user in (bob, alice):
        response = api.as_(user).get(f"/tickets/{ticket.pk}")
        assert response.status_code == 200
        assert response.json()["id"] == ticket.pk
        assert set(response.json()) >= REQUIRED_KEYS


def test_outsiders_get_a_404_on_someone_elses_ticket(api, bob, charlie, dave):
    ticket = make_ticket(bob)

    for user in (charlie, dave):
        response = api.as_(user).get(f"/tickets/{ticket.pk}")
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found."}


@pytest.mark.parametrize("ticket_id", ["424242", "abc", "0", "-1", str(2**64), "1.5"])
def test_unknown_or_malformed_ids_are_client_errors(api, alice, ticket_id):
    response = api.as_(alice).get(f"/tickets/{ticket_id}")

    assert response.status_code in (404, 422)


# --- Update ------------------------------------------------------------------------------------
def test_staff_qualify_a_ticket_and_the_priority_follows(api, alice, bob):
    ticket = make_ticket(bob)
    printer = category("hardware-printer")

    response = api.as_(alice).patch(
        f"/tickets/{ticket.pk}",
        {"impact": 5, "urgency": 4, "category": printer.pk, "title": "Printer down"},
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["impact"], body["urgency"], body["priority"]) == (5, 4, 5)
    assert (body["title"], body["category"]["id"]) == ("Printer down", printer.pk)
    assert ticket.events.filter(field="priority", old_value="3", new_value="5").exists()


def test_a_field_left_out_keeps_its_value_and_null_clears_a_relation(api, alice, bob):
    ticket = make_ticket(bob, category=category("hardware-printer"), impact=4)

    response = api.as_(alice).patch(f"/tickets/{ticket.pk}", {"category": None})

    assert response.status_code == 200
    assert response.json()["category"] is None
    assert response.json()["impact"] == 4


def test_major_priority_needs_a_reason(api, alice, bob):
    ticket = make_ticket(bob)

    response = api.as_(alice).patch(f"/tickets/{ticket.pk}", {"priority": 6})
    assert response.status_code == 422
    assert "major_reason" in response.json()["errors"]

    response = api.as_(alice).patch(
        f"/tickets/{ticket.pk}", {"priority": 6, "major_reason": "Whole site down"}
    )
    assert response.status_code == 200
    assert (response.json()["priority"], response.json()["major_reason"]) == (6, "Whole site down")


@pytest.mark.parametrize(
    "body", [{"status": "closed"}, {"title": None}, {"impact": None}, {"assignee": 1}]
)
def test_a_patch_refuses_read_only_and_null_fields(api, alice, bob, body):
    ticket = make_ticket(bob)

    response = api.as_(alice).patch(f"/tickets/{ticket.pk}", body)

    assert response.status_code == 422
    assert set(body) <= set(response.json()["errors"])
    ticket.refresh_from_db()
    assert (ticket.status, ticket.title) == (Status.NEW, "Printer does not print")


def test_a_requester_cannot_qualify_their_ticket(api, bob):
    ticket = make_ticket(bob)

    response = api.as_(bob).patch(f"/tickets/{ticket.pk}", {"impact": 5})

    assert response.status_code == 403
    ticket.refresh_from_db()
    assert ticket.impact == 3


def test_outsiders_cannot_update_someone_elses_ticket(api, bob, charlie, dave):
    ticket = make_ticket(bob)

    for user in (charlie, dave):
        response = api.as_(user).patch(f"/tickets/{ticket.pk}", {"title": "Mine now"})
        assert response.status_code == 404
    ticket.refresh_from_db()
    assert ticket.title == "Printer does not print"


def test_a_location_of_another_organisation_is_refused(api, alice, bob, globex):
    ticket = make_ticket(bob)
    elsewhere = make_location(globex)

    response = api.as_(alice).patch(f"/tickets/{ticket.pk}", {"location": elsewhere.pk})

    assert response.status_code == 422
    assert "location" in response.json()["errors"]


# --- Authentication ----------------------------------------------------------------------------
def test_it_requires_authentication(api, bob):
    ticket = make_ticket(bob)

    for path in ("/tickets", f"/tickets/{ticket.pk}", "/users/me", "/categories"):
        response = api.get(path)
        assert response.status_code == 401
        assert response.json()["detail"]
    assert api.post("/tickets", {"title": "x"}).status_code == 401


@pytest.mark.parametrize(
    "header", ["Bearer nope", "Bearer ", "Basic Ym9iOnBhc3N3b3Jk", "Bearer a\x00"]
)
def test_a_bad_token_is_refused(db, client, header):
    response = client.get("/api/v1/tickets", HTTP_AUTHORIZATION=header)

    assert response.status_code == 401


def test_a_token_of_a_deactivated_user_is_refused(api, bob):
    caller = api.as_(bob)
    bob.is_active = False
    bob.save(update_fields=["is_active"])

    assert caller.get("/users/me").status_code == 401


def test_it_records_when_a_token_was_last_used_at_most_once_a_minute(api, bob):
    caller = api.as_(bob)
    token = ApiToken.objects.get(user=bob)
    assert token.last_used_at is None

    assert caller.get("/users/me").status_code == 200
    token.refresh_from_db()
    first_use = token.last_used_at
    assert first_use is not None

    assert caller.get("/users/me").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at == first_use

    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first_use - timedelta(minutes=2))
    assert caller.get("/users/me").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at > first_use - timedelta(minutes=1)


def test_the_browser_session_works_too(alice_client, bob):
    ticket = make_ticket(bob)

    response = alice_client.get(f"/api/v1/tickets/{ticket.pk}")

    assert response.status_code == 200
    assert response.json()["id"] == ticket.pk
