"""Reading inbound mail as real clients and robots write it."""

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guichet.mail.parse import Unreadable, html_to_text, parse


def message(headers: str, body: bytes | str = "Bonjour,\n\nL'imprimante est en panne.\n") -> bytes:
    if isinstance(body, str):
        body = body.encode()
    return headers.strip().replace("\n", "\r\n").encode() + b"\r\n\r\n" + body


PLAIN = """
From: Claire Martin <Claire.Martin@cabinet-durand.example>
To: support@numeria-services.example
Subject: Imprimante HS
Message-ID: <abc@mail.example>
Content-Type: text/plain; charset=utf-8
"""


def test_it_reads_the_sender_subject_text_and_id():
    found = parse(message(PLAIN))

    assert found.sender == "claire.martin@cabinet-durand.example"
    assert found.sender_name == "Claire Martin"
    assert found.subject == "Imprimante HS"
    assert found.message_id == "<abc@mail.example>"
    assert "imprimante est en panne" in found.text
    assert found.automatic == ""
    assert found.ticket_reference is None


def test_encoded_words_in_the_subject_are_decoded():
    raw = message(PLAIN.replace("Subject: Imprimante HS", "Subject: =?utf-8?q?=C3=89cran_noir?="))

    assert parse(raw).subject == "Écran noir"


def test_windows_1252_declared_as_utf8_still_reads():
    raw = message(PLAIN, "Le réseau est coupé".encode("windows-1252"))

    assert parse(raw).text == "Le réseau est coupé"


def test_an_unknown_charset_falls_back_instead_of_failing():
    raw = message(PLAIN.replace("charset=utf-8", "charset=x-klingon"), "Déjà vu")

    assert parse(raw).text == "Déjà vu"


def test_a_reply_names_what_it_answers_and_the_ticket_in_its_subject():
    headers = PLAIN.replace("Subject: Imprimante HS", "Subject: RE: [#1234] Imprimante HS")
    headers += "In-Reply-To: <t1234.2@guichet.example>\n"
    headers += "References: <t1234.1@guichet.example> <t1234.2@guichet.example>\n"

    found = parse(message(headers))

    assert found.references == ["<t1234.2@guichet.example>", "<t1234.1@guichet.example>"]
    assert found.ticket_reference == 1234


def test_an_html_only_message_is_sanitised_to_text():
    headers = PLAIN.replace("text/plain", "text/html")
    body = "<p>Bonjour&nbsp;!</p><script>alert(1)</script><p>Le <b>VPN</b> tombe.<br>Merci</p>"

    text = parse(message(headers, body)).text

    assert "alert" not in text and "<" not in text
    assert text.splitlines()[0] == "Bonjour\xa0!"
    assert "Le VPN tombe.\nMerci" in text


def test_multipart_alternative_prefers_the_plain_text():
    headers = PLAIN.replace(
        "Content-Type: text/plain; charset=utf-8",
        'MIME-Version: 1.0\nContent-Type: multipart/alternative; boundary="b"',
    )
    body = (
        "--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nTexte brut\r\n"
        "--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>HTML</p>\r\n--b--\r\n"
    )

    assert parse(message(headers, body)).text == "Texte brut"


def test_attachments_are_kept_with_a_safe_name():
    headers = PLAIN.replace(
        "Content-Type: text/plain; charset=utf-8",
        'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b"',
    )
    body = (
        "--b\r\nContent-Type: text/plain\r\n\r\nVoir la photo\r\n"
        "--b\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n"
        'Content-Disposition: attachment; filename="../../etc/passwd.png"\r\n\r\n'
        "iVBORw0KGgo=\r\n--b--\r\n"
    )

    found = parse(message(headers, body))

    assert found.text == "Voir la photo"
    assert [(a.filename, a.content_type) for a in found.attachments] == [
        ("passwd.png", "image/png")
    ]
    assert found.attachments[0].data.startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ("Auto-Submitted: auto-replied\n", "auto-submitted"),
        ("X-Autoreply: yes\n", "auto-reply"),
        ("X-Auto-Response-Suppress: All\n", "auto-reply"),
        ("Precedence: bulk\n", "bulk"),
        ("List-Id: <users.lists.example>\n", "list"),
    ],
)
def test_machines_are_recognised(extra, expected):
    assert parse(message(PLAIN + extra)).automatic == expected


def test_a_bounce_is_recognised():
    headers = PLAIN.replace(
        "From: Claire Martin <Claire.Martin@cabinet-durand.example>",
        "From: Mail Delivery System <MAILER-DAEMON@mx.example>",
    ).replace(
        "Content-Type: text/plain; charset=utf-8",
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b"',
    )
    body = "--b\r\nContent-Type: text/plain\r\n\r\nDelivery failed\r\n--b--\r\n"

    assert parse(message(headers, body)).automatic == "bounce"


def test_auto_submitted_no_is_a_person():
    assert parse(message(PLAIN + "Auto-Submitted: no\n")).automatic == ""


def test_a_message_without_id_gets_the_same_id_each_time():
    raw = message(PLAIN.replace("Message-ID: <abc@mail.example>\n", ""))

    assert parse(raw).message_id == parse(raw).message_id
    assert parse(raw).message_id.endswith("@no-message-id.invalid>")


def test_eight_bit_bytes_in_headers_do_not_stop_the_reading():
    raw = message(PLAIN).replace(b"Subject: Imprimante HS", "Subject: Problème réseau".encode())

    found = parse(raw)

    assert "r" in found.subject and found.sender.endswith("cabinet-durand.example")


def test_a_message_without_sender_is_unreadable():
    with pytest.raises(Unreadable):
        parse(message("To: support@example.com\nSubject: x"))


def test_html_to_text_keeps_lines():
    assert html_to_text("<div>a</div><div>b</div>") == "a\nb"


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_are_read_or_refused_cleanly(raw):
    with contextlib.suppress(Unreadable):
        parse(raw)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300), st.text(max_size=300))
def test_any_subject_and_body_are_read(subject, body):
    safe = subject.replace("\r", " ").replace("\n", " ")
    raw = message(PLAIN.replace("Imprimante HS", "x"), body).replace(
        b"Subject: x", b"Subject: " + safe.encode("utf-8", errors="replace")
    )
    try:
        found = parse(raw)
    except Unreadable:
        return
    assert found.sender == "claire.martin@cabinet-durand.example"
