"""Which ticket events and in-app notifications become mail, and to whom.

Registered in MailConfig.ready (tickets.hooks and notifications.channels); called inside the
verb's transaction, so a mail is queued exactly when the change commits.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import override

from guichet.accounts.models import User
from guichet.mail import links
from guichet.mail.actions.outbound import queue_for_user
from guichet.mail.choices import STAFF_KINDS, MailKind
from guichet.notifications.models import Notification
from guichet.tickets.choices import Channel, EventKind, Status
from guichet.tickets.models import FollowUp, Ticket, TicketEvent

_silenced: ContextVar[bool] = ContextVar("mail_silenced", default=False)


@contextmanager
def silenced() -> Iterator[None]:
    """No mail for what happens inside: history being loaded (the demo, an import) is not
    news to anybody."""
    token = _silenced.set(True)
    try:
        yield
    finally:
        _silenced.reset(token)


def on_event(event: TicketEvent) -> None:
    if _silenced.get():
        return
    kind = event.kind
    if kind == EventKind.CREATED:
        _acknowledge(event)
    elif kind == EventKind.FOLLOWUP and event.is_public:
        _reply(event)
    elif kind == EventKind.SOLVED:
        _solution(event)
    elif kind == EventKind.STATUS and event.new_value == Status.CLOSED:
        _closure(event)


def on_notified(notifications: list[Notification]) -> None:
    if _silenced.get():
        return
    staff_kinds = set(STAFF_KINDS)
    for notification in notifications:
        if notification.kind in staff_kinds:
            queue_for_user(
                kind=notification.kind,
                user=notification.user,
                ticket=notification.ticket,
                context={"message": notification.message},
            )


def _requester(ticket: Ticket) -> User:
    return ticket.requester


def _acknowledge(event: TicketEvent) -> None:
    ticket = event.ticket
    # Mail opens its tickets itself, answering the message it received.
    if ticket.channel == Channel.EMAIL:
        return
    requester = _requester(ticket)
    if requester.is_support_staff:
        return
    queue_for_user(
        kind=MailKind.ACKNOWLEDGEMENT, user=requester, ticket=ticket, at=event.created_at
    )


def _reply(event: TicketEvent) -> None:
    actor = event.actor
    if actor is None or not actor.is_support_staff:
        return  # the requester's own words: the technician hears of them in-app (and by mail)
    ticket = event.ticket
    body = FollowUp.objects.filter(pk=event.new_value).values_list("body", flat=True).first()
    people = [_requester(ticket), *ticket.watchers.filter(is_active=True)]
    for person in {p.pk: p for p in people}.values():
        if person.pk == actor.pk:
            continue
        queue_for_user(
            kind=MailKind.REPLY,
            user=person,
            ticket=ticket,
            context={"message": body or "", "author": actor.display_name},
            at=event.created_at,
        )


def _solution(event: TicketEvent) -> None:
    ticket = event.ticket
    requester = _requester(ticket)
    if event.actor_id == requester.pk:
        return
    grant = {"ticket_id": ticket.pk, "user_id": requester.pk, "moment": event.created_at}
    with override(requester.language):
        expires = date_format(timezone.localtime(event.created_at + links.max_age()).date())
    queue_for_user(
        kind=MailKind.SOLUTION,
        user=requester,
        ticket=ticket,
        context={
            "solution": event.new_value,
            "author": event.actor.display_name if event.actor else "",
            "accept_url": links.url("solution", **grant) + "?answer=accept",
            "refuse_url": links.url("solution", **grant) + "?answer=refuse",
            "expires": expires,
        },
        at=event.created_at,
    )


def _closure(event: TicketEvent) -> None:
    ticket = event.ticket
    if ticket.satisfaction is not None or ticket.merged_into_id:
        return
    requester = _requester(ticket)
    grant = {"ticket_id": ticket.pk, "user_id": requester.pk, "moment": event.created_at}
    queue_for_user(
        kind=MailKind.CLOSURE,
        user=requester,
        ticket=ticket,
        context={"satisfaction_url": links.url("satisfaction", **grant)},
        at=event.created_at,
    )
