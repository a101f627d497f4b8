"""Inbound mail: new tickets, follow-ups on the right ticket, machines, strangers, storms,
quarantine, and exactly-once ingestion."""

import pytest

from guichet.accounts.choices import OrganisationKind
from guichet.accounts.models import User
from guichet.mail.actions import admin
from guichet.mail.actions.ingest import ingest, retry
from guichet.mail.choices import MailKind, Outcome
from guichet.mail.models import InboundMessage, OutboundMessage
from guichet.mail.tests.factories import make_mailbox, message
from guichet.tickets import actions
from guichet.tickets.choices import Channel, Status
from guichet.tickets.models import Attachment, FollowUp, Ticket

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n" + b"0" * 2000


@pytest.fixture
def mailbox(support_team):
    return make_mailbox(team=support_team)


def _bob_ticket(bob, mailbox):
    result = ingest(raw=message(sender=bob.email), mailbox=mailbox)
    return result.message.ticket


def test_a_new_message_from_a_contact_opens_a_ticket_for_them(bob, mailbox, support_team):
    result = ingest(raw=message(sender=bob.email.upper()), mailbox=mailbox)

    row = result.message
    assert row.outcome == Outcome.TICKET and not result.duplicate
    ticket = row.ticket
    assert ticket.requester == bob and ticket.organisation_id == bob.organisation_id
    assert ticket.channel == Channel.EMAIL
    assert ticket.title == "The printer is broken"
    assert "blank pages" in ticket.description
    assert ticket.team == support_team
    assert row.raw.read().startswith(b"From:") or b"Message-ID" in row.raw.open("rb").read()


def test_it_acknowledges_the_new_ticket_in_the_thread_of_the_message(bob, mailbox):
    raw = message(sender=bob.email, message_id="<first@client.test>")
    ticket = ingest(raw=raw, mailbox=mailbox).message.ticket

    ack = OutboundMessage.objects.get(ticket=ticket)
    assert ack.kind == MailKind.ACKNOWLEDGEMENT
    assert ack.to == bob.email
    assert ack.in_reply_to == "<first@client.test>"
    assert ack.auto_submitted == "auto-replied"
    assert ack.reply_to == mailbox.address


def test_the_same_message_twice_makes_one_ticket(bob, mailbox):
    raw = message(sender=bob.email)

    first = ingest(raw=raw, mailbox=mailbox)
    second = ingest(raw=raw, mailbox=mailbox)

    assert second.duplicate and second.message.pk == first.message.pk
    assert Ticket.objects.count() == 1
    assert OutboundMessage.objects.filter(kind=MailKind.ACKNOWLEDGEMENT).count() == 1


def test_a_reply_to_a_mail_guichet_sent_is_a_followup(bob, mailbox):
    ticket = _bob_ticket(bob, mailbox)
    sent = OutboundMessage.objects.get(ticket=ticket).message_id

    result = ingest(
        raw=message(
            sender=bob.email,
            subject="Re: something else entirely",
            text="Still broken after the restart.",
            in_reply_to=sent,
            references=f"<unrelated@x.test> {sent}",
        ),
        mailbox=mailbox,
    )

    assert result.message.outcome == Outcome.FOLLOWUP
    assert result.message.ticket == ticket
    assert FollowUp.objects.get(ticket=ticket).body.startswith("Still broken")
    assert Ticket.objects.count() == 1


def test_a_reply_naming_a_message_guichet_received_threads_too(bob, mailbox):
    ticket = _bob_ticket(bob, mailbox)
    first_id = ticket.inbound_messages.get().message_id

    result = ingest(
        raw=message(sender=bob.email, subject="More", references=first_id), mailbox=mailbox
    )

    assert result.message.ticket == ticket and result.message.outcome == Outcome.FOLLOWUP


def test_the_subject_reference_threads_when_headers_are_gone(bob, mailbox):
    ticket = _bob_ticket(bob, mailbox)

    result = ingest(
        raw=message(sender=bob.email, subject=f"RE: [#{ticket.pk}] printer"), mailbox=mailbox
    )

    assert result.message.outcome == Outcome.FOLLOWUP and result.message.ticket == ticket


def test_the_subject_text_alone_never_threads(bob, mailbox):
    ticket = _bob_ticket(bob, mailbox)

    result = ingest(raw=message(sender=bob.email, subject=ticket.title), mailbox=mailbox)

    assert result.message.outcome == Outcome.TICKET and result.message.ticket != ticket


def test_a_reply_from_an_outsider_does_not_attach(bob, charlie, mailbox):
    ticket = _bob_ticket(bob, mailbox)
    sent = OutboundMessage.objects.get(ticket=ticket).message_id

    result = ingest(
        raw=message(
            sender=charlie.email, subject=f"Re: [#{ticket.pk}]", text="mine", in_reply_to=sent
        ),
        mailbox=mailbox,
    )

    assert result.message.outcome == Outcome.TICKET
    theirs = result.message.ticket
    assert theirs != ticket and theirs.requester == charlie
    assert theirs.organisation_id == charlie.organisation_id
    assert not FollowUp.objects.filter(ticket=ticket).exists()


def test_a_watcher_may_reply_by_mail(bob, alice, mailbox, acme):
    from guichet.accounts.tests.factories import make_user

    colleague = make_user("colleague", organisation=acme)
    ticket = _bob_ticket(bob, mailbox)
    actions.add_watcher(ticket=ticket, actor=alice, user=colleague)

    result = ingest(
        raw=message(sender=colleague.email, subject=f"Re: [#{ticket.pk}]"), mailbox=mailbox
    )

    assert result.message.outcome == Outcome.FOLLOWUP and result.message.ticket == ticket


def test_a_reply_to_a_merged_ticket_goes_to_the_ticket_it_was_merged_into(bob, alice, mailbox):
    first = _bob_ticket(bob, mailbox)
    second = ingest(raw=message(sender=bob.email, subject="Again"), mailbox=mailbox)
    actions.merge(source=first, target=second.message.ticket, actor=alice)

    result = ingest(raw=message(sender=bob.email, subject=f"[#{first.pk}]"), mailbox=mailbox)

    assert result.message.ticket == second.message.ticket


def test_a_reply_to_a_closed_ticket_opens_a_new_one_that_says_so(bob, alice, mailbox):
    ticket = _bob_ticket(bob, mailbox)
    actions.solve(ticket=ticket, actor=alice, solution="Toner replaced.")
    actions.close(ticket=ticket, actor=alice)

    result = ingest(raw=message(sender=bob.email, subject=f"Re: [#{ticket.pk}]"), mailbox=mailbox)

    assert result.message.outcome == Outcome.TICKET
    assert f"#{ticket.pk}" in result.message.ticket.description


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto-Submitted": "auto-replied"},
        {"X-Autoreply": "yes"},
        {"Precedence": "bulk"},
        {"List-Id": "<news.example.test>"},
        {"X-Auto-Response-Suppress": "OOF"},
    ],
)
def test_machines_never_open_tickets_nor_get_answers(bob, mailbox, headers):
    result = ingest(raw=message(sender=bob.email, headers=headers), mailbox=mailbox)

    assert result.message.outcome == Outcome.IGNORED
    assert not Ticket.objects.exists() and not OutboundMessage.objects.exists()


def test_a_bounce_of_a_notification_is_filed_beside_its_ticket(bob, mailbox):
    ticket = _bob_ticket(bob, mailbox)
    sent = OutboundMessage.objects.get(ticket=ticket).message_id

    result = ingest(
        raw=message(sender="MAILER-DAEMON@client.test", subject="Undelivered", in_reply_to=sent),
        mailbox=mailbox,
    )

    assert result.message.outcome == Outcome.IGNORED and result.message.ticket == ticket
    assert not FollowUp.objects.exists()


def test_mail_from_the_desks_own_address_is_ignored(mailbox):
    result = ingest(raw=message(sender=mailbox.address), mailbox=mailbox)

    assert result.message.outcome == Outcome.IGNORED and not Ticket.objects.exists()


def test_an_unknown_sender_becomes_a_contact_of_the_organisation_of_their_domain(mailbox, acme):
    acme.email_domain = "acme.test"
    acme.save()

    result = ingest(raw=message(sender="Zoé Martin <zoe@ACME.test>"), mailbox=mailbox)

    contact = result.message.ticket.requester
    assert contact.email == "zoe@acme.test" and contact.organisation == acme
    assert contact.first_name == "Zoé" and not contact.has_usable_password()


def test_an_unknown_individual_becomes_a_client_of_their_own(mailbox):
    result = ingest(raw=message(sender="Jean Dupont <jean.dupont@gmail.test>"), mailbox=mailbox)

    organisation = result.message.ticket.organisation
    assert organisation.kind == OrganisationKind.INDIVIDUAL
    assert "Jean Dupont" in organisation.name


def test_a_mailbox_for_contacts_only_refuses_strangers_once_a_day(support_team):
    mailbox = make_mailbox(accept_unknown=False)

    first = ingest(raw=message(sender="stranger@spam.test"), mailbox=mailbox)
    ingest(raw=message(sender="stranger@spam.test"), mailbox=mailbox)

    assert first.message.outcome == Outcome.REFUSED
    assert not Ticket.objects.exists() and not User.objects.filter(email="stranger@spam.test")
    refusals = OutboundMessage.objects.filter(kind=MailKind.REFUSAL)
    assert [r.to for r in refusals] == ["stranger@spam.test"]


def test_a_storm_from_one_sender_is_held_back_and_can_be_let_through(bob, root, support_team):
    mailbox = make_mailbox(rate_limit=2)
    results = [
        ingest(raw=message(sender=bob.email, subject=f"n°{n}"), mailbox=mailbox) for n in range(3)
    ]

    assert [r.message.outcome for r in results] == [Outcome.TICKET] * 2 + [Outcome.RATE_LIMITED]
    assert Ticket.objects.count() == 2

    held = admin.retry(actor=root, message=results[2].message)
    assert held.outcome == Outcome.TICKET and Ticket.objects.count() == 3


def test_an_unreadable_message_is_quarantined_and_kept(mailbox, root):
    raw = b"\x00\xff garbage that is not a message \r\n\r\n"

    result = ingest(raw=raw, mailbox=mailbox)

    row = result.message
    assert row.outcome == Outcome.QUARANTINED and "no sender" in row.reason
    assert row.raw.open("rb").read() == raw
    assert retry(message=row).outcome == Outcome.QUARANTINED
    assert admin.discard(actor=root, message=row).outcome == Outcome.DISCARDED


def test_a_message_over_the_mailbox_limit_is_quarantined(bob, support_team):
    mailbox = make_mailbox(max_message_bytes=2048)

    result = ingest(raw=message(sender=bob.email, text="x" * 5000), mailbox=mailbox)

    assert result.message.outcome == Outcome.QUARANTINED and not Ticket.objects.exists()


def test_attachments_are_kept_within_the_limits_and_the_rest_is_named(bob, support_team):
    mailbox = make_mailbox(max_attachment_bytes=10_000)
    raw = message(
        sender=bob.email,
        attachments=[
            ("facture.pdf", "application/pdf", PDF),
            ("huge.pdf", "application/pdf", b"%PDF" + b"1" * 20_000),
            ("winmail.dat", "application/ms-tnef", b"\x78\x9f\x3e\x22" + b"0" * 100),
        ],
    )

    ticket = ingest(raw=raw, mailbox=mailbox).message.ticket

    assert [a.filename for a in Attachment.objects.filter(ticket=ticket)] == ["facture.pdf"]
    assert "huge.pdf" in ticket.description and "winmail.dat" in ticket.description


def test_a_failure_midway_leaves_nothing_half_saved(bob, mailbox, monkeypatch):
    from guichet.mail.actions import ingest as module

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(module, "_attach", broken)

    result = ingest(raw=message(sender=bob.email), mailbox=mailbox)

    assert result.message.outcome == Outcome.QUARANTINED and "disk full" in result.message.reason
    assert not Ticket.objects.exists() and not OutboundMessage.objects.exists()
    assert InboundMessage.objects.count() == 1

    monkeypatch.undo()
    assert retry(message=result.message).outcome == Outcome.TICKET


def test_a_requester_reply_by_mail_wakes_a_ticket_waiting_for_them(bob, alice, mailbox):
    from guichet.tickets.models import PendingReason

    ticket = _bob_ticket(bob, mailbox)
    actions.set_pending(
        ticket=ticket, actor=alice, reason=PendingReason.objects.get(code="customer")
    )

    ingest(raw=message(sender=bob.email, subject=f"Re: [#{ticket.pk}]"), mailbox=mailbox)

    ticket.refresh_from_db()
    assert ticket.status != Status.PENDING


def test_a_message_costs_a_bounded_number_of_queries(bob, mailbox, django_assert_max_num_queries):
    ticket = _bob_ticket(bob, mailbox)  # warms the process's reference data

    with django_assert_max_num_queries(16):
        ingest(raw=message(sender=bob.email, subject="New one"), mailbox=mailbox)
    with django_assert_max_num_queries(18):
        ingest(raw=message(sender=bob.email, subject=f"Re: [#{ticket.pk}]"), mailbox=mailbox)
