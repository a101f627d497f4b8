"""The technician's queues through HTTP: scopes, filters, sorting, errors, tenancy."""

import datetime as dt

import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.tests.factories import make_organisation, make_staff, make_user
from guichet.lib.pagination import encode_cursor
from guichet.tickets import actions
from guichet.tickets.tests.factories import category, make_ticket
from guichet.tickets.tests.queue_world import acme_world, shown

QUEUE = reverse("tickets:queue")


@pytest.fixture
def world(bob, alice, sam, support_team, charlie):
    return acme_world(bob=bob, alice=alice, sam=sam, support_team=support_team, charlie=charlie)


def ids(*tickets) -> set[int]:
    return {t.pk for t in tickets}


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        ("mine", ["mine"]),
        ("team", ["mine", "team_only", "colleague"]),
        ("unassigned", ["team_only", "loose"]),
        ("open", ["mine", "team_only", "colleague", "loose"]),
        ("all", ["mine", "team_only", "colleague", "loose", "solved"]),
    ],
)
def test_each_scope_shows_its_tickets(alice_client, world, scope, expected):
    response = alice_client.get(QUEUE, {"scope": scope})
    assert response.status_code == 200
    assert set(shown(response)) == {getattr(world, name).pk for name in expected}


def test_the_default_scope_is_my_queue(alice_client, world):
    response = alice_client.get(QUEUE)
    assert shown(response) == [world.mine.pk]
    assert 'aria-current="page">Mine<' in response.content.decode()


def test_rows_show_what_a_technician_needs(alice_client, world, alice):
    body = alice_client.get(QUEUE, {"scope": "mine"}).content.decode()
    for text in (f"#{world.mine.pk}", "Mine: printer jams", "Bob Test", "Acme", "Support N1"):
        assert text in body
    assert "Alice Test" in body
    assert 'class="badge prio-3"' in body
    assert reverse("tickets:detail", args=[world.mine.pk]) in body
    assert "data-keynav" in body and "data-keynav-row" in body
    assert "Keyboard shortcuts" in body


@pytest.mark.parametrize("scope", ["mine", "team", "unassigned", "open", "all"])
def test_dave_never_sees_acme_tickets_in_any_scope(dave_client, world, scope):
    response = dave_client.get(QUEUE, {"scope": scope})
    assert response.status_code == 200
    assert not set(shown(response)) & ids(*world.acme)
    assert "printer jams" not in response.content.decode()


def test_dave_sees_his_clients_tickets(dave_client, world):
    assert shown(dave_client.get(QUEUE, {"scope": "all"})) == [world.globex.pk]


def test_dave_cannot_reach_acme_by_filtering_on_it(dave_client, world, acme):
    for params in ({"organisation": acme.pk}, {"q": "printer"}, {"q": f"#{world.mine.pk}"}):
        response = dave_client.get(QUEUE, {"scope": "all", **params})
        assert response.status_code == 200
        assert shown(response) == []


def test_charlie_is_sent_to_the_portal(charlie_client, world):
    response = charlie_client.get(QUEUE)
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")


def test_anonymous_visitors_must_sign_in(client, world):
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_it_filters_by_status(alice_client, world):
    response = alice_client.get(QUEUE, {"scope": "all", "status": "solved"})
    assert shown(response) == [world.solved.pk]
    response = alice_client.get(QUEUE, {"scope": "all", "status": ["new", "solved"]})
    assert set(shown(response)) == ids(world.team_only, world.loose, world.solved)


def test_it_filters_by_priority(alice_client, world, alice):
    actions.update_ticket(ticket=world.loose, actor=alice, impact=5, urgency=5)
    response = alice_client.get(QUEUE, {"scope": "all", "priority": "5"})
    assert shown(response) == [world.loose.pk]


def test_it_filters_by_team(alice_client, world, support_team):
    response = alice_client.get(QUEUE, {"scope": "open", "team": support_team.pk})
    assert set(shown(response)) == ids(world.mine, world.team_only, world.colleague)


@pytest.mark.parametrize(
    ("assignee", "expected"),
    [("me", ["mine", "solved"]), ("none", ["team_only", "loose"])],
)
def test_it_filters_by_assignee(alice_client, world, assignee, expected):
    response = alice_client.get(QUEUE, {"scope": "all", "assignee": assignee})
    assert set(shown(response)) == {getattr(world, name).pk for name in expected}


def test_it_filters_by_a_given_technician(alice_client, world, sam):
    response = alice_client.get(QUEUE, {"scope": "all", "assignee": sam.pk})
    assert shown(response) == [world.colleague.pk]


def test_it_filters_by_organisation(alice_client, world, support_team):
    initech = make_organisation("Initech")
    support_team.organisations.add(initech)
    other = make_ticket(make_user("ian", organisation=initech), title="Initech: badge reader")
    response = alice_client.get(QUEUE, {"scope": "all", "organisation": initech.pk})
    assert shown(response) == [other.pk]


def test_it_filters_by_category_and_its_children(alice_client, bob, alice):
    printer = make_ticket(bob, title="Toner", category=category("hardware-printer"))
    make_ticket(bob, title="Wifi", category=category("network-wifi"))
    for code in ("hardware-printer", "hardware"):
        response = alice_client.get(QUEUE, {"scope": "all", "category": category(code).pk})
        assert shown(response) == [printer.pk]


def test_it_filters_by_creation_dates(alice_client, bob):
    now = timezone.now()
    old = make_ticket(bob, title="Old one", at=now - dt.timedelta(days=40))
    recent = make_ticket(bob, title="Recent one", at=now - dt.timedelta(days=2))
    limit = (now - dt.timedelta(days=10)).date().isoformat()
    response = alice_client.get(QUEUE, {"scope": "all", "created_after": limit})
    assert shown(response) == [recent.pk]
    response = alice_client.get(QUEUE, {"scope": "all", "created_before": limit})
    assert shown(response) == [old.pk]


def test_it_filters_by_text(alice_client, world):
    response = alice_client.get(QUEUE, {"scope": "all", "q": "VPN"})
    assert shown(response) == [world.team_only.pk]


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"status": "bogus"}, "Status", "Unknown status"),
        ({"priority": "9"}, "Priority", "Must be from 1 to 6"),
        ({"team": "abc"}, "Team", "Must be a whole number"),
        ({"assignee": "-3"}, "Assignee", "Must be a positive id"),
        ({"created_after": "31/12/2024"}, "Created from", "Must be a date"),
        ({"sort": "title"}, "Sort", "Must be one of"),
        ({"scope": "everything"}, "Queue", "Must be one of"),
        ({"cursor": "not-a-cursor"}, "Page", "not valid"),
    ],
)
def test_bad_filters_answer_400_with_a_message(alice_client, world, params, field, message):
    response = alice_client.get(QUEUE, params)
    assert response.status_code == 400
    body = response.content.decode()
    assert field in body and message in body
    assert shown(response) == []


def test_a_cursor_that_does_not_fit_the_sort_is_refused(alice_client, world):
    # A well-formed cursor made for the priority sort, replayed on the date sort.
    cursor = encode_cursor(3, world.mine.pk)
    response = alice_client.get(QUEUE, {"scope": "all", "sort": "-updated", "cursor": cursor})
    assert response.status_code == 400
    assert "not valid" in response.content.decode()


@pytest.mark.parametrize(
    ("sort", "key", "reverse_order"),
    [
        ("-id", lambda t: t.pk, True),
        ("id", lambda t: t.pk, False),
        ("-priority", lambda t: (t.priority, t.pk), True),
        ("priority", lambda t: (t.priority, t.pk), False),
    ],
)
def test_it_sorts(alice_client, world, alice, sort, key, reverse_order):
    actions.update_ticket(ticket=world.loose, actor=alice, impact=5, urgency=5)
    actions.update_ticket(ticket=world.mine, actor=alice, impact=1, urgency=1)
    tickets = [t.__class__.objects.get(pk=t.pk) for t in world.acme]
    expected = [t.pk for t in sorted(tickets, key=key, reverse=reverse_order)]
    assert shown(alice_client.get(QUEUE, {"scope": "all", "sort": sort})) == expected


def test_it_sorts_by_last_update(alice_client, world, alice):
    actions.add_followup(ticket=world.team_only, actor=alice, body="Still looking.")
    actions.update_ticket(ticket=world.loose, actor=alice, urgency=4)
    assert shown(alice_client.get(QUEUE, {"scope": "open", "sort": "-updated"}))[:2] == [
        world.loose.pk,
        world.team_only.pk,
    ]


def test_sortable_headers_say_how_the_table_is_sorted(alice_client, world):
    body = alice_client.get(QUEUE, {"scope": "all", "sort": "priority"}).content.decode()
    assert 'aria-sort="ascending"' in body
    assert "sort=-priority" in body


def test_htmx_gets_only_the_results(alice_client, world):
    response = alice_client.get(
        QUEUE,
        {"scope": "all", "status": "solved"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="queue-results",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body and 'id="queue-filters"' not in body
    assert shown(response) == [world.solved.pk]
    assert 'hx-swap-oob="true"' in body
    assert "HX-Request" in response["Vary"]


def test_htmx_gets_the_error_in_place_of_the_results(alice_client, world):
    response = alice_client.get(
        QUEUE, {"priority": "0"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="queue-results"
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "<html" not in body and "Priority: Must be from 1 to 6." in body


def test_the_full_page_has_a_filter_form_that_works_without_javascript(alice_client, world):
    body = alice_client.get(QUEUE, {"scope": "team", "q": "VPN"}).content.decode()
    assert '<form id="queue-filters"' in body and 'method="get"' in body
    assert 'hx-get="/tickets/"' in body and 'hx-push-url="true"' in body
    assert 'name="scope" value="team"' in body
    assert 'value="VPN"' in body
    assert '<label for="f-q">' in body


def test_scope_tabs_keep_the_other_filters(alice_client, world):
    response = alice_client.get(QUEUE, {"scope": "all", "q": "VPN", "cursor": "x"})
    tabs = {tab["label"]: tab["url"] for tab in response.context["tabs"]}
    path, query = tabs["Unassigned"].split("?")
    assert path == QUEUE
    assert QueryDict(query).dict() == {"scope": "unassigned", "q": "VPN"}


def test_requesters_are_sent_away_from_the_partial_too(charlie_client):
    response = charlie_client.get(QUEUE, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="queue-results")
    assert response.status_code == 302


def test_the_queue_only_answers_get(alice_client):
    assert alice_client.post(QUEUE).status_code == 405


def test_a_fresh_technician_gets_an_empty_queue(db):
    client = Client()
    client.force_login(make_staff("newbie"))
    response = client.get(QUEUE, {"scope": "all"})
    assert response.status_code == 200
    assert "No ticket matches these filters." in response.content.decode()
