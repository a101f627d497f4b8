"""Opening, editing and moving problems through their statuses (`choices.TRANSITIONS`)."""

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.accounts.access import is_staff_member
from guichet.lib.errors import Conflict, InvalidInput
from guichet.problems.actions.common import TITLE_MAX, check_text, lock, record, require_staff
from guichet.problems.actions.links import attach_tickets
from guichet.problems.choices import TRANSITIONS, ProblemEventKind, ProblemStatus
from guichet.problems.models import Problem
from guichet.tickets.actions.common import compute_priority
from guichet.tickets.choices import Level

TEXT_FIELDS = ("description", "impact_analysis", "root_cause", "workaround", "permanent_fix")
RELATIONS = ("category", "team", "assignee")
EDITABLE = ("title", *TEXT_FIELDS, "impact", "urgency", *RELATIONS)


def _clean(values: dict) -> dict:
    """Check what was given (only those keys): texts, levels, and a staff problem manager."""
    errors: dict[str, list[str]] = {}
    cleaned: dict = {}
    for name, value in values.items():
        if name not in EDITABLE:
            errors[name] = [_("Unknown field.")]
        elif name == "title":
            cleaned[name] = check_text(errors, name, value, required=True, limit=TITLE_MAX)
        elif name in TEXT_FIELDS:
            cleaned[name] = check_text(errors, name, value)
        elif name in ("impact", "urgency"):
            if isinstance(value, bool) or value not in Level.values:
                errors[name] = [_("Choose a level from 1 to 5.")]
            cleaned[name] = value
        else:
            cleaned[name] = value
    assignee = cleaned.get("assignee")
    if assignee is not None and not is_staff_member(assignee):
        errors["assignee"] = [_("The problem manager must be a member of the support staff.")]
    if errors:
        raise InvalidInput(errors)
    return cleaned


def _stored(problem: Problem, name: str) -> str:
    """A field's value as an event keeps it: ids for relations (named when shown)."""
    if name in RELATIONS:
        pk = getattr(problem, f"{name}_id")
        return "" if pk is None else str(pk)
    return str(getattr(problem, name))


@transaction.atomic
def create_problem(
    *,
    actor,
    title: str,
    tickets: Iterable = (),
    at: datetime | None = None,
    **values,
) -> Problem:
    """A new problem, optionally with the incidents it comes from (each must be visible to
    `actor`); the priority follows impact and urgency through the priority matrix."""
    require_staff(actor)
    at = at or timezone.now()
    cleaned = _clean({"title": title, **values})
    cleaned.setdefault("impact", Level.MEDIUM)
    cleaned.setdefault("urgency", Level.MEDIUM)
    problem = Problem(
        **cleaned,
        priority=compute_priority(impact=cleaned["impact"], urgency=cleaned["urgency"]),
        created_by=actor,
        created_at=at,
        updated_at=at,
    )
    problem.save()
    record(problem, actor, ProblemEventKind.CREATED, at=at, new=problem.status)
    attach_tickets(problem, list(tickets), actor, at=at)
    return problem


@transaction.atomic
def update_problem(*, problem: Problem, actor, at: datetime | None = None, **values) -> Problem:
    """Change the given fields; one event per field that really changed (old → new)."""
    require_staff(actor)
    at = at or timezone.now()
    cleaned = _clean(values)
    problem = lock(problem)
    changed: list[str] = []
    for name, value in cleaned.items():
        old = _stored(problem, name)
        setattr(problem, name, value)
        new = _stored(problem, name)
        if old != new:
            changed.append(name)
            record(problem, actor, ProblemEventKind.CHANGED, at=at, field=name, old=old, new=new)
    if "impact" in changed or "urgency" in changed:
        priority = compute_priority(impact=problem.impact, urgency=problem.urgency)
        if priority != problem.priority:
            record(problem, actor, ProblemEventKind.CHANGED, at=at, field="priority",
                   old=problem.priority, new=priority)  # fmt: skip
            problem.priority = priority
            changed.append("priority")
    if changed:
        problem.updated_at = at
        problem.save(update_fields=[*changed, "updated_at"])
    return problem


def change_status(problem: Problem, actor, status: str, *, at: datetime, note: str = "") -> list:
    """Move a locked problem to `status` (map checked) and return the fields to save.
    Solving and closing stamp their time; analysing again clears both."""
    old = problem.status
    if status not in ProblemStatus.values or status not in TRANSITIONS[ProblemStatus(old)]:
        raise Conflict(
            _("A problem cannot go from “%(old)s” to “%(new)s”.")
            % {"old": ProblemStatus(old).label, "new": status}
        )
    problem.status = status
    fields = ["status"]
    if status == ProblemStatus.SOLVED:
        problem.solved_at = at
        fields.append("solved_at")
    elif status == ProblemStatus.CLOSED:
        problem.closed_at = at
        fields.append("closed_at")
    elif old in (ProblemStatus.SOLVED, ProblemStatus.CLOSED):
        problem.solved_at = problem.closed_at = None
        fields += ["solved_at", "closed_at"]
    record(problem, actor, ProblemEventKind.STATUS, at=at, field="status", old=old, new=status,
           note=note)  # fmt: skip
    return fields


@transaction.atomic
def set_status(
    *, problem: Problem, actor, status: str, note: str = "", at: datetime | None = None
) -> Problem:
    require_staff(actor)
    at = at or timezone.now()
    errors: dict = {}
    note = check_text(errors, "note", note, limit=2000)
    if errors:
        raise InvalidInput(errors)
    problem = lock(problem)
    if status == problem.status:
        return problem
    fields = change_status(problem, actor, status, at=at, note=note)
    problem.updated_at = at
    problem.save(update_fields=[*fields, "updated_at"])
    return problem
