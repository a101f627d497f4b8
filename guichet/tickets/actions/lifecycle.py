"""Ticket verbs from intake to closure: open, qualify, assign, escalate, wait, solve, close."""

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from guichet.accounts import reference as people
from guichet.accounts.access import is_staff_member, visible_users
from guichet.accounts.choices import Role
from guichet.accounts.models import Location, Organisation, Team, User
from guichet.lib.errors import Conflict, Forbidden, InvalidInput
from guichet.notifications.actions import notify
from guichet.tickets import hooks
from guichet.tickets.choices import (
    Channel,
    EventKind,
    Level,
    Priority,
    Status,
    TicketType,
    Visit,
)
from guichet.tickets.models import Category, PendingReason, SolutionType, Ticket

from .common import (
    change_status,
    compute_priority,
    lock,
    now_or,
    record,
    require_staff,
    save,
    settle_status,
    working_status,
)

TITLE_MAX = 250
TEXT_MAX = 100_000


def _check_text(errors: dict, field: str, value: str, *, required: bool, limit: int) -> str:
    value = (value or "").strip()
    if required and not value:
        errors[field] = _("This field is required.")
    elif len(value) > limit:
        errors[field] = _("At most %(n)d characters.") % {"n": limit}
    elif "\x00" in value:
        errors[field] = _("Contains a NUL character.")
    return value


def _check_level(errors: dict, field: str, value) -> int:
    if value not in Level.values:
        errors[field] = _("Must be an integer from 1 to 5.")
        return 3
    return int(value)


def _check_choice(errors: dict, field: str, value, choices) -> str:
    if value not in choices.values:
        errors[field] = _("Must be one of: %(values)s.") % {"values": ", ".join(choices.values)}
    return value


def notify_assigned(ticket: Ticket, assignee: User) -> None:
    notify(
        users=[assignee],
        kind="assigned",
        ticket=ticket,
        message=_("Ticket #%(id)s was assigned to you.") % {"id": ticket.pk},
    )


def _staff_user(errors: dict, field: str, user: User | None) -> User | None:
    if user is not None and not (user.is_active and user.role != Role.REQUESTER):
        errors[field] = _("Must be an active member of the support staff.")
    return user


def open_ticket(
    *,
    actor: User,
    title: str,
    description: str = "",
    requester: User | None = None,
    organisation: Organisation | None = None,
    location: Location | None = None,
    category: Category | None = None,
    type: str = TicketType.INCIDENT,
    channel: str | None = None,
    impact: int = 3,
    urgency: int = 3,
    team: Team | None = None,
    assignee: User | None = None,
    routed_to: Team | None = None,
    at: datetime | None = None,
) -> Ticket:
    """Open a ticket. Requesters open for themselves; staff open for any contact they serve.
    `routed_to` is the team a channel sends its new tickets to (a mailbox's team): not the
    requester's choice, so allowed whoever opens."""
    at = now_or(at)
    errors: dict = {}
    title = _check_text(errors, "title", title, required=True, limit=TITLE_MAX)
    description = _check_text(errors, "description", description, required=False, limit=TEXT_MAX)
    impact = _check_level(errors, "impact", impact)
    urgency = _check_level(errors, "urgency", urgency)
    _check_choice(errors, "type", type, TicketType)
    staff = is_staff_member(actor)
    channel = channel or (Channel.PHONE if staff else Channel.PORTAL)
    _check_choice(errors, "channel", channel, Channel)
    requester = requester or actor
    if requester.pk != actor.pk and not visible_users(actor).filter(pk=requester.pk).exists():
        errors["requester"] = _("Unknown requester.")
    if (
        not staff
        and requester.pk != actor.pk
        and requester.organisation_id != actor.organisation_id
    ):
        errors["requester"] = _("You can only open tickets for yourself.")
    if not staff and (team or assignee):
        raise Forbidden(_("Only the support staff can assign tickets."))
    # By id: the requester's organisation need not be read to open a ticket in it.
    organisation_id = organisation.pk if organisation is not None else requester.organisation_id
    if organisation_id is None:
        errors["organisation"] = _("The requester belongs to no organisation; choose one.")
    elif requester.role == Role.REQUESTER and requester.organisation_id not in (
        None,
        organisation_id,
    ):
        errors["organisation"] = _("The requester does not belong to this organisation.")
    if (
        location is not None
        and organisation_id is not None
        and location.organisation_id != organisation_id
    ):
        errors["location"] = _("This location belongs to another organisation.")
    _staff_user(errors, "assignee", assignee)
    if errors:
        raise InvalidInput(errors)
    assert organisation_id is not None  # checked above
    home = None
    if location is None and requester.location_id:
        # Sites are reference data: the requester's comes from the process's cache.
        home = people.locations_by_id().get(requester.location_id) or requester.location
    if home is not None and home.organisation_id == organisation_id:
        location = home
    ticket = Ticket(
        title=title,
        description=description,
        type=type,
        channel=channel,
        impact=impact,
        urgency=urgency,
        priority=compute_priority(impact=impact, urgency=urgency),
        requester=requester,
        organisation_id=organisation_id,
        location=location,
        category=category,
        team=team or routed_to,
        assignee=assignee,
        status=Status.ASSIGNED if assignee else Status.NEW,
        created_by=actor,
        created_at=at,
        updated_at=at,
    )
    if organisation is not None:
        ticket.organisation = organisation
    # Everything above only reads; the writes go together in one transaction. On SQLite a
    # transaction holds the database's only write lock, so nothing is read while holding it.
    with transaction.atomic():
        ticket.save(force_insert=True)
        record(ticket, actor, EventKind.CREATED, at=at, new=ticket.title)
        hooks.opened(ticket, at)
        if assignee is not None and assignee.pk != actor.pk:
            notify_assigned(ticket, assignee)
    return ticket


EDITABLE = ("title", "description", "type", "channel", "category", "location", "impact", "urgency")


@transaction.atomic
def update_ticket(
    *,
    ticket: Ticket,
    actor: User | None,
    at: datetime | None = None,
    major_reason: str = "",
    **changes,
) -> Ticket:
    """Change qualification fields. The priority follows impact × urgency, unless set to major.
    `actor` None is the worker applying an escalation ladder."""
    if actor is not None:
        require_staff(actor)
    at = now_or(at)
    ticket = lock(ticket)
    errors: dict = {}
    priority = changes.pop("priority", None)
    unknown = set(changes) - set(EDITABLE)
    for field in unknown:
        errors[field] = _("This field cannot be changed here.")
    if "title" in changes:
        changes["title"] = _check_text(
            errors, "title", changes["title"], required=True, limit=TITLE_MAX
        )
    if "description" in changes:
        changes["description"] = _check_text(
            errors, "description", changes["description"], required=False, limit=TEXT_MAX
        )
    for field in ("impact", "urgency"):
        if field in changes:
            changes[field] = _check_level(errors, field, changes[field])
    if "type" in changes:
        _check_choice(errors, "type", changes["type"], TicketType)
    if "channel" in changes:
        _check_choice(errors, "channel", changes["channel"], Channel)
    loc = changes.get("location")
    if loc is not None and loc.organisation_id != ticket.organisation_id:
        errors["location"] = _("This location belongs to another organisation.")
    if priority is not None and priority not in Priority.values:
        errors["priority"] = _("Must be an integer from 1 to 6.")
    if priority == Priority.MAJOR and not (major_reason or "").strip():
        errors["major_reason"] = _("Say why this ticket is a major incident.")
    if errors:
        raise InvalidInput(errors)

    fields = []
    for field, new in changes.items():
        old = getattr(ticket, field)
        if old == new:
            continue
        setattr(ticket, field, new)
        fields.append(field)
        record(
            ticket,
            actor,
            EventKind.CHANGED,
            at=at,
            field=field,
            old=getattr(old, "pk", old),
            new=getattr(new, "pk", new),
        )
    if priority is not None:
        new_priority = priority
        ticket.major_reason = major_reason.strip() if priority == Priority.MAJOR else ""
        fields.append("major_reason")
    elif ticket.priority == Priority.MAJOR:
        new_priority = Priority.MAJOR  # a major incident stays major until lowered by hand
    else:
        new_priority = compute_priority(impact=ticket.impact, urgency=ticket.urgency)
    if new_priority != ticket.priority:
        record(
            ticket,
            actor,
            EventKind.CHANGED,
            at=at,
            field="priority",
            old=ticket.priority,
            new=new_priority,
            note=ticket.major_reason,
        )
        ticket.priority = new_priority
        fields.append("priority")
    if fields:
        save(ticket, fields, at=at)
    return ticket


@transaction.atomic
def assign(
    *,
    ticket: Ticket,
    actor: User | None,
    team: Team | None = None,
    assignee: User | None = None,
    at: datetime | None = None,
) -> Ticket:
    """Give the ticket to a team and/or a technician (None clears). `actor` None is the
    mail channel routing a new ticket to its mailbox's team."""
    if actor is not None:
        require_staff(actor)
    at = now_or(at)
    ticket = lock(ticket)
    errors: dict = {}
    _staff_user(errors, "assignee", assignee)
    if errors:
        raise InvalidInput(errors)
    if not ticket.is_open:
        raise Conflict(_("Only an open ticket can be assigned."))
    fields = []
    if (team.pk if team else None) != ticket.team_id:
        record(
            ticket,
            actor,
            EventKind.ASSIGNED,
            at=at,
            field="team",
            old=ticket.team_id or "",
            new=team.pk if team else "",
        )
        ticket.team = team
        fields.append("team")
    if (assignee.pk if assignee else None) != ticket.assignee_id:
        record(
            ticket,
            actor,
            EventKind.ASSIGNED,
            at=at,
            field="assignee",
            old=ticket.assignee_id or "",
            new=assignee.pk if assignee else "",
        )
        ticket.assignee = assignee
        fields.append("assignee")
        if assignee is not None and (actor is None or assignee.pk != actor.pk):
            notify_assigned(ticket, assignee)
    if settle_status(ticket, actor, at=at):
        fields.append("status")
    if fields:
        save(ticket, fields, at=at)
    return ticket


@transaction.atomic
def escalate(
    *,
    ticket: Ticket,
    actor: User | None,
    team: Team,
    note: str,
    assignee: User | None = None,
    at: datetime | None = None,
) -> Ticket:
    """Functional escalation: hand the ticket to a more skilled team or level, with a note.
    `actor` None is the worker applying an escalation ladder."""
    if actor is not None:
        require_staff(actor)
    at = now_or(at)
    errors: dict = {}
    note = _check_text(errors, "note", note, required=True, limit=TEXT_MAX)
    if team is None:
        errors["team"] = _("This field is required.")
    _staff_user(errors, "assignee", assignee)
    if errors:
        raise InvalidInput(errors)
    ticket = lock(ticket)
    if not ticket.is_open:
        raise Conflict(_("Only an open ticket can be escalated."))
    if team.pk == ticket.team_id and assignee is None:
        raise Conflict(_("The ticket is already with this team."))
    record(
        ticket,
        actor,
        EventKind.ESCALATED,
        at=at,
        field="team",
        old=ticket.team_id or "",
        new=team.pk,
        note=note,
    )
    old_assignee = ticket.assignee_id
    ticket.team = team
    ticket.assignee = assignee
    fields = ["team", "assignee"]
    if old_assignee != (assignee.pk if assignee else None):
        record(
            ticket,
            actor,
            EventKind.ASSIGNED,
            at=at,
            field="assignee",
            old=old_assignee or "",
            new=assignee.pk if assignee else "",
        )
    if settle_status(ticket, actor, at=at):
        fields.append("status")
    save(ticket, fields, at=at)
    recipients = [assignee] if assignee else list(team.members.filter(is_active=True))
    notify(
        users=[u for u in recipients if actor is None or u.pk != actor.pk],
        kind="escalated",
        ticket=ticket,
        message=_("Ticket #%(id)s was escalated to %(team)s.")
        % {"id": ticket.pk, "team": team.name},
    )
    return ticket


def supervisors_for(ticket: Ticket) -> list[User]:
    """Supervisors of the ticket's team, else of the teams serving its organisation, else all."""
    base = User.objects.filter(is_active=True, role=Role.SUPERVISOR)
    for queryset in (
        base.filter(teams=ticket.team_id) if ticket.team_id else base.none(),
        base.filter(teams__organisations=ticket.organisation_id),
        base,
    ):
        found = list(queryset.distinct())
        if found:
            return found
    return []


@transaction.atomic
def escalate_to_supervisor(
    *, ticket: Ticket, actor: User | None, note: str, at: datetime | None = None
) -> Ticket:
    """Hierarchical escalation: flag the ticket and tell the supervisor. `actor` None is the
    worker applying an escalation ladder."""
    if actor is not None:
        require_staff(actor)
    at = now_or(at)
    errors: dict = {}
    note = _check_text(errors, "note", note, required=True, limit=TEXT_MAX)
    if errors:
        raise InvalidInput(errors)
    ticket = lock(ticket)
    if not ticket.is_open:
        raise Conflict(_("Only an open ticket can be escalated."))
    record(
        ticket,
        actor,
        EventKind.ESCALATED_UP,
        at=at,
        field="escalated",
        old=ticket.escalated,
        new=True,
        note=note,
        public=False,
    )
    ticket.escalated = True
    save(ticket, ["escalated"], at=at)
    notify(
        users=[u for u in supervisors_for(ticket) if actor is None or u.pk != actor.pk],
        kind="escalated_up",
        ticket=ticket,
        message=_("Ticket #%(id)s needs a supervisor: %(note)s")
        % {"id": ticket.pk, "note": note[:200]},
    )
    return ticket


@transaction.atomic
def set_pending(
    *,
    ticket: Ticket,
    actor: User,
    reason: PendingReason | None,
    until: datetime | None = None,
    note: str = "",
    at: datetime | None = None,
) -> Ticket:
    """Put the ticket on hold for a reason, optionally until a date when it comes back by itself."""
    require_staff(actor)
    at = now_or(at)
    errors: dict = {}
    if reason is None:
        errors["reason"] = _("Say what the ticket waits for.")
    if until is not None and until <= at:
        errors["until"] = _("Must be in the future.")
    if errors or reason is None:
        raise InvalidInput(errors)
    ticket = lock(ticket)
    change_status(ticket, actor, Status.PENDING, at=at, note=note)
    record(
        ticket,
        actor,
        EventKind.PENDING,
        at=at,
        field="pending_reason",
        old=ticket.pending_reason_id or "",
        new=reason.pk,
        note=note,
    )
    ticket.pending_reason = reason
    ticket.pending_until = until
    save(ticket, ["status", "pending_reason", "pending_until"], at=at)
    return ticket


@transaction.atomic
def resume(
    *, ticket: Ticket, actor: User | None, at: datetime | None = None, note: str = ""
) -> Ticket:
    """End a wait: the ticket goes back to its assignee (or the queue). `actor` None is the
    worker waking a ticket whose "until" date has passed."""
    if actor is not None:
        require_staff(actor)
    at = now_or(at)
    ticket = lock(ticket)
    if ticket.status != Status.PENDING:
        raise Conflict(_("The ticket is not pending."))
    change_status(ticket, actor, working_status(ticket), at=at, note=note)
    ticket.pending_reason = None
    ticket.pending_until = None
    save(ticket, ["status", "pending_reason", "pending_until"], at=at)
    return ticket


@transaction.atomic
def plan(
    *, ticket: Ticket, actor: User, planned_for: datetime | None, at: datetime | None = None
) -> Ticket:
    """Mark the ticket as planned (an appointment or an on-site visit is booked)."""
    require_staff(actor)
    at = now_or(at)
    if planned_for is None:
        raise InvalidInput({"planned_for": _("This field is required.")})
    ticket = lock(ticket)
    change_status(ticket, actor, Status.PLANNED, at=at)
    record(
        ticket,
        actor,
        EventKind.CHANGED,
        at=at,
        field="planned_for",
        old=ticket.planned_for or "",
        new=planned_for.isoformat(),
    )
    ticket.planned_for = planned_for
    ticket.pending_reason = None
    ticket.pending_until = None
    save(ticket, ["status", "planned_for", "pending_reason", "pending_until"], at=at)
    return ticket


@transaction.atomic
def solve(
    *,
    ticket: Ticket,
    actor: User,
    solution: str,
    solution_type: SolutionType | None = None,
    at: datetime | None = None,
) -> Ticket:
    """Propose a solution; the requester then accepts or refuses it."""
    require_staff(actor)
    at = now_or(at)
    errors: dict = {}
    solution = _check_text(errors, "solution", solution, required=True, limit=TEXT_MAX)
    if errors:
        raise InvalidInput(errors)
    ticket = lock(ticket)
    change_status(ticket, actor, Status.SOLVED, at=at)
    record(
        ticket,
        actor,
        EventKind.SOLVED,
        at=at,
        field="solution",
        new=solution,
        note=solution_type.code if solution_type else "",
    )
    ticket.solution = solution
    ticket.solution_type = solution_type
    ticket.solved_at = at
    ticket.pending_reason = None
    ticket.pending_until = None
    save(
        ticket,
        ["status", "solution", "solution_type", "solved_at", "pending_reason", "pending_until"],
        at=at,
    )
    return ticket


def _requester_or_staff(ticket: Ticket, actor: User) -> None:
    if (
        actor.pk != ticket.requester_id
        and not is_staff_member(actor)
        and not (actor.is_org_manager and actor.organisation_id == ticket.organisation_id)
    ):
        raise Forbidden(_("Only the requester can answer the proposed solution."))


@transaction.atomic
def accept_solution(*, ticket: Ticket, actor: User, at: datetime | None = None) -> Ticket:
    """The requester agrees the problem is solved: the ticket closes."""
    at = now_or(at)
    _requester_or_staff(ticket, actor)
    ticket = lock(ticket)
    if ticket.status != Status.SOLVED:
        raise Conflict(_("There is no proposed solution to accept."))
    record(ticket, actor, EventKind.ACCEPTED, at=at)
    change_status(ticket, actor, Status.CLOSED, at=at)
    ticket.closed_at = at
    save(ticket, ["status", "closed_at"], at=at)
    return ticket


@transaction.atomic
def refuse_solution(
    *, ticket: Ticket, actor: User, reason: str, at: datetime | None = None
) -> Ticket:
    """The requester says it is not solved: the ticket reopens and counts as a reopening."""
    from guichet.tickets.actions.conversation import add_followup

    at = now_or(at)
    _requester_or_staff(ticket, actor)
    errors: dict = {}
    reason = _check_text(errors, "reason", reason, required=True, limit=TEXT_MAX)
    if errors:
        raise InvalidInput(errors)
    ticket = lock(ticket)
    if ticket.status != Status.SOLVED:
        raise Conflict(_("There is no proposed solution to refuse."))
    record(ticket, actor, EventKind.REFUSED, at=at, note=reason)
    _reopen(ticket, actor, at=at)
    add_followup(ticket=ticket, actor=actor, body=reason, at=at)
    if ticket.assignee_id and ticket.assignee_id != actor.pk:
        notify(
            users=[ticket.assignee],
            kind="refused",
            ticket=ticket,
            message=_("The solution of ticket #%(id)s was refused.") % {"id": ticket.pk},
        )
    return ticket


def _reopen(ticket: Ticket, actor: User | None, *, at: datetime, note: str = "") -> None:
    change_status(ticket, actor, working_status(ticket), at=at, note=note)
    record(ticket, actor, EventKind.REOPENED, at=at, note=note)
    ticket.reopen_count += 1
    ticket.solved_at = None
    ticket.closed_at = None
    save(ticket, ["status", "reopen_count", "solved_at", "closed_at"], at=at)


@transaction.atomic
def reopen(*, ticket: Ticket, actor: User, reason: str, at: datetime | None = None) -> Ticket:
    """Staff reopen a solved or closed ticket (a reopening for the reports)."""
    require_staff(actor)
    at = now_or(at)
    errors: dict = {}
    reason = _check_text(errors, "reason", reason, required=True, limit=TEXT_MAX)
    if errors:
        raise InvalidInput(errors)
    ticket = lock(ticket)
    if ticket.status not in (Status.SOLVED, Status.CLOSED):
        raise Conflict(_("Only a solved or closed ticket can be reopened."))
    _reopen(ticket, actor, at=at, note=reason)
    return ticket


@transaction.atomic
def close(
    *, ticket: Ticket, actor: User | None, at: datetime | None = None, note: str = ""
) -> Ticket:
    """Close a solved ticket (staff, or the worker after the waiting period)."""
    if actor is not None:
        require_staff(actor)
    at = now_or(at)
    ticket = lock(ticket)
    if ticket.status != Status.SOLVED:
        raise Conflict(_("Only a solved ticket can be closed."))
    change_status(ticket, actor, Status.CLOSED, at=at, note=note)
    record(ticket, actor, EventKind.CLOSED, at=at, note=note)
    ticket.closed_at = at
    save(ticket, ["status", "closed_at"], at=at)
    return ticket


@transaction.atomic
def require_visit(
    *, ticket: Ticket, actor: User, note: str = "", at: datetime | None = None
) -> Ticket:
    """Say the ticket needs a technician on site: the time to intervene starts."""
    require_staff(actor)
    at = now_or(at)
    errors: dict = {}
    note = _check_text(errors, "note", note, required=False, limit=TEXT_MAX)
    if errors:
        raise InvalidInput(errors)
    ticket = lock(ticket)
    if not ticket.is_open:
        raise Conflict(_("Only an open ticket can need a visit."))
    if current_visit(ticket) == Visit.REQUIRED:
        raise Conflict(_("A visit is already required."))
    record(ticket, actor, EventKind.VISIT, at=at, field="visit", new=Visit.REQUIRED, note=note)
    save(ticket, [], at=at)
    return ticket


@transaction.atomic
def record_arrival(*, ticket: Ticket, actor: User, at: datetime | None = None) -> Ticket:
    """The technician is on site: the time to intervene stops."""
    require_staff(actor)
    at = now_or(at)
    ticket = lock(ticket)
    if current_visit(ticket) != Visit.REQUIRED:
        raise Conflict(_("No visit is waiting for a technician."))
    record(ticket, actor, EventKind.VISIT, at=at, field="visit", new=Visit.ARRIVED)
    save(ticket, [], at=at)
    return ticket


def current_visit(ticket: Ticket) -> str:
    """ "required" while a visit waits for a technician, "arrived" after, "" if none."""
    last = (
        ticket.events.filter(kind=EventKind.VISIT)
        .order_by("-created_at", "-id")
        .values_list("new_value", flat=True)
        .first()
    )
    return last or ""
