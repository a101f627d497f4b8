"""Administrators' screens of the mail channel: mailboxes, inbound and outgoing mail,
templates; and who may download the original of a received message."""

import socket

import pytest
from django.test import Client
from django.utils import timezone

from guichet.lib.crypto import decrypt, encrypt
from guichet.mail.actions.ingest import ingest
from guichet.mail.choices import Delivery, MailKind, Outcome
from guichet.mail.models import MB, InboundMessage, Mailbox, MailTemplate, OutboundMessage
from guichet.mail.tests.factories import make_mailbox, message
from guichet.tickets.models import Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def root_client(root):
    client = Client()
    client.force_login(root)
    return client


@pytest.fixture
def mailbox(support_team):
    return make_mailbox(team=support_team)


@pytest.fixture
def filed(bob, mailbox):
    """A message from bob that opened a ticket of Acme's."""
    return ingest(raw=message(sender=bob.email), mailbox=mailbox).message


@pytest.fixture
def held(bob, support_team):
    """A message from bob held back by his mailbox's hourly limit."""
    box = make_mailbox("storm", rate_limit=1, team=support_team)
    ingest(raw=message(sender=bob.email, subject="first"), mailbox=box)
    row = ingest(raw=message(sender=bob.email, subject="second"), mailbox=box).message
    assert row.outcome == Outcome.RATE_LIMITED
    return row


def outgoing(status: str = Delivery.FAILED, **fields) -> OutboundMessage:
    values = {
        "message_id": f"<out.{OutboundMessage.objects.count()}@desk.test>",
        "kind": MailKind.REPLY,
        "to": "bob@example.test",
        "from_address": "desk@desk.test",
        "subject": "Re: the printer",
        "text": "Hello Bob,\n\nThe printer <works> again.",
        "language": "en",
        "status": status,
        "attempts": 7,
        "last_error": "SMTPServerDisconnected: Connection unexpectedly closed",
        "created_at": timezone.now(),
    }
    return OutboundMessage.objects.create(**(values | fields))


def mailbox_post(**changes) -> dict:
    data = {
        "name": "Helpdesk",
        "address": "helpdesk@desk.test",
        "active": "on",
        "accept_unknown": "on",
        "imap_host": "imap.desk.test",
        "imap_port": "993",
        "imap_security": "ssl",
        "imap_username": "helpdesk",
        "password": "",
        "imap_folder": "INBOX",
        "imap_done_folder": "Processed",
        "max_message_mb": "25",
        "max_attachment_mb": "1.5",
        "rate_limit": "20",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- Access ------------------------------------------------------------------------------------
@pytest.fixture
def endpoints(held, mailbox):
    sent = outgoing()
    return [
        ("get", "/mail/mailboxes/"),
        ("get", "/mail/mailboxes/new/"),
        ("post", "/mail/mailboxes/new/"),
        ("get", f"/mail/mailboxes/{mailbox.pk}/"),
        ("post", f"/mail/mailboxes/{mailbox.pk}/"),
        ("post", f"/mail/mailboxes/{mailbox.pk}/test/"),
        ("get", "/mail/inbound/"),
        ("get", f"/mail/inbound/{held.pk}/"),
        ("post", f"/mail/inbound/{held.pk}/retry/"),
        ("post", f"/mail/inbound/{held.pk}/discard/"),
        ("get", "/mail/outbound/"),
        ("get", f"/mail/outbound/{sent.pk}/"),
        ("post", f"/mail/outbound/{sent.pk}/resend/"),
        ("get", "/mail/templates/"),
        ("get", "/mail/templates/reply/en/"),
        ("post", "/mail/templates/reply/en/"),
        ("post", "/mail/templates/reply/en/reset/"),
    ]


def test_every_administrators_page_answers_an_administrator(root_client, endpoints):
    for method, url in endpoints:
        if method == "get":
            response = root_client.get(url)
            assert response.status_code == 200, url
            assert response.context["nav"] == "configuration", url
            assert b'class="tabs"' in response.content, url


@pytest.mark.parametrize("who", ["alice_client", "bob_client", "charlie_client", "dave_client"])
def test_every_administrators_endpoint_refuses_anyone_else(request, who, endpoints, held):
    client = request.getfixturevalue(who)
    for method, url in endpoints:
        response = getattr(client, method)(url, mailbox_post(subject="x", body="y"))
        assert response.status_code == 403, (method, url)
    held.refresh_from_db()
    assert held.outcome == Outcome.RATE_LIMITED
    assert Mailbox.objects.count() == 2 and not MailTemplate.objects.exists()


def test_every_endpoint_sends_a_stranger_to_sign_in(endpoints, held):
    client = Client()
    for method, url in [*endpoints, ("get", f"/mail/messages/{held.pk}/raw/")]:
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    assert "/accounts/login/" in client.get("/mail/preferences/")["Location"]


def test_actions_take_only_posts(root_client, held):
    assert root_client.get(f"/mail/inbound/{held.pk}/retry/").status_code == 405
    assert root_client.get(f"/mail/inbound/{held.pk}/discard/").status_code == 405


def test_the_configuration_tabs_lead_to_the_mail_screens(root_client):
    response = root_client.get("/mail/inbound/")

    for url in ("/mail/mailboxes/", "/mail/inbound/", "/mail/outbound/", "/mail/templates/"):
        assert f'href="{url}"'.encode() in response.content
    assert b'href="/mail/inbound/" aria-current="page"' in response.content


# --- Mailboxes ---------------------------------------------------------------------------------
def test_the_list_shows_each_mailbox_with_its_state(root_client, mailbox):
    make_mailbox(
        "sales", imap_host="imap.sales.test", imap_username="s", last_error="Login refused."
    )

    response = root_client.get("/mail/mailboxes/")

    body = response.content.decode()
    assert "support@desk.test" in body and "Support N1" in body and "pipe only" in body
    assert "imap.sales.test:993" in body and "never" in body
    assert "Error:</strong> Login refused." in body


def test_it_creates_a_mailbox_with_sizes_in_mb_and_an_encrypted_password(root_client, support_team):
    response = root_client.post(
        "/mail/mailboxes/new/",
        mailbox_post(password="s3cret-imap", team=support_team.pk, is_default="on"),
    )

    assert response.status_code == 302
    saved = Mailbox.objects.get(name="Helpdesk")
    assert saved.team == support_team and saved.is_default and saved.imap_done_folder == "Processed"
    assert saved.max_message_bytes == 25 * MB and saved.max_attachment_bytes == 1572864
    assert saved.imap_password != "s3cret-imap" and decrypt(saved.imap_password) == "s3cret-imap"


def test_the_password_is_never_shown_and_blank_keeps_it(root_client):
    saved = make_mailbox(
        imap_host="imap.desk.test", imap_username="u", imap_password=encrypt("pw-42")
    )
    url = f"/mail/mailboxes/{saved.pk}/"

    page = root_client.get(url).content.decode()
    assert "pw-42" not in page and saved.imap_password not in page
    assert 'name="password"' in page and "A password is stored" in page
    assert "Clear the stored password" in page
    assert 'value="25"' in page  # the size in MB

    response = root_client.post(url, mailbox_post(name="support", address="support@desk.test"))

    assert response.status_code == 302
    saved.refresh_from_db()
    assert decrypt(saved.imap_password) == "pw-42" and saved.imap_host == "imap.desk.test"


def test_a_typed_password_is_not_sent_back_when_the_form_has_errors(root_client, mailbox):
    response = root_client.post(
        f"/mail/mailboxes/{mailbox.pk}/", mailbox_post(password="typed-pw", imap_port="70000")
    )

    assert response.status_code == 400
    assert b"typed-pw" not in response.content


def test_the_checkbox_clears_the_password(root_client):
    saved = make_mailbox(imap_host="imap.desk.test", imap_username="u", imap_password=encrypt("pw"))

    response = root_client.post(
        f"/mail/mailboxes/{saved.pk}/",
        mailbox_post(name="support", address="support@desk.test", clear_password="on"),
    )

    assert response.status_code == 302
    saved.refresh_from_db()
    assert saved.imap_password == ""
    page = root_client.get(f"/mail/mailboxes/{saved.pk}/").content.decode()
    assert "Clear the stored password" not in page and "No password is stored" in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"imap_port": "70000"}, "imap_port", "Must be a port number from 1 to 65535."),
        ({"imap_username": ""}, "imap_username", "An IMAP server needs a user."),
        ({"name": "support"}, "name", "A mailbox with this name exists."),
        ({"address": "not-an-address"}, "address", "valid email address"),
        ({"max_message_mb": "0"}, "max_message_mb", "0.01"),
        ({"password": "x", "clear_password": "on"}, "password", "not both"),
    ],
)
def test_bad_values_are_shown_next_to_their_field_and_nothing_is_saved(
    root_client, mailbox, changes, field, message
):
    saved = make_mailbox(
        "other", imap_host="imap.desk.test", imap_username="u", imap_password=encrypt("pw")
    )

    response = root_client.post(f"/mail/mailboxes/{saved.pk}/", mailbox_post(**changes))

    assert response.status_code == 400
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    assert f'href="#id_{field}"'.encode() in response.content  # the summary leads to it
    saved.refresh_from_db()
    assert saved.name == "other" and saved.imap_port == 993 and decrypt(saved.imap_password) == "pw"


def test_a_connection_test_to_an_unreachable_server_shows_why(root_client):
    saved = make_mailbox(
        imap_host="127.0.0.1", imap_port=closed_port(), imap_security="none", imap_username="u"
    )

    response = root_client.post(f"/mail/mailboxes/{saved.pk}/test/", follow=True)

    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    assert len(shown) == 1 and shown[0].startswith("The connection failed: ")


def test_a_connection_test_counts_the_messages_waiting(root_client, monkeypatch):
    from guichet.mail import imap

    seen = []
    monkeypatch.setattr(imap, "check", lambda settings: seen.append(settings) or 3)
    saved = make_mailbox(imap_host="imap.desk.test", imap_username="u", imap_password=encrypt("pw"))

    response = root_client.post(f"/mail/mailboxes/{saved.pk}/test/", follow=True)

    assert [str(m) for m in response.context["messages"]] == [
        "The connection works: 3 messages waiting."
    ]
    assert seen[0].host == "imap.desk.test" and seen[0].password == "pw"


def test_a_piped_mailbox_has_nothing_to_test(root_client, mailbox):
    response = root_client.post(f"/mail/mailboxes/{mailbox.pk}/test/", follow=True)

    assert "nothing to test" in str(list(response.context["messages"])[0])


# --- Inbound mail ------------------------------------------------------------------------------
def test_the_inbound_list_shows_what_needs_an_administrator_by_default(root_client, filed, held):
    response = root_client.get("/mail/inbound/")

    shown = list(response.context["page_obj"])
    assert held in shown and filed not in shown
    assert {row.outcome for row in shown} == {Outcome.RATE_LIMITED}
    body = response.content.decode()
    assert "Held back (too many messages from this sender)" in body and "second" in body

    everything = root_client.get("/mail/inbound/?show=all")
    assert filed in list(everything.context["page_obj"])
    assert f'href="/tickets/{filed.ticket_id}/"'.encode() in everything.content

    tickets_only = root_client.get("/mail/inbound/?show=ticket")
    assert held not in list(tickets_only.context["page_obj"])


def test_the_inbound_list_pages_without_a_query_per_row(
    root_client, mailbox, filed, django_assert_max_num_queries
):
    now = timezone.now()
    InboundMessage.objects.bulk_create(
        InboundMessage(
            mailbox=mailbox,
            message_id=f"<bulk{n}@client.test>",
            sender=f"sender{n}@client.test",
            subject=f"Subject {n}",
            outcome=Outcome.QUARANTINED if n % 2 else Outcome.TICKET,
            ticket_id=None if n % 2 else filed.ticket_id,
            reason="No sender address." * 20,
            raw="mail/xx/bulk.eml",
            received_at=now,
        )
        for n in range(60)
    )

    with django_assert_max_num_queries(8):
        response = root_client.get("/mail/inbound/?show=all")

    assert len(response.context["page_obj"]) == 50
    assert response.context["page_obj"][0].subject == "Subject 59"  # newest first
    assert b"page=2" in response.content
    second = root_client.get("/mail/inbound/?show=all&page=2")
    assert len(second.context["page_obj"]) == 11


def test_the_detail_shows_the_headers_and_the_text_escaped(root_client, mailbox):
    raw = message(
        sender="Eve <eve@client.test>",
        subject="<b>Bold</b> claim",
        text="<script>alert('x')</script> please",
        message_id="<detail@client.test>",
    )
    row = ingest(raw=raw, mailbox=make_mailbox("strict", accept_unknown=False)).message

    response = root_client.get(f"/mail/inbound/{row.pk}/")

    body = response.content.decode()
    assert "Refused (unknown sender)" in body
    assert "Eve &lt;eve@client.test&gt;" in body and "&lt;detail@client.test&gt;" in body
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; please" in body
    assert "<script>alert" not in body and "<b>Bold</b>" not in body
    assert f'href="/mail/messages/{row.pk}/raw/"' in body
    assert "Process again" in body and "Discard" in body


def test_an_unreadable_message_says_why_on_its_page(root_client, mailbox):
    row = ingest(raw=b"\x00\xff garbage\r\n\r\n", mailbox=mailbox).message

    response = root_client.get(f"/mail/inbound/{row.pk}/")

    assert response.status_code == 200
    assert b"The message cannot be read: no sender address" in response.content


def test_a_message_whose_original_is_lost_still_has_a_page(root_client, mailbox):
    row = ingest(raw=message(), mailbox=make_mailbox("strict", accept_unknown=False)).message
    row.raw.storage.delete(row.raw.name)

    response = root_client.get(f"/mail/inbound/{row.pk}/")

    assert response.status_code == 200 and b"The original cannot be read" in response.content
    assert root_client.get(f"/mail/messages/{row.pk}/raw/").status_code == 404


def test_retry_turns_a_held_back_message_into_a_ticket(root_client, held):
    tickets = Ticket.objects.count()

    response = root_client.post(f"/mail/inbound/{held.pk}/retry/", follow=True)

    held.refresh_from_db()
    assert held.outcome == Outcome.TICKET and Ticket.objects.count() == tickets + 1
    assert "processed again: Opened a ticket" in str(list(response.context["messages"])[0])
    assert b"Process again" not in response.content  # nothing left to do


def test_discard_keeps_the_message_on_record(root_client, held):
    response = root_client.post(f"/mail/inbound/{held.pk}/discard/", follow=True)

    held.refresh_from_db()
    assert held.outcome == Outcome.DISCARDED and "root" in held.reason.lower()
    assert b"Discarded by an administrator" in response.content


def test_a_refused_action_is_a_message_not_an_error(root_client, filed):
    response = root_client.post(f"/mail/inbound/{filed.pk}/discard/", follow=True)

    assert response.status_code == 200
    assert "Only a quarantined" in str(list(response.context["messages"])[0])
    filed.refresh_from_db()
    assert filed.outcome == Outcome.TICKET

    again = root_client.post(f"/mail/inbound/{filed.pk}/retry/", follow=True)
    assert "already processed" in str(list(again.context["messages"])[0])


# --- The original .eml -------------------------------------------------------------------------
def _download(client, row):
    return client.get(f"/mail/messages/{row.pk}/raw/")


def test_staff_who_may_see_the_ticket_download_the_original(alice_client, filed):
    response = _download(alice_client, filed)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == filed.raw.open("rb").read()
    assert response["Content-Type"] == "message/rfc822"
    assert response["Content-Disposition"] == f'attachment; filename="message-{filed.pk}.eml"'
    assert "no-store" in response["Cache-Control"]


def test_an_administrator_downloads_any_original(root_client, held):
    response = _download(root_client, held)

    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"From: bob@example.test")


@pytest.mark.parametrize("who", ["dave_client", "charlie_client", "bob_client"])
def test_no_one_else_learns_an_original_exists(request, who, filed):
    client = request.getfixturevalue(who)

    assert _download(client, filed).status_code == 404
    assert client.get("/mail/messages/999999/raw/").status_code == 404


def test_staff_cannot_download_a_message_filed_on_no_ticket(alice_client, held):
    assert _download(alice_client, held).status_code == 404


# --- Outgoing mail -----------------------------------------------------------------------------
def test_the_outgoing_list_shows_failed_and_waiting_mail_by_default(root_client):
    failed = outgoing()
    waiting = outgoing(Delivery.QUEUED, attempts=0, last_error="")
    sent = outgoing(Delivery.SENT, attempts=1, last_error="")

    response = root_client.get("/mail/outbound/")

    assert list(response.context["page_obj"]) == [waiting, failed]
    body = response.content.decode()
    assert "Public reply on a ticket (to the requester)" in body and "Failed" in body
    assert "SMTPServerDisconnected" in body
    assert sent in list(root_client.get("/mail/outbound/?show=all").context["page_obj"])
    assert list(root_client.get("/mail/outbound/?show=sent").context["page_obj"]) == [sent]


def test_the_outgoing_detail_shows_the_text_and_the_thread_headers(root_client):
    mail = outgoing(in_reply_to="<asked@client.test>", references="<a@x.test> <asked@client.test>")

    response = root_client.get(f"/mail/outbound/{mail.pk}/")

    body = response.content.decode()
    assert "The printer &lt;works&gt; again." in body and "<works>" not in body
    assert "&lt;asked@client.test&gt;" in body and "&lt;a@x.test&gt;" in body
    assert mail.message_id.replace("<", "&lt;").replace(">", "&gt;") in body
    assert "Send again" in body


def test_resend_puts_a_failed_mail_back_in_the_queue(root_client):
    mail = outgoing()

    response = root_client.post(f"/mail/outbound/{mail.pk}/resend/", follow=True)

    mail.refresh_from_db()
    assert mail.status == Delivery.QUEUED and mail.attempts == 0 and mail.next_attempt_at
    assert "sent again shortly" in str(list(response.context["messages"])[0])


def test_a_sent_mail_cannot_be_sent_again(root_client):
    mail = outgoing(Delivery.SENT)

    response = root_client.post(f"/mail/outbound/{mail.pk}/resend/", follow=True)

    assert b"Send again" not in response.content
    assert "Only a failed or waiting mail" in str(list(response.context["messages"])[0])
    mail.refresh_from_db()
    assert mail.status == Delivery.SENT


# --- Templates ---------------------------------------------------------------------------------
def test_the_template_list_shows_every_kind_and_language(root_client, root):
    MailTemplate.objects.create(
        kind=MailKind.SOLUTION, language="fr", subject="S", body="B", updated_by=root
    )

    response = root_client.get("/mail/templates/")

    body = response.content.decode()
    for kind in MailKind.values:
        for language in ("fr", "en"):
            assert f'href="/mail/templates/{kind}/{language}/"' in body
    assert body.count("Customised") == 1


def test_the_edit_page_starts_from_the_default_or_the_override(root_client):
    response = root_client.get("/mail/templates/solution/en/")

    assert response.context["form"]["subject"].value().startswith("A solution is proposed")
    assert b"accept_url" in response.content and b"ticket.title" in response.content

    MailTemplate.objects.create(kind="solution", language="en", subject="Mine", body="Body")
    again = root_client.get("/mail/templates/solution/en/")
    assert again.context["form"]["subject"].value() == "Mine"
    assert b"Reset to the built-in wording" in again.content


def test_an_unknown_kind_or_language_is_not_found(root_client):
    assert root_client.get("/mail/templates/nonsense/en/").status_code == 404
    assert root_client.get("/mail/templates/reply/de/").status_code == 404
    assert root_client.post("/mail/templates/reply/de/reset/").status_code == 404


def test_a_preview_renders_the_override_escaped_and_saves_nothing(root_client):
    response = root_client.post(
        "/mail/templates/reply/en/",
        {
            "subject": "About {{ ticket.title }}",
            "body": "Dear {{ recipient.name }}, <script>alert(1)</script>",
            "preview": "1",
        },
    )

    assert response.status_code == 200
    preview = response.context["preview"]
    assert preview.subject == "[#4821] About Imprimante du 2e étage hors service"
    assert preview.text == "Dear Claire Martin, <script>alert(1)</script>"
    body = response.content.decode()
    assert "Dear Claire Martin, &lt;script&gt;alert(1)&lt;/script&gt;" in body  # the text part
    assert "&amp;lt;script&amp;gt;" in body  # the HTML part, escaped again in srcdoc
    assert "<script>alert" not in body
    assert '<iframe class="mail-preview" sandbox referrerpolicy="no-referrer" srcdoc="' in body
    assert not MailTemplate.objects.exists()


def test_it_saves_a_valid_template(root_client, root):
    response = root_client.post(
        "/mail/templates/reply/fr/", {"subject": "Réponse", "body": "{{ message }}"}
    )

    assert response.status_code == 302
    saved = MailTemplate.objects.get(kind="reply", language="fr")
    assert saved.subject == "Réponse" and saved.updated_by == root


@pytest.mark.parametrize("button", [{}, {"preview": "1"}])
def test_an_invalid_template_shows_why_and_saves_nothing(root_client, button):
    response = root_client.post(
        "/mail/templates/reply/en/",
        {"subject": "Hello", "body": 'Hi {% include "x" %}', **button},
    )

    assert response.status_code == 400
    errors = response.context["form"].errors["body"]
    assert "the “include” tag is not allowed" in errors[0]
    assert b'href="#id_body"' in response.content
    assert response.context["preview"] is None
    assert not MailTemplate.objects.exists()


def test_reset_deletes_the_override(root_client):
    MailTemplate.objects.create(kind="closure", language="en", subject="S", body="B")

    response = root_client.post("/mail/templates/closure/en/reset/", follow=True)

    assert not MailTemplate.objects.exists()
    assert "built-in wording applies again" in str(list(response.context["messages"])[0])
    assert response.context["form"]["subject"].value().startswith("Your request is closed")
