"""Turn one received message into a ticket, a follow-up, or a clear reason why not.

Exactly once: the message's row (unique Message-ID) commits with the ticket it opened, so a
message read twice (fetched again after a crash, piped twice by the mail server) is recognised
the second time. Nothing lost: the raw message is stored before anything else, and a message
that cannot be read is quarantined, never dropped.
"""

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from email import policy
from email.message import Message
from email.parser import BytesHeaderParser

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from guichet.accounts.access import may_see_ticket
from guichet.accounts.actions import create_contact
from guichet.accounts.models import User
from guichet.lib import refcache
from guichet.lib.errors import Conflict, Forbidden, InvalidInput
from guichet.mail import queries
from guichet.mail.choices import MailKind, Outcome
from guichet.mail.models import InboundMessage, Mailbox
from guichet.mail.parse import SUBJECT_REFERENCE, Inbound, Unreadable, message_id, parse
from guichet.tickets import actions as tickets
from guichet.tickets.actions.conversation import _sniff_type
from guichet.tickets.choices import Channel, Status
from guichet.tickets.models import Ticket

logger = logging.getLogger("guichet.mail")

RATE_WINDOW = timedelta(hours=1)


@dataclass
class Result:
    """What `ingest` did: the message's row, and whether it was already known."""

    message: InboundMessage
    duplicate: bool = False


def message_id_of(raw: bytes) -> str:
    """The Message-ID as `parse` reads it, from the headers alone (cheap: the body of a
    duplicate is never parsed)."""
    headers: Message
    try:
        headers = BytesHeaderParser(policy=policy.default).parsebytes(raw)
    except Exception:  # headers the parser chokes on: `message_id` falls back to the hash
        headers = Message()
    return message_id(headers, raw)


def store_raw(raw: bytes) -> str:
    """Keep the original message (named by its hash: storing it twice is harmless)."""
    name = hashlib.sha256(raw).hexdigest() + ".eml"
    path = f"mail/{name[:2]}/{name}"
    if not default_storage.exists(path):
        path = default_storage.save(path, ContentFile(raw))
    return path


def ingest(*, raw: bytes, mailbox: Mailbox, at: datetime | None = None) -> Result:
    """Receive one message on `mailbox`."""
    at = at or timezone.now()
    message_id = message_id_of(raw)
    known = InboundMessage.objects.filter(message_id=message_id).first()
    if known is not None:
        return Result(known, duplicate=True)
    row = InboundMessage(
        mailbox=mailbox,
        message_id=message_id,
        raw=store_raw(raw),
        size=len(raw),
        received_at=at,
        outcome=Outcome.QUARANTINED,
    )
    try:
        # Parsed before the transaction: on SQLite the transaction holds the only write lock.
        parsed, unreadable = read(raw, mailbox)
        # Reference data (mailboxes, teams, contracts) read once for the whole message.
        with transaction.atomic(), refcache.scope():
            process(row, parsed, unreadable, mailbox, at)
    except IntegrityError:
        # Another process took this Message-ID between our read and our write.
        known = InboundMessage.objects.filter(message_id=message_id).first()
        if known is None:
            raise
        return Result(known, duplicate=True)
    except Exception as error:  # never lose a message: keep it for an administrator
        logger.exception("Mail ingestion failed for %s", message_id)
        row.pk = None  # the insert, if any, was rolled back with the rest
        quarantine(row, _("Processing failed: %(error)s") % {"error": error or type(error)})
    return Result(row)


def retry(*, message: InboundMessage, at: datetime | None = None) -> InboundMessage:
    """Process a quarantined, held back or refused message again (an administrator asked)."""
    at = at or timezone.now()
    with message.raw.open("rb") as stream:
        raw = stream.read()
    mailbox = message.mailbox or queries.default_mailbox()
    if mailbox is None:
        raise Conflict(_("There is no mailbox to receive this message on."))
    try:
        parsed, unreadable = read(raw, mailbox)
        with transaction.atomic(), refcache.scope():
            message = InboundMessage.objects.select_for_update().get(pk=message.pk)
            message.attempts += 1
            # An administrator lets it through: the sender's rate no longer applies.
            process(message, parsed, unreadable, mailbox, at, rate_limited=False)
    except Exception as error:
        logger.exception("Mail retry failed for %s", message.message_id)
        quarantine(message, _("Processing failed: %(error)s") % {"error": error or type(error)})
    return message


def quarantine(row: InboundMessage, reason: str) -> None:
    _finish(row, Outcome.QUARANTINED, reason)


def _finish(row: InboundMessage, outcome: str, reason: str = "", ticket=None, followup=None):
    row.outcome = outcome
    row.reason = reason[:2000]
    row.ticket = ticket
    row.followup = followup
    if row.pk is None:
        row.save(force_insert=True)
    else:
        row.save(
            update_fields=[
                "outcome",
                "reason",
                "ticket",
                "followup",
                "sender",
                "subject",
                "attempts",
            ]
        )


def read(raw: bytes, mailbox: Mailbox) -> tuple[Inbound | None, str]:
    """The message parsed, or why it cannot be (then it is quarantined)."""
    if len(raw) > mailbox.max_message_bytes:
        return None, _(
            "The message (%(size)s bytes) is larger than the mailbox accepts (%(limit)s)."
        ) % {"size": len(raw), "limit": mailbox.max_message_bytes}
    try:
        return parse(raw), ""
    except Unreadable as error:
        return None, _("Unreadable: %(why)s") % {"why": error}


def process(
    row: InboundMessage,
    parsed: Inbound | None,
    unreadable: str,
    mailbox: Mailbox,
    at: datetime,
    *,
    rate_limited: bool = True,
) -> None:
    """Decide what the message is and act, inside the caller's transaction."""
    if parsed is None:
        _finish(row, Outcome.QUARANTINED, unreadable)
        return
    row.sender = parsed.sender[:255]
    row.subject = parsed.subject[:255]
    if parsed.sender in queries.mailbox_addresses():
        _finish(row, Outcome.IGNORED, _("Sent from one of the desk's own addresses."))
        return
    thread_id = queries.thread_ticket_id(parsed.references) or parsed.ticket_reference
    ticket = queries.final_ticket(thread_id) if thread_id else None
    if parsed.automatic:
        # A machine wrote (out of office, bounce, list): never a ticket, never an answer.
        # It stays on record, filed beside the ticket it answers.
        _finish(row, Outcome.IGNORED, parsed.automatic, ticket=ticket)
        return
    if rate_limited and _over_rate(row, parsed, mailbox, at):
        _finish(
            row,
            Outcome.RATE_LIMITED,
            _("More than %(n)d messages from this sender within an hour.")
            % {"n": mailbox.rate_limit},
        )
        return
    contact = queries.contact_for(parsed.sender)
    if ticket is not None and contact is not None and _may_reply(contact, ticket):
        if ticket.status != Status.CLOSED:
            followup = _add_followup(ticket, contact, parsed, mailbox, at)
            _finish(row, Outcome.FOLLOWUP, ticket=ticket, followup=followup)
            return
        note = _("Follow-up to the closed ticket %(ref)s.") % {"ref": ticket.reference}
    elif ticket is not None:
        # Someone who may not see that ticket: a new ticket of their own, nothing attached.
        note = _("Answers a ticket the sender may not see; opened as a new ticket.")
    else:
        note = ""
    if contact is None:
        if not mailbox.accept_unknown:
            _finish(row, Outcome.REFUSED, _("Unknown sender; this mailbox only accepts contacts."))
            _refuse(parsed, mailbox, at)
            return
        contact = _new_contact(parsed)
    opened = _open(contact, parsed, mailbox, at, note)
    _finish(row, Outcome.TICKET, note, ticket=opened)
    _acknowledge(opened, contact, parsed, mailbox)


def _over_rate(row: InboundMessage, parsed: Inbound, mailbox: Mailbox, at: datetime) -> bool:
    if not mailbox.rate_limit:
        return False
    recent = (
        InboundMessage.objects.filter(sender=parsed.sender, received_at__gte=at - RATE_WINDOW)
        .exclude(pk=row.pk)
        .count()
    )
    return recent >= mailbox.rate_limit


def _may_reply(contact: User, ticket: Ticket) -> bool:
    """The rule of the portal (who may see the ticket), plus the people the staff added as
    watchers: a reply that names a ticket is never enough to join it."""
    return may_see_ticket(contact, ticket) or ticket.watchers.filter(pk=contact.pk).exists()


def _new_contact(parsed: Inbound) -> User:
    organisation = queries.organisation_for_domain(parsed.sender)
    return create_contact(email=parsed.sender, name=parsed.sender_name, organisation=organisation)


def _kept_files(parsed: Inbound, mailbox: Mailbox) -> tuple[list[ContentFile], list[str]]:
    """The attachments the ticket keeps, and a line for each one left in the original."""
    limit = min(mailbox.max_attachment_bytes, settings.ATTACHMENT_MAX_BYTES)
    kept, left = [], []
    for attachment in parsed.attachments:
        name = attachment.filename
        if not attachment.data:
            continue
        if len(attachment.data) > limit:
            left.append(
                _("%(name)s (%(mb).1f MB, over the %(limit).1f MB limit)")
                % {"name": name, "mb": len(attachment.data) / 2**20, "limit": limit / 2**20}
            )
        elif name.startswith(".") or _sniff_type(name, attachment.data[:512]) is None:
            left.append(_("%(name)s (this kind of file is not accepted)") % {"name": name})
        else:
            kept.append(ContentFile(attachment.data, name=name))
    return kept, left


def _text(parsed: Inbound, left: list[str], note: str = "") -> str:
    text = parsed.text.strip() or _("(no text)")
    if left:
        text += "\n\n" + _("Not kept, see the original message: %(files)s.") % {
            "files": "; ".join(left)
        }
    if note:
        text = f"{note}\n\n{text}"
    return text


def _attach(ticket: Ticket, contact: User, files: list[ContentFile], at: datetime) -> None:
    for upload in files:
        try:
            tickets.add_attachment(ticket=ticket, actor=contact, upload=upload, at=at)
        except (InvalidInput, Forbidden, Conflict) as error:
            logger.info("Attachment %s not kept on #%s: %s", upload.name, ticket.pk, error)


def _add_followup(ticket: Ticket, contact: User, parsed: Inbound, mailbox: Mailbox, at):
    files, left = _kept_files(parsed, mailbox)
    followup = tickets.add_followup(ticket=ticket, actor=contact, body=_text(parsed, left), at=at)
    _attach(ticket, contact, files, at)
    return followup


def _open(contact: User, parsed: Inbound, mailbox: Mailbox, at: datetime, note: str) -> Ticket:
    files, left = _kept_files(parsed, mailbox)
    # Another ticket's reference stays out of the new title: the new ticket's own goes first
    # in the subject of every mail about it.
    subject = " ".join(SUBJECT_REFERENCE.sub(" ", parsed.subject).split())
    title = subject or (parsed.text.strip().splitlines() or [""])[0][:120]
    with override(contact.language or settings.LANGUAGE_CODE):
        title = title or _("Message without subject")
    ticket = tickets.open_ticket(
        actor=contact,
        requester=contact,
        title=title[:250],
        description=_text(parsed, left, note),
        channel=Channel.EMAIL,
        category=mailbox.category,
        routed_to=mailbox.team,
        at=at,
    )
    _attach(ticket, contact, files, at)
    return ticket


def _acknowledge(ticket: Ticket, contact: User, parsed: Inbound, mailbox: Mailbox) -> None:
    from guichet.mail.actions.outbound import queue_for_user

    queue_for_user(
        kind=MailKind.ACKNOWLEDGEMENT,
        user=contact,
        ticket=ticket,
        mailbox=mailbox,
        in_reply_to=parsed_message_id(parsed),
        auto_submitted="auto-replied",
    )


def _refuse(parsed: Inbound, mailbox: Mailbox, at: datetime) -> None:
    """One polite answer a day per address: refusals must not feed a storm (or spam)."""
    from guichet.mail.actions.outbound import queue_to_address
    from guichet.mail.models import OutboundMessage

    if OutboundMessage.objects.filter(
        to=parsed.sender, kind=MailKind.REFUSAL, created_at__gte=at - timedelta(days=1)
    ).exists():
        return

    queue_to_address(
        kind=MailKind.REFUSAL,
        to=parsed.sender,
        language=settings.LANGUAGE_CODE,
        mailbox=mailbox,
        in_reply_to=parsed_message_id(parsed),
        context={"reason": _("This address is not one of our clients' contacts.")},
        auto_submitted="auto-replied",
        at=at,
    )


def parsed_message_id(parsed: Inbound) -> str:
    return "" if parsed.message_id.endswith("@no-message-id.invalid>") else parsed.message_id
