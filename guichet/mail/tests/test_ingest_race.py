"""Two workers receiving the same message at the same moment (the same mail fetched from
two mailboxes, a pipe and a poll): one ticket, never two."""

import threading

import pytest
from django.db import connection

from guichet.mail.actions.ingest import ingest
from guichet.mail.models import InboundMessage
from guichet.mail.tests.factories import make_mailbox, message
from guichet.tickets.models import Ticket


# Threads share one connection's in-memory database on SQLite, where writers queue anyway;
# PostgreSQL is where two workers really race.
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections")
@pytest.mark.django_db(transaction=True)
def test_two_workers_ingesting_one_message_at_once_make_one_ticket(bob, support_team):
    mailbox = make_mailbox(team=support_team)
    raws = [message(sender=bob.email, subject=f"Same {n}") for n in range(5)]
    barrier = threading.Barrier(2)
    results: list[bool] = []

    def worker():
        barrier.wait()
        try:
            for raw in raws:
                results.append(ingest(raw=raw, mailbox=mailbox).duplicate)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(results) == [False] * 5 + [True] * 5
    assert Ticket.objects.count() == 5 and InboundMessage.objects.count() == 5
