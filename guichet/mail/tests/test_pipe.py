"""`guichet mail ingest < message.eml`, the entry point a mail server pipes messages into,
answers with the exit statuses mail servers act on."""

import io
import sys

import pytest
from django.core.management import call_command

from guichet.mail.choices import Outcome
from guichet.mail.models import InboundMessage
from guichet.mail.tests.factories import make_mailbox, message
from guichet.tickets.models import Ticket

pytestmark = pytest.mark.django_db


class Stdin(io.TextIOWrapper):
    """Standard input as a mail server gives it: bytes under a text wrapper."""


def _run(monkeypatch, raw: bytes, *args: str) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", Stdin(io.BytesIO(raw)))
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("mail", "ingest", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit:
        code = int(exit.code or 0)
    return code, out.getvalue(), err.getvalue()


def test_a_piped_message_opens_a_ticket_on_the_default_mailbox(monkeypatch, bob, support_team):
    make_mailbox(team=support_team)

    code, out, _err = _run(monkeypatch, message(sender=bob.email))

    ticket = Ticket.objects.get()
    assert code == 0 and f"ticket #{ticket.pk}" in out
    assert ticket.team == support_team


def test_the_mailbox_can_be_named(monkeypatch, bob, support_team):
    make_mailbox("support")
    sales = make_mailbox("sales", address="sales@desk.test", accept_unknown=False)

    code, out, _err = _run(monkeypatch, message(sender="new@x.test"), "--mailbox", "sales")

    assert code == 0 and "refused" in out
    assert InboundMessage.objects.get().mailbox == sales


def test_piping_the_same_message_twice_is_harmless(monkeypatch, bob, support_team):
    make_mailbox()
    raw = message(sender=bob.email)

    _run(monkeypatch, raw)
    code, out, _err = _run(monkeypatch, raw)

    assert code == 0 and "duplicate" in out and Ticket.objects.count() == 1


def test_an_unreadable_message_is_taken_and_kept(monkeypatch, support_team):
    make_mailbox()

    code, out, _err = _run(monkeypatch, b"\x00\x01 not mail")

    assert code == 0 and Outcome.QUARANTINED in out


def test_without_a_mailbox_the_mail_server_keeps_the_message_for_later(monkeypatch, bob):
    code, _out, err = _run(monkeypatch, message(sender=bob.email))

    assert code == 75 and "no default mailbox" in err
    assert not InboundMessage.objects.exists()


def test_empty_input_is_refused_for_good(monkeypatch, support_team):
    make_mailbox()

    code, _out, err = _run(monkeypatch, b"  \n")

    assert code == 65 and "empty" in err
