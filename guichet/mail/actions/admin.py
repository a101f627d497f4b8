"""Administrators' verbs: mailboxes, quarantined messages, templates; everyone's preferences."""

from django.db import transaction
from django.utils.translation import gettext as _

from guichet.accounts.access import sees_everything
from guichet.accounts.models import User
from guichet.lib.crypto import encrypt
from guichet.lib.errors import Conflict, Forbidden, InvalidInput
from guichet.mail.choices import RETRYABLE, MailKind, Outcome, Security
from guichet.mail.models import InboundMessage, Mailbox, MailPreference, MailTemplate

MAILBOX_FIELDS = (
    "name",
    "address",
    "team",
    "category",
    "active",
    "is_default",
    "accept_unknown",
    "imap_host",
    "imap_port",
    "imap_security",
    "imap_username",
    "imap_folder",
    "imap_done_folder",
    "max_message_bytes",
    "max_attachment_bytes",
    "rate_limit",
)


def require_admin(actor: User) -> None:
    if not sees_everything(actor):
        raise Forbidden(_("Only administrators can do this."))


@transaction.atomic
def save_mailbox(
    *, actor: User, mailbox: Mailbox | None = None, password: str | None = None, **values
) -> Mailbox:
    """Create or change a mailbox. `password` None keeps the stored one; "" clears it."""
    require_admin(actor)
    mailbox = mailbox or Mailbox()
    unknown = set(values) - set(MAILBOX_FIELDS)
    if unknown:
        raise InvalidInput({f: _("This field cannot be changed here.") for f in unknown})
    for field, value in values.items():
        setattr(mailbox, field, value)
    errors: dict = {}
    mailbox.name = (mailbox.name or "").strip()
    if not mailbox.name:
        errors["name"] = _("This field is required.")
    elif Mailbox.objects.filter(name=mailbox.name).exclude(pk=mailbox.pk).exists():
        errors["name"] = _("A mailbox with this name exists.")
    if "@" not in (mailbox.address or ""):
        errors["address"] = _("Enter a valid email address.")
    if mailbox.imap_security not in Security.values:
        errors["imap_security"] = _("Must be one of: %(values)s.") % {
            "values": ", ".join(Security.values)
        }
    if mailbox.imap_host and not mailbox.imap_username:
        errors["imap_username"] = _("An IMAP server needs a user.")
    if not 1 <= (mailbox.imap_port or 0) <= 65535:
        errors["imap_port"] = _("Must be a port number from 1 to 65535.")
    if not mailbox.max_message_bytes or mailbox.max_message_bytes < 1024:
        errors["max_message_bytes"] = _("At least 1024 bytes.")
    if not mailbox.max_attachment_bytes or mailbox.max_attachment_bytes < 1:
        errors["max_attachment_bytes"] = _("At least 1 byte.")
    if errors:
        raise InvalidInput(errors)
    if password is not None:
        mailbox.imap_password = encrypt(password)
    if mailbox.is_default:
        # One default mailbox: the newly chosen one takes over.
        Mailbox.objects.filter(is_default=True).exclude(pk=mailbox.pk).update(is_default=False)
    mailbox.save()
    return mailbox


@transaction.atomic
def discard(*, actor: User, message: InboundMessage) -> InboundMessage:
    """An administrator decides a held message is not worth a ticket (kept on record)."""
    require_admin(actor)
    message = InboundMessage.objects.select_for_update().get(pk=message.pk)
    if message.outcome not in RETRYABLE:
        raise Conflict(_("Only a quarantined, held back or refused message can be discarded."))
    message.outcome = Outcome.DISCARDED
    message.reason = _("Discarded by %(name)s.") % {"name": actor.display_name}
    message.save(update_fields=["outcome", "reason"])
    return message


def retry(*, actor: User, message: InboundMessage) -> InboundMessage:
    from guichet.mail.actions.ingest import retry as process_again

    require_admin(actor)
    if message.outcome not in (*RETRYABLE, Outcome.DISCARDED):
        raise Conflict(_("This message was already processed."))
    return process_again(message=message)


@transaction.atomic
def save_template(
    *, actor: User, kind: str, language: str, subject: str, body: str
) -> MailTemplate:
    from guichet.mail.render import TemplateInvalid, validate

    require_admin(actor)
    if kind not in MailKind.values:
        raise InvalidInput({"kind": _("Unknown kind of mail.")})
    if language not in ("fr", "en"):
        raise InvalidInput({"language": _("Must be one of: %(values)s.") % {"values": "fr, en"}})
    try:
        validate(subject, body)
    except TemplateInvalid as error:
        raise InvalidInput(error.errors) from None
    template, _created = MailTemplate.objects.update_or_create(
        kind=kind,
        language=language,
        defaults={"subject": subject.strip(), "body": body, "updated_by": actor},
    )
    return template


@transaction.atomic
def reset_template(*, actor: User, kind: str, language: str) -> bool:
    """Back to the built-in wording."""
    require_admin(actor)
    deleted, _rows = MailTemplate.objects.filter(kind=kind, language=language).delete()
    return bool(deleted)


@transaction.atomic
def set_preferences(*, user: User, offered: set[str], wanted: set[str]) -> None:
    """Of the kinds of mail `offered` to `user`, keep those `wanted` and turn the rest off."""
    if (offered | wanted) - set(MailKind.values) or wanted - offered:
        raise InvalidInput({"kinds": _("Unknown kind of mail.")})
    MailPreference.objects.filter(user=user, kind__in=wanted).delete()
    existing = set(MailPreference.objects.filter(user=user).values_list("kind", flat=True))
    MailPreference.objects.bulk_create(
        MailPreference(user=user, kind=kind) for kind in offered - wanted - existing
    )
