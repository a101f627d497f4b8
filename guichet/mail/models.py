"""Mailboxes, the messages that came in and went out, mail templates and preferences."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guichet.mail.choices import Delivery, MailKind, Outcome, Security

MB = 1024 * 1024


class Mailbox(models.Model):
    """An address the desk receives requests on: polled over IMAP, or fed by the mail server's
    pipe (`guichet mail ingest`). Its team and category qualify the tickets it opens."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    address = models.EmailField(
        _("address"), help_text=_("Replies are sent from and to this address.")
    )
    team = models.ForeignKey(
        "accounts.Team",
        verbose_name=_("team"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    category = models.ForeignKey(
        "tickets.Category",
        verbose_name=_("default category"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    active = models.BooleanField(_("active"), default=True)
    is_default = models.BooleanField(
        _("default mailbox"),
        default=False,
        help_text=_("Used by the pipe entry point when no mailbox is named."),
    )
    accept_unknown = models.BooleanField(
        _("accept unknown senders"),
        default=True,
        help_text=_("Create a contact for an unknown sender; otherwise answer with a refusal."),
    )
    # IMAP: polled by the worker when a host is set.
    imap_host = models.CharField(_("IMAP server"), max_length=200, blank=True)
    imap_port = models.PositiveIntegerField(_("IMAP port"), default=993)
    imap_security = models.CharField(
        _("security"), max_length=10, choices=Security.choices, default=Security.SSL
    )
    imap_username = models.CharField(_("IMAP user"), max_length=200, blank=True)
    imap_password = models.TextField(_("IMAP password (encrypted)"), blank=True)
    imap_folder = models.CharField(_("folder"), max_length=200, default="INBOX")
    imap_done_folder = models.CharField(
        _("move processed messages to"),
        max_length=200,
        blank=True,
        help_text=_("Empty: processed messages are only marked as read."),
    )
    max_message_bytes = models.PositiveBigIntegerField(
        _("largest message (bytes)"), default=25 * MB
    )
    max_attachment_bytes = models.PositiveBigIntegerField(
        _("largest attachment kept (bytes)"), default=10 * MB
    )
    rate_limit = models.PositiveIntegerField(
        _("messages per sender and hour"),
        default=20,
        help_text=_("Beyond this, a sender's messages are held back (0: no limit)."),
    )
    polling_until = models.DateTimeField(null=True, blank=True)  # a worker's lease
    last_polled_at = models.DateTimeField(_("last polled"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="mailbox_one_default",
            )
        ]
        verbose_name = _("mailbox")
        verbose_name_plural = _("mailboxes")

    def __str__(self) -> str:
        return self.name

    @property
    def polled(self) -> bool:
        return bool(self.imap_host)


def raw_path(instance: "InboundMessage", filename: str) -> str:
    return f"mail/{filename[:2]}/{filename}"


class InboundMessage(models.Model):
    """One message received, whatever became of it. Its Message-ID is unique: a message
    fetched or piped twice is recognised and does nothing the second time."""

    mailbox = models.ForeignKey(
        Mailbox, on_delete=models.SET_NULL, null=True, blank=True, related_name="messages"
    )
    message_id = models.CharField(max_length=255, unique=True)
    sender = models.CharField(_("sender"), max_length=255, blank=True)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    reason = models.TextField(_("details"), blank=True)
    raw = models.FileField(upload_to=raw_path, max_length=200)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    ticket = models.ForeignKey(
        "tickets.Ticket",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inbound_messages",
        db_index=False,
    )
    followup = models.OneToOneField(
        "tickets.FollowUp",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inbound_message",
    )
    attempts = models.PositiveIntegerField(default=1)
    received_at = models.DateTimeField(_("received"))

    class Meta:
        ordering = ["-id"]
        indexes = [
            # The per-sender rate limit counts a sender's recent messages.
            models.Index(fields=["sender", "received_at"], name="inbound_sender_idx"),
            models.Index(fields=["outcome", "id"], name="inbound_outcome_idx"),
            models.Index(fields=["ticket", "id"], name="inbound_ticket_idx"),
        ]
        verbose_name = _("inbound message")
        verbose_name_plural = _("inbound messages")

    def __str__(self) -> str:
        return f"{self.sender}: {self.subject}"


class OutboundMessage(models.Model):
    """One mail Guichet sends, kept with its Message-ID: replies to it thread onto its
    ticket. Sent by the worker after the transaction that queued it commits."""

    message_id = models.CharField(max_length=255, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=MailKind.choices)
    ticket = models.ForeignKey(
        "tickets.Ticket",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outbound_messages",
        db_index=False,
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    to = models.CharField(_("to"), max_length=255)
    from_address = models.CharField(max_length=255)
    reply_to = models.CharField(max_length=255, blank=True)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    # What the template reads, frozen when the mail is queued; the worker renders it when it
    # sends (so an administrator's corrected wording applies to mail still waiting).
    context = models.JSONField(default=dict)
    text = models.TextField(blank=True)
    html = models.TextField(blank=True)
    language = models.CharField(max_length=5)
    in_reply_to = models.CharField(max_length=255, blank=True)
    references = models.TextField(blank=True)  # space-separated Message-IDs
    auto_submitted = models.CharField(max_length=20, default="auto-generated")
    status = models.CharField(
        _("status"), max_length=10, choices=Delivery.choices, default=Delivery.QUEUED
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbound_due_idx"),
            models.Index(fields=["ticket", "id"], name="outbound_ticket_idx"),
        ]
        verbose_name = _("outgoing mail")
        verbose_name_plural = _("outgoing mail")

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"


class MailTemplate(models.Model):
    """An administrator's wording of one kind of mail in one language (the built-in wording
    applies where there is none)."""

    kind = models.CharField(_("kind"), max_length=20, choices=MailKind.choices)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=250)
    body = models.TextField(_("body"))
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["kind", "language"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "language"], name="mail_template_unique")
        ]
        verbose_name = _("mail template")
        verbose_name_plural = _("mail templates")

    def __str__(self) -> str:
        return f"{self.kind} ({self.language})"


class MailPreference(models.Model):
    """A kind of mail a user chose not to receive (no row: the mail is sent)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mail_opt_outs"
    )
    kind = models.CharField(max_length=20, choices=MailKind.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="mail_preference_unique")
        ]
        verbose_name = _("mail preference")
        verbose_name_plural = _("mail preferences")

    def __str__(self) -> str:
        return f"{self.user_id} −{self.kind}"
