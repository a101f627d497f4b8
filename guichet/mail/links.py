"""Links in mail that work without a password: answer a proposed solution, rate a ticket.

A link is signed (Django's TimestampSigner, keyed by SECRET_KEY), expires after
MAIL_LINK_DAYS, names one person and one ticket, and is bound to the moment the ticket was
solved or closed: once the ticket moves on (reopened, solved again), older links stop working.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALTS = {"solution": "guichet.mail.solution", "satisfaction": "guichet.mail.satisfaction"}


@dataclass(frozen=True)
class Grant:
    purpose: str
    ticket_id: int
    user_id: int
    moment: int  # the ticket's solved_at (solution) or closed_at (satisfaction), as a timestamp


def max_age() -> timedelta:
    return timedelta(days=settings.MAIL_LINK_DAYS)


def token(purpose: str, *, ticket_id: int, user_id: int, moment: datetime) -> str:
    value = f"{ticket_id}:{user_id}:{int(moment.timestamp())}"
    return signing.TimestampSigner(salt=SALTS[purpose]).sign(value)


def url(purpose: str, **grant) -> str:
    path = reverse(f"mail:{purpose}", args=[token(purpose, **grant)])
    return settings.SITE_URL.rstrip("/") + path


def read(purpose: str, value: str) -> Grant | None:
    """The grant a token carries, or None when it is forged, altered or expired."""
    try:
        raw = signing.TimestampSigner(salt=SALTS[purpose]).unsign(value, max_age=max_age())
        ticket_id, user_id, moment = (int(part) for part in raw.split(":"))
    except (signing.BadSignature, ValueError):
        return None
    return Grant(purpose, ticket_id, user_id, moment)


def still_valid(grant: Grant, moment: datetime | None) -> bool:
    return moment is not None and int(moment.timestamp()) == grant.moment
