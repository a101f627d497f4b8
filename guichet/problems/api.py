"""The problems API, read-only, for the support staff (see guichet/api.py for authentication
and errors). Incidents are listed and counted among those the caller may see only."""

from datetime import datetime

from django.http import QueryDict
from ninja import Field, Query, Router, Schema

from guichet.accounts.access import problem_or_404
from guichet.lib.errors import InvalidInput
from guichet.lib.pagination import MAX_PAGE_SIZE
from guichet.lib.schemas import Id, PageOut, page_cursor, responses
from guichet.problems import queries
from guichet.problems.actions.common import require_staff
from guichet.problems.forms import FilterForm
from guichet.problems.models import Problem

router = Router(tags=["problems"])


class ProblemFilters(Schema):
    status: str = Field("", description="open, or one status: new, analysing, known_error…")
    category: str = ""
    team: str = ""
    assignee: str = Field("", description="an id, me or none")
    cursor: str | None = None
    limit: int = Field(queries.PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


class ProblemOut(Schema):
    id: int
    reference: str
    title: str
    status: str
    impact: int
    urgency: int
    priority: int
    category: int | None
    team: int | None
    assignee: int | None
    known_error: int | None
    incident_count: int = Field(description="linked incidents the caller may see")
    created_at: datetime
    updated_at: datetime
    solved_at: datetime | None
    closed_at: datetime | None


class ProblemDetailOut(ProblemOut):
    description: str
    impact_analysis: str
    root_cause: str
    workaround: str
    permanent_fix: str
    incidents: list[int] = Field(description="ids of the linked incidents the caller may see")


class ProblemPage(PageOut):
    items: list[ProblemOut]


def problem_out(problem: Problem, count: int) -> dict:
    return {
        "id": problem.pk,
        "reference": problem.reference,
        "title": problem.title,
        "status": problem.status,
        "impact": problem.impact,
        "urgency": problem.urgency,
        "priority": problem.priority,
        "category": problem.category_id,
        "team": problem.team_id,
        "assignee": problem.assignee_id,
        "known_error": problem.known_error_id,
        "incident_count": count,
        "created_at": problem.created_at,
        "updated_at": problem.updated_at,
        "solved_at": problem.solved_at,
        "closed_at": problem.closed_at,
    }


@router.get("", response=responses(ProblemPage))
def list_problems(request, filters: Query[ProblemFilters]):
    """Problems, open ones first then the newest, filtered as on the problems screen."""
    user = request.auth
    require_staff(user)
    params = QueryDict(mutable=True)
    for name in ("status", "category", "team", "assignee"):
        params[name] = getattr(filters, name)
    form = FilterForm(params)
    if not form.is_valid():
        raise InvalidInput({name: [str(e) for e in errors] for name, errors in form.errors.items()})
    page = queries.problem_page(
        user, form.filters(), page_cursor(filters.cursor, int), size=filters.limit
    )
    return {
        "items": [problem_out(p, p.incident_count) for p in page.items],
        "next_cursor": page.next_cursor,
        "prev_cursor": page.prev_cursor,
    }


@router.get("/{problem_id}", response=responses(ProblemDetailOut))
def get_problem(request, problem_id: Id):
    user = request.auth
    require_staff(user)
    problem = problem_or_404(user, problem_id)
    incidents = [t.pk for t in queries.incidents(user, problem)]
    return {
        **problem_out(problem, len(incidents)),
        "description": problem.description,
        "impact_analysis": problem.impact_analysis,
        "root_cause": problem.root_cause,
        "workaround": problem.workaround,
        "permanent_fix": problem.permanent_fix,
        "incidents": incidents,
    }
