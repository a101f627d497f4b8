"""Mail channel vocabularies: what became of an inbound message, what an outgoing mail is."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Security(models.TextChoices):
    SSL = "ssl", _("SSL/TLS (port 993)")
    STARTTLS = "starttls", _("STARTTLS (port 143)")
    NONE = "none", _("None (local servers only)")


class Outcome(models.TextChoices):
    """What ingesting an inbound message did."""

    TICKET = "ticket", _("Opened a ticket")
    FOLLOWUP = "followup", _("Added to a ticket")
    IGNORED = "ignored", _("Ignored (sent by a machine)")
    REFUSED = "refused", _("Refused (unknown sender)")
    RATE_LIMITED = "rate_limited", _("Held back (too many messages from this sender)")
    QUARANTINED = "quarantined", _("Quarantined")
    DISCARDED = "discarded", _("Discarded by an administrator")


# Outcomes an administrator may process again.
RETRYABLE = (Outcome.QUARANTINED, Outcome.RATE_LIMITED, Outcome.REFUSED)


class MailKind(models.TextChoices):
    """Every mail Guichet sends. The staff kinds are those of in-app notifications."""

    ACKNOWLEDGEMENT = "acknowledgement", _("New ticket acknowledged (to the requester)")
    REPLY = "reply", _("Public reply on a ticket (to the requester)")
    SOLUTION = "solution", _("Solution proposed (to the requester)")
    CLOSURE = "closure", _("Ticket closed, satisfaction survey (to the requester)")
    REFUSAL = "refusal", _("Message refused: unknown sender")
    ASSIGNED = "assigned", _("Ticket assigned (to the technician)")
    FOLLOWUP = "followup", _("Requester's reply (to the technician)")
    ESCALATED = "escalated", _("Ticket escalated to a team")
    ESCALATED_UP = "escalated_up", _("Ticket escalated to the supervisor")
    REFUSED = "refused", _("Solution refused (to the technician)")
    SLA = "sla", _("Service level warning")


REQUESTER_KINDS = (
    MailKind.ACKNOWLEDGEMENT,
    MailKind.REPLY,
    MailKind.SOLUTION,
    MailKind.CLOSURE,
)
STAFF_KINDS = (
    MailKind.ASSIGNED,
    MailKind.FOLLOWUP,
    MailKind.ESCALATED,
    MailKind.ESCALATED_UP,
    MailKind.REFUSED,
    MailKind.SLA,
)


class Delivery(models.TextChoices):
    QUEUED = "queued", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
