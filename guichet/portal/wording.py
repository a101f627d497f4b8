"""How the portal speaks to requesters: statuses and events in plain words, not ITIL jargon."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from guichet.tickets.choices import Status

STATUS_WORDS: dict[str, Any] = {
    Status.NEW: _("Received, waiting for a technician"),
    Status.ASSIGNED: _("A technician is working on it"),
    Status.PLANNED: _("Work is planned"),
    Status.PENDING: _("On hold"),
    Status.SOLVED: _("Solved: please confirm"),
    Status.CLOSED: _("Closed"),
}

# Used as CSS hooks so that colour is never the only carrier of meaning (the words are there).
STATUS_TONE: dict[str, str] = {
    Status.NEW: "new",
    Status.ASSIGNED: "progress",
    Status.PLANNED: "progress",
    Status.PENDING: "waiting",
    Status.SOLVED: "action",
    Status.CLOSED: "done",
}

# "How many people are affected" → ITIL impact (1 very low … 5 very high).
AFFECTED_CHOICES = [
    ("me", _("Just me")),
    ("team", _("My team")),
    ("company", _("The whole company")),
]
IMPACT_BY_AFFECTED = {"me": 2, "team": 3, "company": 5}

# Urgency in the requester's words (ITIL urgency 1 … 5).
URGENCY_CHOICES = [
    (1, _("No rush")),
    (2, _("Within a few days")),
    (3, _("Normal")),
    (4, _("Soon: it slows my work down")),
    (5, _("Now: I cannot work at all")),
]

SATISFACTION_CHOICES = [
    (1, _("1 – Very dissatisfied")),
    (2, _("2 – Dissatisfied")),
    (3, _("3 – Neither satisfied nor dissatisfied")),
    (4, _("4 – Satisfied")),
    (5, _("5 – Very satisfied")),
]


def status_words(status: str) -> str:
    return str(STATUS_WORDS.get(status, status))


def ticket_status_words(ticket) -> str:
    """The status as the requester should read it; a wait on them says so."""
    if ticket.status == Status.PENDING and ticket.pending_reason_id:
        if ticket.pending_reason.code == "customer":
            return str(_("Waiting for your answer"))
        return str(_("On hold: %(reason)s")) % {"reason": ticket.pending_reason.name}
    return status_words(ticket.status)
