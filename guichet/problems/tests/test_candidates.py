"""The report of categories that call for a problem: recurring, unlinked incidents, counted
over the tickets the viewer may see, in one grouped query."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from guichet.problems import queries
from guichet.problems.tests.factories import make_problem
from guichet.tickets.choices import TicketType
from guichet.tickets.tests.factories import category, make_ticket

pytestmark = pytest.mark.django_db


def _incidents(requester, code: str, n: int, **fields) -> list:
    return [
        make_ticket(requester, title=f"{code} {i}", category=category(code), **fields)
        for i in range(n)
    ]


@pytest.fixture
def world(alice, bob, charlie):
    printers = _incidents(bob, "hardware-printer", 6)
    _incidents(bob, "network-vpn", 4)
    _incidents(bob, "network-wifi", 5, at=timezone.now() - timedelta(days=60))
    _incidents(bob, "software-office", 5, type=TicketType.REQUEST)
    _incidents(charlie, "messaging-mailbox", 7)
    make_problem(alice, tickets=printers[:1])
    return printers


def _counts(user, **kwargs) -> dict[str, int]:
    rows = queries.candidates(user, now=timezone.now(), **{"min_count": 5, "days": 30, **kwargs})
    return {row.category.code: row.count for row in rows}


def test_it_counts_recent_unlinked_incidents_per_category_above_the_threshold(alice, world):
    assert _counts(alice) == {"hardware-printer": 5}
    assert _counts(alice, min_count=4) == {"hardware-printer": 5, "network-vpn": 4}
    assert _counts(alice, days=90) == {"hardware-printer": 5, "network-wifi": 5}


def test_it_counts_only_the_tickets_the_viewer_may_see(alice, dave, root, world):
    assert "messaging-mailbox" not in _counts(alice)
    assert _counts(dave) == {"messaging-mailbox": 7}
    assert _counts(root) == {"hardware-printer": 5, "messaging-mailbox": 7}


def test_it_is_one_query(alice, world):
    queries.candidates(alice, min_count=5, days=30, now=timezone.now())  # warm the caches
    with CaptureQueriesContext(connection) as captured:
        queries.candidates(alice, min_count=5, days=30, now=timezone.now())
    # Outside a request the reference cache checks its revision on each read; not ours.
    sql = [q["sql"] for q in captured if "guichet_reference_revision" not in q["sql"]]
    assert len(sql) == 1
    assert "GROUP BY" in sql[0].upper()


def test_the_page_links_to_the_queue_and_to_a_prefilled_problem(alice_client, world):
    response = alice_client.get(reverse("problems:candidates"))

    assert response.status_code == 200
    row = response.context["rows"][0]
    assert f"category={category('hardware-printer').pk}" in row.queue_url
    prefilled = alice_client.get(row.new_url)
    assert prefilled.status_code == 302
    form = alice_client.get(prefilled["Location"]).context["form"]
    numbers = {int(n) for n in form.initial["tickets"].split(", ")}
    assert numbers == {t.pk for t in world[1:]}


def test_the_outsider_sees_only_his_clients_categories_on_the_page(dave_client, world):
    response = dave_client.get(reverse("problems:candidates"))

    html = response.content.decode()
    assert [r.category.code for r in response.context["rows"]] == ["messaging-mailbox"]
    assert "Printer" not in html


def test_a_bad_threshold_answers_400(alice_client):
    assert alice_client.get(reverse("problems:candidates"), {"min_count": "x"}).status_code == 400
    assert alice_client.get(reverse("problems:candidates"), {"days": "9999"}).status_code == 400
