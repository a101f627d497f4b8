"""The supervisor's dispatch board: unassigned tickets beside each technician's workload.

Assigning is "choose a ticket, then a technician": one form whose technician buttons submit
the chosen ticket. It works as a plain form; with htmx the board is swapped in place.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from guichet.accounts.access import (
    is_staff_member,
    sees_everything,
    team_ids,
    ticket_or_404,
    visible_tickets,
    visible_users,
)
from guichet.accounts.choices import Role
from guichet.accounts.models import Team
from guichet.lib.errors import ActionError
from guichet.tickets import actions
from guichet.tickets.choices import OPEN_STATUSES, Priority

BOARD_SIZE = 50
BOARD_TARGET = "dispatch-board"
ASSIGNABLE_ROLES = (Role.TECHNICIAN, Role.SPECIALIST)


def supervisor_required(view):
    """Requesters get a 404 (staff screens do not exist for them); staff without the
    supervisor role get a 403: they know the board exists, they may not use it."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not is_staff_member(request.user):
            raise Http404
        if not request.user.is_supervisor:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def technicians(user) -> list:
    """The technicians of the supervisor's teams (of every team, for an administrator)."""
    staff = visible_users(user).filter(role__in=ASSIGNABLE_ROLES)
    if sees_everything(user):
        staff = staff.filter(teams__isnull=False)
    else:
        staff = staff.filter(teams__in=team_ids(user))
    return list(staff.distinct().order_by("first_name", "last_name", "username"))


def workloads(user, people: list) -> list[dict]:
    """Open tickets per technician and priority, in one grouped query.

    Counted through the access helper: a supervisor learns nothing, not even a number,
    about tickets of clients their teams do not serve.
    """
    counts: dict[int, dict[int, int]] = {person.pk: {} for person in people}
    rows = (
        visible_tickets(user)
        .filter(assignee_id__in=list(counts), status__in=OPEN_STATUSES)
        .order_by()  # no default ordering, or the id would join the GROUP BY
        .values_list("assignee_id", "priority")
        .annotate(n=Count("id"))
    )
    for assignee_id, priority, n in rows:
        counts[assignee_id][priority] = n
    return [
        {
            "person": person,
            "total": sum(counts[person.pk].values()),
            "by_priority": [counts[person.pk].get(p, 0) for p in Priority.values],
        }
        for person in people
    ]


def unassigned(user) -> list:
    """The most urgent unassigned open tickets first, the oldest first within a priority."""
    return list(
        visible_tickets(user)
        .filter(assignee__isnull=True, status__in=OPEN_STATUSES)
        .select_related("requester", "organisation", "team")
        .defer("description", "solution", "satisfaction_comment", "major_reason")
        .order_by("-priority", "id")[:BOARD_SIZE]
    )


def board_context(user, **extra) -> dict:
    people = technicians(user)
    return {
        "nav": "dispatch",
        "tickets": unassigned(user),
        "board_size": BOARD_SIZE,
        "workloads": workloads(user, people),
        "priorities": Priority.choices,
        **extra,
    }


def render_board(request, *, status: int = 200, **extra):
    htmx = bool(request.htmx) and request.htmx.target == BOARD_TARGET
    template = "tickets/partials/dispatch_board.html" if htmx else "tickets/dispatch.html"
    return render(request, template, board_context(request.user, **extra), status=status)


@supervisor_required
@require_GET
def dispatch(request):
    return render_board(request)


def _team_for(ticket, technician, supervisor) -> Team | None:
    """Keep the ticket's team; else the technician's team serving its client, preferring the
    supervisor's own teams."""
    if ticket.team_id:
        return ticket.team
    candidates = Team.objects.filter(members=technician, organisations=ticket.organisation_id)
    own = candidates.filter(pk__in=team_ids(supervisor)).order_by("level", "name").first()
    return own or candidates.order_by("level", "name").first()


def _refuse(request, message: str, status: int, chosen: int | None = None):
    """A refused assignment: the board again with the reason (status 4xx, never a 500), the
    chosen ticket still chosen."""
    if request.htmx:
        return render_board(request, status=status, error=message, chosen=chosen)
    messages.error(request, message)
    return render_board(request, status=status, chosen=chosen)


@supervisor_required
@require_POST
def assign(request):
    user = request.user
    ticket_raw, person_raw = request.POST.get("ticket", ""), request.POST.get("assignee", "")
    if not ticket_raw:
        return _refuse(request, _("Choose a ticket first, then a technician."), 400)
    ticket = ticket_or_404(user, ticket_raw)
    if not person_raw:
        # Enter on a chosen ticket submits the form without a technician (see the template).
        message = _("Ticket #%(id)s is chosen: now choose the technician who should take it.")
        return _refuse(request, message % {"id": ticket.pk}, 400, chosen=ticket.pk)
    person = next((p for p in technicians(user) if str(p.pk) == person_raw), None)
    if person is None:
        return _refuse(request, _("Choose a technician of your teams."), 400, chosen=ticket.pk)
    if ticket.assignee_id:
        # Someone else dispatched it since the board was drawn: do not take it from them.
        return _refuse(
            request,
            _("Ticket #%(id)s is already assigned to %(name)s.")
            % {"id": ticket.pk, "name": ticket.assignee},
            409,
        )
    try:
        actions.assign(
            ticket=ticket, actor=user, team=_team_for(ticket, person, user), assignee=person
        )
    except ActionError as exc:
        return _refuse(request, f"#{ticket.pk}: {exc.message}", 409)
    done = _("Ticket #%(id)s assigned to %(name)s.") % {"id": ticket.pk, "name": person}
    if request.htmx:
        return render_board(request, done=done)
    messages.success(request, done)
    return redirect("tickets:dispatch")


urlpatterns = [
    path("dispatch/", dispatch, name="dispatch"),
    path("dispatch/assign/", assign, name="dispatch-assign"),
]
