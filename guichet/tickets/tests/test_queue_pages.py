"""Queue pagination (keyset, both ways) and the bounded number of queries per page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guichet.tickets.tests.factories import make_ticket
from guichet.tickets.tests.queue_world import shown

QUEUE = reverse("tickets:queue")


def open_many(requester, n: int, **fields) -> list[int]:
    return [make_ticket(requester, title=f"Ticket {i}", **fields).pk for i in range(n)]


def test_it_pages_forward_and_backward(alice_client, bob):
    created = sorted(open_many(bob, 57), reverse=True)
    first = alice_client.get(QUEUE, {"scope": "all"})
    assert shown(first) == created[:50]
    assert first.context["prev_url"] is None
    assert 'rel="next"' in first.content.decode()

    second = alice_client.get(first.context["next_url"])
    assert second.status_code == 200
    assert shown(second) == created[50:]
    assert second.context["next_url"] is None

    back = alice_client.get(second.context["prev_url"])
    assert shown(back) == created[:50]


def test_page_links_keep_the_filters(alice_client, bob):
    open_many(bob, 52, impact=5, urgency=5)
    first = alice_client.get(QUEUE, {"scope": "open", "priority": "5", "sort": "-priority"})
    next_url = first.context["next_url"]
    assert "priority=5" in next_url and "scope=open" in next_url and "sort=-priority" in next_url
    assert len(shown(alice_client.get(next_url))) == 2


def test_pages_sorted_on_a_column_do_not_skip_or_repeat_rows(alice_client, bob):
    created = open_many(bob, 30, impact=1, urgency=1) + open_many(bob, 30, impact=5, urgency=5)
    first = alice_client.get(QUEUE, {"scope": "all", "sort": "priority"})
    second = alice_client.get(first.context["next_url"])
    assert sorted(shown(first) + shown(second)) == sorted(created)


def test_the_page_does_not_count_the_whole_queue(alice_client, bob):
    open_many(bob, 3)
    with CaptureQueriesContext(connection) as queries:
        alice_client.get(QUEUE, {"scope": "all"})
    assert not [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]


def _queries_for_a_page(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(QUEUE, {"scope": "all"})
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_a_page_of_50_rows_takes_a_bounded_number_of_queries(
    alice_client, bob, alice, support_team, django_assert_max_num_queries
):
    open_many(bob, 2, actor=alice, team=support_team, assignee=alice)
    alice_client.get(QUEUE)  # the session and caches are warm from here on
    with_two = _queries_for_a_page(alice_client)

    open_many(bob, 60, actor=alice, team=support_team, assignee=alice)
    with django_assert_max_num_queries(14):
        response = alice_client.get(QUEUE, {"scope": "all"})
    assert len(shown(response)) == 50
    assert _queries_for_a_page(alice_client) == with_two


def test_the_htmx_results_take_no_more_queries_than_the_page(alice_client, bob):
    open_many(bob, 55)
    alice_client.get(QUEUE)
    with CaptureQueriesContext(connection) as queries:
        alice_client.get(
            QUEUE, {"scope": "all"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="queue-results"
        )
    assert len(queries) <= _queries_for_a_page(alice_client)


def test_a_date_out_of_range_is_a_clear_error_not_a_crash(alice_client):
    response = alice_client.get("/tickets/?scope=all&created_after=0001-01-01")
    assert response.status_code == 400
    response = alice_client.get("/tickets/?scope=all&created_before=9999-12-31")
    assert response.status_code == 400
