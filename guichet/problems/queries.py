"""Reads of the problems room: the staff list, a problem's incidents and history, the ticket
panel, and the report of categories that call for a problem. Tenant data (the incidents)
always goes through `access.visible_tickets`: a problem is shared by the staff, its incidents
are not."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, QuerySet, Value, When

from guichet.accounts import reference as people
from guichet.accounts.access import visible_problems, visible_tickets
from guichet.lib.pagination import Page, keyset_page
from guichet.problems.choices import OPEN_PROBLEM_STATUSES, ProblemEventKind, ProblemStatus
from guichet.problems.models import Problem, ProblemEvent, ProblemTicket
from guichet.tickets import reference as tickets_reference
from guichet.tickets.choices import Level, Priority, TicketType

PAGE_SIZE = 50
INCIDENTS_SHOWN = 200  # a problem page lists this many incidents at most, the newest first
TICKET_EVENTS = (ProblemEventKind.LINKED, ProblemEventKind.UNLINKED)


@dataclass
class ProblemFilter:
    status: str = ""
    category: int | None = None
    team: int | None = None
    assignee: int | str | None = None  # an id, "me" or "none"

    def apply(self, queryset: QuerySet, user) -> QuerySet:
        if self.status == "open":
            queryset = queryset.filter(status__in=OPEN_PROBLEM_STATUSES)
        elif self.status:
            queryset = queryset.filter(status=self.status)
        if self.category is not None:
            queryset = queryset.filter(category_id=self.category)
        if self.team is not None:
            queryset = queryset.filter(team_id=self.team)
        if self.assignee == "me":
            queryset = queryset.filter(assignee_id=user.pk)
        elif self.assignee == "none":
            queryset = queryset.filter(assignee__isnull=True)
        elif self.assignee is not None:
            queryset = queryset.filter(assignee_id=self.assignee)
        return queryset


def problem_page(user, filters: ProblemFilter, cursor: str | None, size: int = PAGE_SIZE) -> Page:
    """One keyset page: open problems first, then the newest. `open_rank` is 1 for an open
    problem, so (open_rank, id) descending pages like any other sort (ValueError on a bad
    cursor). Each row gets `incident_count`: the incidents the viewer may see."""
    queryset = filters.apply(visible_problems(user), user).annotate(
        open_rank=Case(
            When(status__in=OPEN_PROBLEM_STATUSES, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    )
    queryset = queryset.select_related("category__parent", "team", "assignee")
    page = keyset_page(queryset, field="open_rank", descending=True, size=size, cursor=cursor)
    counts = visible_incident_counts(user, [p.pk for p in page.items])
    for problem in page.items:
        problem.incident_count = counts.get(problem.pk, 0)
    return page


def visible_incident_counts(user, problem_ids: list[int]) -> dict[int, int]:
    """Per problem, how many of its incidents `user` may see (one grouped query)."""
    if not problem_ids:
        return {}
    rows = (
        ProblemTicket.objects.filter(problem_id__in=problem_ids)
        .filter(ticket__in=visible_tickets(user))
        .values("problem_id")
        .annotate(n=Count("id"))
        .values_list("problem_id", "n")
    )
    return dict(rows)


def incidents(user, problem: Problem) -> list:
    """The problem's incidents that `user` may see, newest first, with their client."""
    return list(
        visible_tickets(user)
        .filter(problem_links__problem=problem)
        .select_related("organisation")
        .order_by("-pk")[:INCIDENTS_SHOWN]
    )


def _shown(field: str, value: str) -> str:
    """An event's stored value as people read it: labels for choices, names for ids."""
    if value == "":
        return ""
    try:
        if field == "status":
            return str(ProblemStatus(value).label)
        if field in ("impact", "urgency"):
            return str(Level(int(value)).label)
        if field == "priority":
            return str(Priority(int(value)).label)
        if field == "category":
            found = {c.pk: c for c in tickets_reference.categories()}.get(int(value))
            return found.full_name if found else value
        if field == "team":
            return people.team_names().get(int(value), value)
        if field == "assignee":
            return people.staff_names().get(int(value), value)
    except ValueError:
        return value
    return value


def history(user, problem: Problem) -> list[ProblemEvent]:
    """The problem's events, each with `old_shown` and `new_shown`. Linking events of an
    incident the viewer may not see are left out: its number alone says it exists."""
    events = list(problem.events.select_related("actor"))
    named = {
        int(e.new_value or e.old_value)
        for e in events
        if e.kind in TICKET_EVENTS and (e.new_value or e.old_value).isdigit()
    }
    seen = set(visible_tickets(user).filter(pk__in=named).values_list("pk", flat=True))
    shown = []
    for event in events:
        if event.kind in TICKET_EVENTS:
            number = event.new_value or event.old_value
            if not number.isdigit() or int(number) not in seen:
                continue
        event.old_shown = _shown(event.field, event.old_value)  # type: ignore[attr-defined]
        event.new_shown = _shown(event.field, event.new_value)  # type: ignore[attr-defined]
        shown.append(event)
    return shown


def problems_of_ticket(user, ticket) -> list[Problem]:
    """The problems an incident (already checked as visible) is linked to, open ones first."""
    found = visible_problems(user).filter(ticket_links__ticket=ticket)
    found = found.select_related("known_error").order_by("-pk")
    return sorted(found, key=lambda p: p.status not in OPEN_PROBLEM_STATUSES)


@dataclass
class Candidate:
    category: object
    count: int


def candidates(user, *, min_count: int, days: int, now: datetime) -> list[Candidate]:
    """Categories with at least `min_count` incidents in the last `days` days that no problem
    covers yet, the most frequent first; counted over the tickets `user` may see only.

    One grouped query: the period runs on the index on created_at, the grouping on the
    category column, and "not linked" is an anti-join on the ProblemTicket ticket index;
    nothing is looped over in Python. Assets (later): the same grouping by configuration
    item, once tickets name the asset they are about."""
    since = now - timedelta(days=days)
    linked = ProblemTicket.objects.filter(ticket_id=OuterRef("pk"))
    rows = (
        visible_tickets(user)
        # No "category is not null" here: it would steer SQLite onto the category index over
        # the whole table; the uncategorised group is simply dropped below.
        .filter(created_at__gte=since, type=TicketType.INCIDENT)
        .filter(~Exists(linked))
        .values("category_id")
        .annotate(n=Count("id"))
        .filter(n__gte=min_count)
        .order_by("-n", "category_id")
        .values_list("category_id", "n")
    )
    by_id = {c.pk: c for c in tickets_reference.categories()}
    return [Candidate(by_id[pk], n) for pk, n in rows if pk is not None and pk in by_id]


def candidate_tickets(user, *, category_id: int, days: int, now: datetime, limit: int) -> list:
    """The unlinked incidents of one candidate category, to start a problem from them."""
    linked = ProblemTicket.objects.filter(ticket_id=OuterRef("pk"))
    return list(
        visible_tickets(user)
        .filter(
            created_at__gte=now - timedelta(days=days),
            type=TicketType.INCIDENT,
            category_id=category_id,
        )
        .filter(~Exists(linked))
        .order_by("-pk")
        .values_list("pk", flat=True)[:limit]
    )
