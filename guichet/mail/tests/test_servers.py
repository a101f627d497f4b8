"""The test servers themselves: what the other mail tests rely on."""

import smtplib

import pytest
from django.core.mail import send_mail

from guichet.mail.imap import check, open_session
from guichet.mail.tests import servers
from guichet.mail.tests.servers import Dovecot, SmtpServer


def send(server: SmtpServer, subject: str = "Hello") -> None:
    raw = (
        f"From: a@example.com\r\nTo: b@example.com\r\nSubject: {subject}\r\n"
        "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n"
        "\r\nBody é\r\n"
    )
    with smtplib.SMTP(server.host, server.port, timeout=10) as client:
        client.sendmail("a@example.com", ["b@example.com", "c@example.com"], raw.encode())


def test_the_smtp_server_captures_messages(smtp_server: SmtpServer) -> None:
    send(smtp_server)

    [received] = smtp_server.wait_for(1)
    assert received.mail_from == "a@example.com"
    assert received.rcpt_tos == ["b@example.com", "c@example.com"]
    assert received.message["Subject"] == "Hello"
    assert received.message.get_content().strip() == "Body é"
    assert received.raw.startswith(b"From: a@example.com\r\n")


def test_the_smtp_server_starts_empty_for_each_test(smtp_server: SmtpServer) -> None:
    assert smtp_server.messages == []


def test_the_smtp_server_refuses_when_asked(smtp_server: SmtpServer) -> None:
    smtp_server.fail_next(1)

    with pytest.raises(smtplib.SMTPDataError) as error:
        send(smtp_server, "First")
    send(smtp_server, "Second")

    assert error.value.smtp_code == 451
    assert [m.message["Subject"] for m in smtp_server.wait_for(1)] == ["Second"]
    assert smtp_server.refused == 1


def test_the_smtp_server_can_refuse_for_good(smtp_server: SmtpServer) -> None:
    smtp_server.fail_next(2, code=550)

    for _attempt in range(2):
        with pytest.raises(smtplib.SMTPDataError, match="550"):
            send(smtp_server)
    assert smtp_server.messages == []


def test_waiting_for_mail_that_never_comes_fails_clearly(smtp_server: SmtpServer) -> None:
    with pytest.raises(AssertionError, match="expected 1 message"):
        smtp_server.wait_for(1, timeout=0.1)


def test_django_sends_to_the_smtp_server(smtp_settings: SmtpServer) -> None:
    send_mail("Ticket", "Bonjour", "support@example.com", ["claire@example.com"])

    [received] = smtp_settings.wait_for(1)
    assert received.rcpt_tos == ["claire@example.com"]
    assert received.message["Subject"] == "Ticket"


def test_delivered_mail_is_seen_by_dovecot(dovecot: Dovecot) -> None:
    user = dovecot.new_user()
    for number in range(200):
        dovecot.deliver(user, f"Subject: {number}\r\n\r\nBody\r\n".encode())
    dovecot.deliver(user, b"Subject: elsewhere\r\n\r\nBody\r\n", folder="Old/2024")

    assert check(dovecot.settings(user)) == 200
    messages = dovecot.messages(user)
    assert messages[0] == (set(), b"Subject: 0\r\n\r\nBody\r\n")
    assert messages[-1] == (set(), b"Subject: 199\r\n\r\nBody\r\n")
    assert dovecot.messages(user, "Old/2024") == [(set(), b"Subject: elsewhere\r\n\r\nBody\r\n")]


def test_mailboxes_are_separate(dovecot: Dovecot) -> None:
    first, second = dovecot.new_user(), dovecot.new_user()
    dovecot.deliver(first, b"Subject: mine\r\n\r\nBody\r\n")

    assert check(dovecot.settings(second)) == 0
    assert dovecot.messages(second) == []
    assert dovecot.messages(first, "Missing") == []


def test_delivered_and_appended_mail_mix(dovecot: Dovecot) -> None:
    user = dovecot.new_user()
    dovecot.deliver(user, b"Subject: delivered\r\n\r\nBody\r\n")
    with open_session(dovecot.settings(user)) as session:
        session.append(b"Subject: appended\r\n\r\nBody\r\n")
    dovecot.deliver(user, b"Subject: delivered again\r\n\r\nBody\r\n")

    assert [raw.split(b"\r\n")[0] for _flags, raw in dovecot.messages(user)] == [
        b"Subject: delivered",
        b"Subject: appended",
        b"Subject: delivered again",
    ]


def test_a_missing_dovecot_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(servers.shutil, "which", lambda _name: None)
    monkeypatch.setattr(servers.os, "access", lambda _path, _mode: False)

    with pytest.raises(pytest.fail.Exception, match="scripts/system-packages.sh"):
        servers._dovecot_binary()
