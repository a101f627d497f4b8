"""Prepared queries give what the QuerySet gives, compiled once; sessions and the signed-in
user are read with them."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from guichet.accounts.sessions import SessionStore
from guichet.lib.prepared import Prepared
from guichet.tickets.models import TicketEvent
from guichet.tickets.tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def test_it_returns_what_the_queryset_returns(bob, alice):
    first, second = make_ticket(bob), make_ticket(bob)
    events = Prepared(lambda pk: TicketEvent.objects.filter(ticket_id=pk), int)
    for ticket in (first, second, first):
        assert events(ticket.pk) == list(TicketEvent.objects.filter(ticket_id=ticket.pk))
    assert events(10**9) == []
    assert events(first.pk)[0].created_at == first.events.get().created_at  # converted


def test_constants_of_the_query_stay_and_strings_are_parameters(alice, bob):
    from guichet.accounts.models import User

    by_name = Prepared(
        lambda name: User.objects.filter(username=name, is_active=True, role="technician"), str
    )
    assert by_name("alice") == [alice]
    assert by_name("bob") == []  # a requester: the role constant is still in the query
    assert by_name("x' OR '1'='1") == []  # a parameter, never SQL


def test_it_is_compiled_once_and_sends_one_plain_query(bob):
    ticket = make_ticket(bob)
    events = Prepared(lambda pk: TicketEvent.objects.filter(ticket_id=pk), int)
    events(ticket.pk)
    with CaptureQueriesContext(connection) as captured:
        events(ticket.pk)
    assert len(captured) == 1


def test_it_refuses_queries_over_several_tables(bob):
    joined = Prepared(lambda pk: TicketEvent.objects.filter(pk=pk).select_related("actor"), int)
    with pytest.raises(ValueError):
        joined(1)


def test_an_expired_session_reads_as_no_session(alice_client):
    key = alice_client.session.session_key
    assert SessionStore(key).load()
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    store = SessionStore(key)
    assert store.load() == {}
    assert store.session_key is None
    assert alice_client.get("/tickets/").status_code == 302  # back to the sign-in page
