"""The supervisor's "at risk" board: tickets whose clocks will breach within the next N
business hours (each in its own contract's hours), and those already overdue, due first."""

from datetime import datetime

from django.db.models import Q
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from guichet.accounts import reference as people
from guichet.accounts.access import team_list, visible_tickets
from guichet.sla import calendars, contracts, display
from guichet.sla.businesstime import NeverOpen, timeline_add
from guichet.sla.display import ORDER
from guichet.sla.models import TicketClock
from guichet.tickets.choices import OPEN_STATUSES
from guichet.tickets.views.dispatch import supervisor_required

HOURS = (1, 2, 4, 8, 16, 40)
DEFAULT_HOURS = 4
LIMIT = 200


def _horizons(now: datetime, hours: int) -> Q:
    """Clocks due within `hours` business hours of now, in each contract's own hours."""
    condition = Q(pk__in=[])
    for contract_id in contracts.contract_ids():
        timeline = calendars.timeline(contracts.terms(contract_id).calendar_id)
        try:
            horizon = timeline_add(timeline, now, hours * 3600)
        except NeverOpen:
            horizon = now
        condition |= Q(contract_id=contract_id, due_at__lte=horizon)
    return condition


def at_risk(user, *, hours: int, team_id: int | None, now: datetime) -> list[dict]:
    clocks = (
        TicketClock.objects.filter(running=True, due_at__isnull=False)
        .filter(_horizons(now, hours))
        .filter(ticket__in=visible_tickets(user).filter(status__in=OPEN_STATUSES))
        .select_related("ticket")
        .order_by("due_at", "ticket_id")
    )
    if team_id is not None:
        clocks = clocks.filter(ticket__team_id=team_id)
    teams = people.team_names()
    staff = people.staff_names()
    organisations = people.organisation_name_map()
    # One row per ticket, on its most urgent clock; the others at risk named beside it.
    rows: dict[int, dict] = {}
    for row in clocks[: LIMIT * len(ORDER)]:
        ticket = row.ticket
        if ticket.pk in rows:
            rows[ticket.pk]["others"].append(display.view(row, now).name)
            continue
        if len(rows) == LIMIT:
            continue
        rows[ticket.pk] = {
            "ticket": ticket,
            "clock": display.view(row, now),
            "others": [],
            "team": teams.get(ticket.team_id or 0, ""),
            "assignee": staff.get(ticket.assignee_id or 0, ""),
            "organisation": organisations.get(ticket.organisation_id, ""),
        }
    return list(rows.values())


def _int(raw, allowed, default):
    try:
        value = int(raw)
    except (TypeError, ValueError):
        return default, raw not in (None, "")
    return (value, False) if value in allowed else (default, True)


@require_GET
@supervisor_required
def board(request):
    user = request.user
    teams = team_list(user)
    hours, bad_hours = _int(request.GET.get("hours"), HOURS, DEFAULT_HOURS)
    team_id, bad_team = _int(request.GET.get("team"), {t.pk for t in teams}, None)
    errors = []
    if bad_hours:
        errors.append(_("Choose a number of business hours from the list."))
    if bad_team:
        errors.append(_("Choose one of your teams."))
    rows = at_risk(user, hours=hours, team_id=team_id, now=timezone.now())
    context = {
        "rows": rows,
        "hours": hours,
        "hour_choices": HOURS,
        "teams": teams,
        "team_id": team_id,
        "errors": errors,
        "limit": LIMIT,
        "nav": "at-risk",
    }
    return render(request, "sla/at_risk.html", context, status=400 if errors else 200)


urlpatterns: list[URLPattern] = [path("at-risk/", board, name="at-risk")]
