"""IMAP mailboxes polled by the worker, against a real dovecot: each message makes one
ticket, is marked on the server only once committed, and never twice."""

import pytest

from guichet.lib.crypto import encrypt
from guichet.mail.actions import polling
from guichet.mail.actions.admin import save_mailbox
from guichet.mail.choices import Outcome
from guichet.mail.models import InboundMessage, Mailbox
from guichet.mail.tests.factories import make_mailbox, message
from guichet.tickets.models import Ticket

pytestmark = pytest.mark.django_db


def _crlf(raw: bytes) -> bytes:
    return raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


@pytest.fixture
def imap_box(dovecot, support_team):
    user = dovecot.new_user("s3cret")
    mailbox = make_mailbox(
        team=support_team,
        imap_host=dovecot.host,
        imap_port=dovecot.port,
        imap_security="none",
        imap_username=user,
        imap_password=encrypt("s3cret"),
    )
    return dovecot, user, mailbox


def test_polling_turns_each_waiting_message_into_one_ticket_then_marks_it_read(imap_box, bob):
    dovecot, user, mailbox = imap_box
    for n in range(3):
        dovecot.deliver(user, _crlf(message(sender=bob.email, subject=f"Request {n}")))

    assert polling.poll_mailbox(mailbox) == 3
    assert polling.poll_mailbox(mailbox) == 0

    assert Ticket.objects.count() == 3
    assert all("\\Seen" in flags for flags, _raw in dovecot.messages(user))
    mailbox.refresh_from_db()
    assert mailbox.last_polled_at and not mailbox.last_error and mailbox.polling_until is None


def test_a_message_fetched_again_after_a_crash_makes_no_second_ticket(imap_box, bob, monkeypatch):
    dovecot, user, mailbox = imap_box
    dovecot.deliver(user, _crlf(message(sender=bob.email)))
    # The worker dies after committing the ticket, before flagging the message.
    monkeypatch.setattr("guichet.mail.imap.Session.mark_done", lambda self, uids: None)
    polling.poll_mailbox(mailbox)
    monkeypatch.undo()

    assert polling.poll_mailbox(mailbox) == 1  # read again…

    assert Ticket.objects.count() == 1  # …and recognised
    assert InboundMessage.objects.get().outcome == Outcome.TICKET
    assert all("\\Seen" in flags for flags, _raw in dovecot.messages(user))


def test_processed_messages_can_be_moved_to_a_folder(imap_box, bob):
    dovecot, user, mailbox = imap_box
    mailbox.imap_done_folder = "Traités"
    mailbox.save()
    dovecot.deliver(user, _crlf(message(sender=bob.email)))

    polling.poll_mailbox(mailbox)

    assert dovecot.messages(user) == []
    assert len(dovecot.messages(user, "Traités")) == 1


def test_a_broken_message_on_the_server_is_quarantined_and_the_rest_goes_on(imap_box, bob):
    dovecot, user, mailbox = imap_box
    dovecot.deliver(user, b"\xff\xfe\r\n\r\n")
    dovecot.deliver(user, _crlf(message(sender=bob.email)))

    assert polling.poll_mailbox(mailbox) == 2

    outcomes = sorted(InboundMessage.objects.values_list("outcome", flat=True))
    assert outcomes == [Outcome.QUARANTINED, Outcome.TICKET]


def test_a_refused_login_is_shown_on_the_mailbox_and_nothing_is_lost(imap_box, bob, root):
    dovecot, user, mailbox = imap_box
    dovecot.deliver(user, _crlf(message(sender=bob.email)))
    save_mailbox(actor=root, mailbox=mailbox, password="wrong")

    assert polling.poll_mailbox(mailbox) == 0

    mailbox.refresh_from_db()
    assert "Login refused" in mailbox.last_error
    save_mailbox(actor=root, mailbox=mailbox, password="s3cret")
    assert polling.poll_mailbox(mailbox) == 1


def test_a_password_encrypted_under_another_key_asks_to_be_entered_again(imap_box, settings):
    _dovecot, _user, mailbox = imap_box
    settings.ENCRYPTION_KEY = "x" * 43 + "="

    polling.poll_mailbox(mailbox)

    mailbox.refresh_from_db()
    assert "enter it again" in mailbox.last_error


def test_the_stored_password_is_not_the_password(imap_box):
    _dovecot, _user, mailbox = imap_box
    assert "s3cret" not in Mailbox.objects.values_list("imap_password", flat=True).get()


def test_two_workers_never_poll_one_mailbox_at_once(imap_box, bob):
    from django.utils import timezone

    dovecot, user, mailbox = imap_box
    dovecot.deliver(user, _crlf(message(sender=bob.email)))
    assert polling._claim(mailbox, timezone.now())  # another worker holds the lease

    assert polling.poll_mailbox(mailbox) == 0
    assert not Ticket.objects.exists()


def test_polling_over_tls_checks_the_certificate(imap_box, bob, settings):
    dovecot, user, mailbox = imap_box
    dovecot.deliver(user, _crlf(message(sender=bob.email)))
    Mailbox.objects.filter(pk=mailbox.pk).update(imap_security="ssl", imap_port=dovecot.ssl_port)
    mailbox.refresh_from_db()

    assert polling.poll_mailbox(mailbox) == 0  # a certificate nobody vouches for
    mailbox.refresh_from_db()
    assert "certificate" in mailbox.last_error

    settings.IMAP_CA_FILE = str(dovecot.ca_file)
    assert polling.poll_mailbox(mailbox) == 1


def test_the_worker_job_polls_every_active_imap_mailbox(imap_box, bob):
    from guichet.mail.tasks import poll

    dovecot, user, mailbox = imap_box
    make_mailbox("pipe-only", address="pipe@desk.test")
    dovecot.deliver(user, _crlf(message(sender=bob.email)))

    assert poll.call() == 1
