"""Outgoing mail: queued inside the transaction of what caused it, sent by the worker after
that transaction commits, retried with backoff, and kept (its Message-ID threads replies).
"""

import logging
import uuid
from datetime import datetime, timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.accounts.models import User
from guichet.lib.errors import Conflict
from guichet.mail import queries
from guichet.mail.choices import Delivery
from guichet.mail.models import InboundMessage, Mailbox, MailPreference, MailTemplate
from guichet.mail.models import OutboundMessage as Outbound
from guichet.tickets.choices import Channel
from guichet.tickets.models import Ticket

logger = logging.getLogger("guichet.mail")

# Minutes to wait after the 1st, 2nd... failed attempt; after the last, the mail has failed.
BACKOFF_MINUTES = (1, 5, 15, 60, 180, 360)
MAX_ATTEMPTS = len(BACKOFF_MINUTES) + 1
# A claimed mail not reported sent within this time (a worker died) may be taken again.
SENDING_LEASE = timedelta(minutes=10)
THREAD_DEPTH = 10


def opted_out(user: User, kind: str) -> bool:
    return MailPreference.objects.filter(user=user, kind=kind).exists()


def queue_for_user(
    *,
    kind: str,
    user: User,
    ticket: Ticket | None = None,
    mailbox: Mailbox | None = None,
    context: dict | None = None,
    in_reply_to: str = "",
    auto_submitted: str = "auto-generated",
    at: datetime | None = None,
) -> Outbound | None:
    """Mail `user` unless they have no address, left, or chose not to get this kind."""
    if not user.email or not user.is_active or opted_out(user, kind):
        return None
    return queue_to_address(
        kind=kind,
        to=user.email,
        recipient=user,
        language=user.language or settings.LANGUAGE_CODE,
        ticket=ticket,
        mailbox=mailbox,
        context=context,
        in_reply_to=in_reply_to,
        auto_submitted=auto_submitted,
        at=at,
    )


def queue_to_address(
    *,
    kind: str,
    to: str,
    language: str,
    recipient: User | None = None,
    ticket: Ticket | None = None,
    mailbox: Mailbox | None = None,
    context: dict | None = None,
    in_reply_to: str = "",
    auto_submitted: str = "auto-generated",
    at: datetime | None = None,
) -> Outbound | None:
    at = at or timezone.now()
    to = to.strip()
    if not to or "@" not in to or "\n" in to or "\r" in to:
        return None
    if to.lower() in queries.mailbox_addresses():
        return None  # never mail one of the desk's own mailboxes: that is how loops start
    mailbox = mailbox or ticket_mailbox(ticket) or queries.default_mailbox()
    reply_to = mailbox.address if mailbox else ""
    message = Outbound.objects.create(
        message_id=new_message_id(reply_to, ticket),
        kind=kind,
        ticket=ticket,
        recipient=recipient,
        to=to[:255],
        from_address=settings.DEFAULT_FROM_EMAIL,
        reply_to=reply_to,
        context=_context(ticket, recipient, language) | (context or {}),
        language=language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE,
        in_reply_to=in_reply_to,
        auto_submitted=auto_submitted,
        created_at=at,
        next_attempt_at=at,
    )
    transaction.on_commit(lambda: _enqueue(message.pk))
    return message


def _enqueue(pk: int) -> None:
    from guichet.mail.tasks import send

    send.enqueue(pk)


def new_message_id(address: str, ticket: Ticket | None) -> str:
    domain = (parseaddr(address)[1] or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]).rsplit("@")[-1]
    return f"<guichet.{ticket.pk if ticket else 0}.{uuid.uuid4().hex}@{domain or 'guichet'}>"


def ticket_mailbox(ticket: Ticket | None) -> Mailbox | None:
    """The mailbox a ticket came in on: replies go back there."""
    if ticket is None or ticket.channel != Channel.EMAIL:
        return None
    first = (
        InboundMessage.objects.filter(ticket=ticket, mailbox__isnull=False)
        .order_by("id")
        .select_related("mailbox")
        .first()
    )
    return first.mailbox if first else None


def _context(ticket: Ticket | None, recipient: User | None, language: str) -> dict:
    from django.utils.translation import override

    from guichet.mail.context import ticket_context

    with override(language):
        return ticket_context(ticket, recipient)


# --- Sending (the worker) -------------------------------------------------------------------


def _claim(pk: int, now: datetime) -> bool:
    """Take this mail, or learn that another worker already has it."""
    # A mail "sending" past its lease was claimed by a worker that died.
    taken = Outbound.objects.filter(
        pk=pk, status__in=(Delivery.QUEUED, Delivery.SENDING), next_attempt_at__lte=now
    ).update(status=Delivery.SENDING, next_attempt_at=now + SENDING_LEASE)
    return taken == 1


def send(pk: int, *, now: datetime | None = None) -> str:
    """Send one queued mail; returns its status afterwards."""
    now = now or timezone.now()
    if not _claim(pk, now):
        return Outbound.objects.filter(pk=pk).values_list("status", flat=True).first() or ""
    message = Outbound.objects.get(pk=pk)
    if not message.text:
        _render(message)
    try:
        build(message).send()
    except Exception as error:  # SMTP refusals, timeouts, DNS: retried with backoff
        return _failed(message, error, now)
    message.status = Delivery.SENT
    message.sent_at = timezone.now()
    message.attempts += 1
    message.last_error = ""
    message.next_attempt_at = None
    message.save(update_fields=["status", "sent_at", "attempts", "last_error", "next_attempt_at"])
    return message.status


def _failed(message: Outbound, error: Exception, now: datetime) -> str:
    message.attempts += 1
    message.last_error = f"{type(error).__name__}: {error}"[:2000]
    if message.attempts >= MAX_ATTEMPTS:
        message.status = Delivery.FAILED
        message.next_attempt_at = None
        logger.warning("Mail %s to %s failed for good: %s", message.pk, message.to, error)
    else:
        message.status = Delivery.QUEUED
        wait = BACKOFF_MINUTES[message.attempts - 1]
        message.next_attempt_at = now + timedelta(minutes=wait)
    message.save(update_fields=["status", "attempts", "last_error", "next_attempt_at"])
    return message.status


def _render(message: Outbound) -> None:
    from guichet.mail.render import render

    override = (
        MailTemplate.objects.filter(kind=message.kind, language=message.language)
        .values_list("subject", "body")
        .first()
    )
    reference = f"#{message.ticket_id}" if message.ticket_id else ""
    rendered = render(
        message.kind, message.language, message.context, reference=reference, override=override
    )
    message.subject = rendered.subject[:255]
    message.text = rendered.text
    message.html = rendered.html
    message.references = " ".join(_thread(message))
    message.save(update_fields=["subject", "text", "html", "references"])


def _thread(message: Outbound) -> list[str]:
    """References: the ticket's first message, then the latest ones, ending with the one
    answered (RFC 5322 §3.6.4), so every client files the mail in the ticket's thread."""
    if not message.ticket_id:
        return [message.in_reply_to] if message.in_reply_to else []
    ids = list(
        InboundMessage.objects.filter(ticket_id=message.ticket_id)
        .exclude(message_id__endswith="@no-message-id.invalid>")
        .order_by("id")
        .values_list("message_id", flat=True)[:1]
    )
    latest = list(
        Outbound.objects.filter(ticket_id=message.ticket_id, id__lt=message.pk)
        .order_by("-id")
        .values_list("message_id", flat=True)[:THREAD_DEPTH]
    )
    ids += reversed(latest)
    if message.in_reply_to:
        ids.append(message.in_reply_to)
    seen: list[str] = []
    for reference in ids:
        if reference not in seen:
            seen.append(reference)
    if message.in_reply_to in seen:  # the message answered goes last
        seen.remove(message.in_reply_to)
        seen.append(message.in_reply_to)
    return seen


def build(message: Outbound) -> EmailMultiAlternatives:
    headers = {
        "Message-ID": message.message_id,
        "Auto-Submitted": message.auto_submitted,
        # Exchange and others: no out-of-office answers to our notifications.
        "X-Auto-Response-Suppress": "All",
        "Content-Language": message.language,
    }
    if message.in_reply_to:
        headers["In-Reply-To"] = message.in_reply_to
    if message.references:
        headers["References"] = message.references
    if message.ticket_id:
        headers["X-Guichet-Ticket"] = str(message.ticket_id)
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.text,
        from_email=message.from_address,
        to=[message.to],
        reply_to=[message.reply_to] if message.reply_to else None,
        headers=headers,
        connection=get_connection(timeout=settings.EMAIL_TIMEOUT),
    )
    email.attach_alternative(message.html, "text/html")
    return email


def send_due(*, now: datetime | None = None, limit: int = 500) -> int:
    """Send what is due: retries whose wait is over, and mail whose task was lost."""
    now = now or timezone.now()
    due = list(
        Outbound.objects.filter(
            status__in=(Delivery.QUEUED, Delivery.SENDING), next_attempt_at__lte=now
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(send(pk, now=now) == Delivery.SENT for pk in due)


@transaction.atomic
def resend(*, message: Outbound, at: datetime | None = None) -> Outbound:
    """An administrator sends a failed mail again (e.g. after fixing the SMTP settings)."""
    at = at or timezone.now()
    message = Outbound.objects.select_for_update().get(pk=message.pk)
    if message.status not in (Delivery.FAILED, Delivery.QUEUED):
        raise Conflict(_("Only a failed or waiting mail can be sent again."))
    message.status = Delivery.QUEUED
    message.attempts = 0
    message.next_attempt_at = at
    message.save(update_fields=["status", "attempts", "next_attempt_at"])
    transaction.on_commit(lambda: _enqueue(message.pk))
    return message
