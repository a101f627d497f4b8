"""What the problem verbs share: the staff check, the row lock, the event row, text checks."""

from datetime import datetime

from django.utils.translation import gettext as _

from guichet.accounts.access import is_staff_member
from guichet.lib.errors import Forbidden
from guichet.problems.models import Problem, ProblemEvent

TITLE_MAX = 250
# Analyses can be long; a pasted log of megabytes is a mistake that would bloat every event.
TEXT_MAX = 100_000


def require_staff(actor) -> None:
    if not is_staff_member(actor):
        raise Forbidden(_("Only the support staff can manage problems."))


def lock(problem: Problem) -> Problem:
    """Re-read the problem under a row lock so two concurrent changes never interleave."""
    return Problem.objects.select_for_update().get(pk=problem.pk)


def record(
    problem: Problem,
    actor,
    kind: str,
    *,
    at: datetime,
    field: str = "",
    old="",
    new="",
    note: str = "",
) -> ProblemEvent:
    return ProblemEvent.objects.create(
        problem=problem,
        actor=actor,
        kind=kind,
        field=field,
        old_value="" if old is None else str(old),
        new_value="" if new is None else str(new),
        note=note,
        created_at=at,
    )


def check_text(errors: dict, field: str, value, *, required: bool = False, limit: int = TEXT_MAX):
    value = ("" if value is None else str(value)).strip()
    if required and not value:
        errors[field] = [_("This field is required.")]
    elif len(value) > limit:
        errors[field] = [_("At most %(n)d characters.") % {"n": limit}]
    elif "\x00" in value:
        errors[field] = [_("Contains a NUL character.")]
    return value
