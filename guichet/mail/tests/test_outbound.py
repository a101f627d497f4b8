"""Outgoing mail, sent over real SMTP: who is told what, in which language, with which
headers; links that work without a password; retries; preferences."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from guichet.accounts.tests.factories import make_user
from guichet.mail import links
from guichet.mail.actions import admin, outbound
from guichet.mail.actions.ingest import ingest
from guichet.mail.choices import Delivery, MailKind, Outcome
from guichet.mail.models import OutboundMessage
from guichet.mail.tests.factories import make_mailbox, message
from guichet.tickets import actions
from guichet.tickets.choices import Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def mailbox(support_team):
    return make_mailbox(team=support_team, address="support@desk.test")


def _send_all() -> list[str]:
    return [
        outbound.send(pk)
        for pk in OutboundMessage.objects.order_by("pk").values_list("pk", flat=True)
    ]


def _phone_ticket(alice, bob):
    return actions.open_ticket(actor=alice, requester=bob, title="VPN down", description="x")


def test_a_new_ticket_is_acknowledged_to_the_requester_over_smtp(
    smtp_settings, alice, bob, mailbox
):
    ticket = _phone_ticket(alice, bob)

    assert _send_all() == [Delivery.SENT]

    received = smtp_settings.wait_for(1)[0]
    mail = received.message
    row = OutboundMessage.objects.get()
    assert received.rcpt_tos == [bob.email]
    assert mail["Subject"].startswith(f"[#{ticket.pk}] ")
    assert mail["Message-ID"] == row.message_id
    assert mail["Reply-To"] == "support@desk.test"
    assert mail["Auto-Submitted"] == "auto-generated"
    assert mail["X-Auto-Response-Suppress"] == "All"
    assert mail.get_content_type() == "multipart/alternative"
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    assert f"#{ticket.pk}" in text and f"#{ticket.pk}" in html
    assert mail["Content-Language"] == "en"


def test_mail_goes_out_in_the_recipients_language(smtp_settings, alice, acme, mailbox):
    french = make_user("francoise", organisation=acme, language="fr")
    english = make_user("emily", organisation=acme, language="en")
    _phone_ticket(alice, french)
    _phone_ticket(alice, english)

    _send_all()

    by_recipient = {m.rcpt_tos[0]: m.message for m in smtp_settings.wait_for(2)}
    fr = by_recipient[french.email].get_body(("plain",)).get_content()
    en = by_recipient[english.email].get_body(("plain",)).get_content()
    assert "Bonjour" in fr and "Bonjour" not in en


def test_the_queue_is_sent_by_the_worker_after_commit(
    alice, bob, mailbox, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True):
        _phone_ticket(alice, bob)

    row = OutboundMessage.objects.get()
    task = DBTaskResult.objects.get(task_path="guichet.mail.tasks.send")
    assert task.args_kwargs["args"] == [row.pk]


def test_a_public_reply_reaches_the_requester_and_watchers_but_not_its_author(
    alice, bob, acme, mailbox
):
    watcher = make_user("watcher", organisation=acme)
    ticket = _phone_ticket(alice, bob)
    actions.add_watcher(ticket=ticket, actor=alice, user=watcher)
    OutboundMessage.objects.all().delete()

    actions.add_followup(ticket=ticket, actor=alice, body="Please restart the box.")
    actions.add_followup(ticket=ticket, actor=alice, body="secret", internal=True)

    replies = OutboundMessage.objects.filter(kind=MailKind.REPLY)
    assert sorted(r.to for r in replies) == sorted([bob.email, watcher.email])
    assert all(r.context["message"] == "Please restart the box." for r in replies)


def test_replies_thread_under_the_message_that_opened_the_ticket(
    smtp_settings, alice, bob, mailbox
):
    raw = message(sender=bob.email, message_id="<root@client.test>")
    ticket = ingest(raw=raw, mailbox=mailbox).message.ticket
    actions.add_followup(ticket=ticket, actor=alice, body="On it.")

    _send_all()

    ack, reply = (m.message for m in smtp_settings.wait_for(2))
    assert ack["In-Reply-To"] == "<root@client.test>"
    assert ack["References"].split()[0] == "<root@client.test>"
    assert reply["References"].split()[0] == "<root@client.test>"
    assert ack["Message-ID"] in reply["References"]


def test_an_answer_to_a_sent_mail_comes_back_onto_its_ticket(smtp_settings, alice, bob, mailbox):
    ticket = _phone_ticket(alice, bob)
    _send_all()
    sent = smtp_settings.wait_for(1)[0].message

    answer = message(
        sender=bob.email,
        subject=f"Re: {sent['Subject']}",
        in_reply_to=sent["Message-ID"],
        references=sent["Message-ID"],
        text="It works again, thanks!",
    )
    result = ingest(raw=answer, mailbox=mailbox)

    assert result.message.outcome == Outcome.FOLLOWUP and result.message.ticket == ticket


def test_the_solution_mail_links_accept_without_a_password(client, alice, bob, mailbox):
    ticket = _phone_ticket(alice, bob)
    actions.solve(ticket=ticket, actor=alice, solution="Replaced the **toner**.")

    mail = OutboundMessage.objects.get(kind=MailKind.SOLUTION)
    accept = mail.context["accept_url"].split("8000", 1)[-1].replace("http://testserver", "")
    page = client.get(accept)
    assert page.status_code == 200 and b"toner" in page.content
    ticket.refresh_from_db()
    assert ticket.status == Status.SOLVED  # looking is not answering (mail scanners follow links)

    done = client.post(accept.split("?")[0], {"answer": "accept"})

    assert done.status_code == 200
    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED
    assert OutboundMessage.objects.filter(kind=MailKind.CLOSURE, to=bob.email).exists()


def _path(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).path


def test_the_refuse_link_needs_a_reason_and_reopens(client, alice, bob, mailbox):
    ticket = _phone_ticket(alice, bob)
    actions.solve(ticket=ticket, actor=alice, solution="Rebooted.")
    url = _path(OutboundMessage.objects.get(kind=MailKind.SOLUTION).context["refuse_url"])

    assert client.post(url, {"answer": "refuse", "reason": ""}).status_code == 400
    assert client.post(url, {"answer": "refuse", "reason": "Still down"}).status_code == 200

    ticket.refresh_from_db()
    assert ticket.status != Status.SOLVED and ticket.reopen_count == 1


def test_a_solution_link_dies_when_the_ticket_moves_on(client, alice, bob, mailbox):
    ticket = _phone_ticket(alice, bob)
    actions.solve(ticket=ticket, actor=alice, solution="One")
    old = _path(OutboundMessage.objects.get(kind=MailKind.SOLUTION).context["accept_url"])
    actions.reopen(ticket=ticket, actor=alice, reason="not yet")
    actions.solve(
        ticket=ticket, actor=alice, solution="Two", at=timezone.now() + timedelta(seconds=2)
    )

    assert client.get(old).status_code == 410
    assert client.post(old, {"answer": "accept"}).status_code == 410
    ticket.refresh_from_db()
    assert ticket.status == Status.SOLVED


def test_forged_and_expired_links_are_refused(client, alice, bob, mailbox, settings):
    ticket = actions.solve(ticket=_phone_ticket(alice, bob), actor=alice, solution="One")
    url = _path(OutboundMessage.objects.get(kind=MailKind.SOLUTION).context["accept_url"])

    assert client.get(url[:-3] + "xx/").status_code == 410
    forged = links.token("solution", ticket_id=ticket.pk, user_id=alice.pk, moment=ticket.solved_at)
    assert client.get(f"/mail/answer/{forged}/").status_code == 410  # not the requester
    assert client.get(url).status_code == 200
    settings.MAIL_LINK_DAYS = 0  # every link is now older than its lifetime
    time.sleep(1.1)
    assert client.get(url).status_code == 410


def test_the_closure_mail_asks_for_a_rating_once(client, alice, bob, mailbox):
    ticket = _phone_ticket(alice, bob)
    actions.solve(ticket=ticket, actor=alice, solution="Done")
    actions.close(ticket=ticket, actor=alice)
    url = _path(OutboundMessage.objects.get(kind=MailKind.CLOSURE).context["satisfaction_url"])

    assert client.get(url).status_code == 200
    assert client.post(url, {"score": "9"}).status_code == 400
    assert client.post(url, {"score": "5", "comment": "Quick"}).status_code == 200

    ticket.refresh_from_db()
    assert ticket.satisfaction == 5
    assert b"5" in client.get(url).content


def test_staff_notifications_are_mailed_unless_turned_off(alice, bob, sam, mailbox, support_team):
    ticket = _phone_ticket(sam, bob)

    actions.assign(ticket=ticket, actor=sam, assignee=alice)
    assert OutboundMessage.objects.filter(kind=MailKind.ASSIGNED, to=alice.email).exists()

    admin.set_preferences(user=alice, offered={MailKind.ASSIGNED}, wanted=set())
    actions.assign(ticket=ticket, actor=sam, assignee=None)
    actions.assign(ticket=ticket, actor=sam, assignee=alice)
    assert OutboundMessage.objects.filter(kind=MailKind.ASSIGNED).count() == 1


def test_a_requester_who_turned_acknowledgements_off_gets_none(alice, bob, mailbox):
    admin.set_preferences(
        user=bob, offered={MailKind.ACKNOWLEDGEMENT, MailKind.REPLY}, wanted={MailKind.REPLY}
    )

    ticket = _phone_ticket(alice, bob)
    actions.add_followup(ticket=ticket, actor=alice, body="Hello")

    assert list(OutboundMessage.objects.values_list("kind", flat=True)) == [MailKind.REPLY]


def test_a_refused_send_is_retried_with_backoff_then_given_up(smtp_settings, alice, bob, mailbox):
    _phone_ticket(alice, bob)
    row = OutboundMessage.objects.get()
    smtp_settings.fail_next(outbound.MAX_ATTEMPTS)
    now = timezone.now()

    assert outbound.send(row.pk, now=now) == Delivery.QUEUED
    row.refresh_from_db()
    assert row.attempts == 1 and "451" in row.last_error
    assert row.next_attempt_at == now + timedelta(minutes=outbound.BACKOFF_MINUTES[0])
    assert outbound.send(row.pk, now=now) == Delivery.QUEUED  # not due yet: untouched
    row.refresh_from_db()
    assert row.attempts == 1

    later = now
    for minutes in outbound.BACKOFF_MINUTES:
        later += timedelta(minutes=minutes)
        outbound.send_due(now=later)
    row.refresh_from_db()
    assert row.status == Delivery.FAILED and row.attempts == outbound.MAX_ATTEMPTS

    outbound.resend(message=row)
    assert outbound.send(row.pk) == Delivery.SENT
    assert len(smtp_settings.wait_for(1)) == 1


def test_an_administrators_wording_applies_to_mail_still_waiting(
    smtp_settings, alice, bob, root, mailbox
):
    _phone_ticket(alice, bob)
    admin.save_template(
        actor=root,
        kind=MailKind.ACKNOWLEDGEMENT,
        language="en",
        subject="We have it: {{ ticket.title }}",
        body="Hi {{ recipient.name }}, ticket {{ ticket.reference }} <b>noted</b>.",
    )

    _send_all()

    mail = smtp_settings.wait_for(1)[0].message
    assert "We have it: VPN down" in mail["Subject"]
    assert "&lt;b&gt;noted" in mail.get_body(("html",)).get_content()


def test_the_desk_never_mails_its_own_mailboxes(alice, acme, mailbox):
    loop = make_user("loop", organisation=acme, email="SUPPORT@desk.test")

    _phone_ticket(alice, loop)

    assert not OutboundMessage.objects.exists()
