"""What every ticket endpoint shares: the routers, the path id, reading a ticket the caller may
see, and turning ids in a request body into objects the caller may use."""

from typing import Annotated

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from ninja import Router
from pydantic import Field

from guichet.accounts.access import (
    is_staff_member,
    ticket_or_404,
    visible_organisations,
    visible_teams,
    visible_tickets,
    visible_users,
)
from guichet.accounts.models import Location
from guichet.lib.errors import InvalidInput
from guichet.lib.schemas import MAX_ID
from guichet.tickets.actions.common import require_staff
from guichet.tickets.models import Category, PendingReason, SolutionType, Ticket
from guichet.tickets.schemas import TICKET_RELATED, ticket_out

router = Router(tags=["tickets"])
# Reference lists (categories, pending reasons, solution types) live at the API root.
reference_router = Router(tags=["reference"])

TicketId = Annotated[int, Field(ge=1, le=MAX_ID, description="The ticket's id.")]
ItemId = Annotated[int, Field(ge=1, le=MAX_ID)]


def tickets_for(user) -> QuerySet:
    """The tickets `user` may see, with what their representation needs in the same query."""
    return visible_tickets(user, Ticket.objects.select_related(*TICKET_RELATED))


def ticket_for(user, ticket_id: int) -> Ticket:
    """The ticket, or a 404 when it does not exist or `user` may not see it."""
    return ticket_or_404(user, ticket_id, Ticket.objects.select_related(*TICKET_RELATED))


def ticket_after(user, ticket: Ticket) -> dict:
    """The ticket as it is after a change, read again in one query.

    A technician who hands away a ticket they saw only as its assignee may no longer see it;
    they still get the result of their own change.
    """
    fresh = tickets_for(user).filter(pk=ticket.pk).first()
    return ticket_out(fresh or ticket, internal=is_staff_member(user))


def staff_only(user) -> None:
    """Refuse a requester (403) before looking at the request body."""
    require_staff(user)


class Lookups:
    """Turns the ids of a request body into objects the caller may use.

    An id the caller may not see reads exactly like one that does not exist. The errors of
    every field are collected, then `check()` raises them together (422).
    """

    def __init__(self, user) -> None:
        self.caller = user
        self.errors: dict[str, str] = {}

    def _get(self, field: str, queryset: QuerySet, message: str, **lookup):
        obj = queryset.filter(**lookup).first()
        if obj is None:
            self.errors[field] = message
        return obj

    def user(self, field: str, pk: int | None):
        if pk is None:
            return None
        return self._get(field, visible_users(self.caller), _("Unknown user."), pk=pk)

    def organisation(self, field: str, pk: int | None):
        if pk is None:
            return None
        return self._get(
            field, visible_organisations(self.caller), _("Unknown organisation."), pk=pk
        )

    def location(self, field: str, pk: int | None):
        if pk is None:
            return None
        locations = Location.objects.filter(organisation__in=visible_organisations(self.caller))
        return self._get(field, locations, _("Unknown location."), pk=pk)

    def category(self, field: str, pk: int | None):
        if pk is None:
            return None
        categories = Category.objects.filter(active=True)
        return self._get(field, categories, _("Unknown category."), pk=pk)

    def team(self, field: str, pk: int | None):
        if pk is None:
            return None
        return self._get(field, visible_teams(self.caller), _("Unknown team."), pk=pk)

    def ticket(self, field: str, pk: int | None):
        if pk is None:
            return None
        return self._get(field, visible_tickets(self.caller), _("Unknown ticket."), pk=pk)

    def _by_id_or_code(self, field: str, model, value: int | str | None, message: str):
        if value is None:
            return None
        queryset = model.objects.filter(active=True)
        if isinstance(value, int):
            return self._get(field, queryset, message, pk=value)
        return self._get(field, queryset, message, code=value)

    def pending_reason(self, field: str, value: int | str | None):
        return self._by_id_or_code(field, PendingReason, value, _("Unknown pending reason."))

    def solution_type(self, field: str, value: int | str | None):
        return self._by_id_or_code(field, SolutionType, value, _("Unknown solution type."))

    def check(self) -> None:
        if self.errors:
            raise InvalidInput(dict(self.errors))
