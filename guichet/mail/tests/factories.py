"""Mailboxes and messages for the mail room's tests."""

import itertools
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from django.utils import timezone

from guichet.mail.models import Mailbox

_seq = itertools.count(1)


def make_mailbox(name: str = "support", **fields) -> Mailbox:
    fields.setdefault("address", f"{name}@desk.test")
    fields.setdefault("is_default", not Mailbox.objects.filter(is_default=True).exists())
    return Mailbox.objects.create(name=name, **fields)


def message(
    *,
    sender: str = "bob@example.test",
    to: str = "support@desk.test",
    subject: str = "The printer is broken",
    text: str = "It prints blank pages since this morning.",
    message_id: str | None = None,
    in_reply_to: str = "",
    references: str = "",
    headers: dict | None = None,
    attachments: list[tuple[str, str, bytes]] = (),  # type: ignore[assignment]
) -> bytes:
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = to
    mail["Subject"] = subject
    mail["Date"] = format_datetime(timezone.now())
    mail["Message-ID"] = message_id or make_msgid(f"m{next(_seq)}", domain="client.test")
    if in_reply_to:
        mail["In-Reply-To"] = in_reply_to
    if references:
        mail["References"] = references
    for name, value in (headers or {}).items():
        mail[name] = value
    mail.set_content(text)
    for filename, content_type, data in attachments:
        maintype, subtype = content_type.split("/", 1)
        mail.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return mail.as_bytes()
