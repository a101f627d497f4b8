"""The tickets' reference lists, read once per process and revision (see guichet.lib.refcache).

The objects are shared by every request of the process: read them, never change them.
"""

from guichet.lib import refcache
from guichet.tickets.models import Category, PendingReason, PriorityRule, SolutionType
from guichet.tickets.seed import PRIORITY_MATRIX

# The seeded matrix (rows urgency, columns impact) fills a cell an administrator removed.
DEFAULT_MATRIX = PRIORITY_MATRIX


def _categories() -> list[Category]:
    categories = list(Category.objects.all())
    by_id = {c.pk: c for c in categories}
    for category in categories:
        if category.parent_id in by_id:
            category.parent = by_id[category.parent_id]  # full_name without a query
    return categories


def categories() -> list[Category]:
    """Every category, active or not, by code, each with its parent attached."""
    return refcache.cached("tickets.categories", _categories)


def pending_reasons() -> list[PendingReason]:
    return refcache.cached("tickets.pending_reasons", lambda: list(PendingReason.objects.all()))


def solution_types() -> list[SolutionType]:
    return refcache.cached("tickets.solution_types", lambda: list(SolutionType.objects.all()))


def _matrix() -> dict[tuple[int, int], int]:
    matrix = {
        (urgency, impact): priority
        for urgency, row in DEFAULT_MATRIX.items()
        for impact, priority in enumerate(row, start=1)
    }
    for rule in PriorityRule.objects.all():
        matrix[(rule.urgency, rule.impact)] = rule.priority
    return matrix


def priority_matrix() -> dict[tuple[int, int], int]:
    """(urgency, impact) -> priority: the administrators' cells over the default matrix."""
    return refcache.cached("tickets.priority_matrix", _matrix)


def _by_id(key: str, rows) -> dict:
    return refcache.cached(key, lambda: {row.pk: row for row in rows()})


def attach(ticket) -> None:
    """Give the ticket its organisation, site, category, team, technician, pending reason
    and solution type from the reference cache instead of joins (each stays a lazy read if it is
    not there)."""
    from guichet.accounts import reference as people

    sources = (
        ("organisation", people.organisations_by_id),
        ("location", people.locations_by_id),
        ("category", lambda: _by_id("tickets.categories_by_id", categories)),
        ("team", people.teams_by_id),
        ("assignee", people.staff_by_id),
        ("pending_reason", lambda: _by_id("tickets.pending_reasons_by_id", pending_reasons)),
        ("solution_type", lambda: _by_id("tickets.solution_types_by_id", solution_types)),
    )
    for field, rows in sources:
        pk = getattr(ticket, f"{field}_id")
        if pk is not None:
            found = rows().get(pk)
            if found is not None:
                setattr(ticket, field, found)
