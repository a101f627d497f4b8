"""Reference lists used to qualify tickets: the category tree, pending reasons, solution types.

Names come in the caller's language (`name`) and in both (`name_fr`, `name_en`).
"""

from ninja import Field, Query, Schema

from guichet.lib.schemas import responses
from guichet.tickets.models import Category, PendingReason, SolutionType
from guichet.tickets.schemas import CategoryOut, ReferenceOut

from .base import reference_router as router


class ReferenceFilters(Schema):
    include_inactive: bool = Field(False, description="Also list retired entries.")


def _entries(model, filters: ReferenceFilters):
    entries = model.objects.all()
    return entries if filters.include_inactive else entries.filter(active=True)


def _reference_out(entry) -> dict:
    return {
        "id": entry.pk,
        "code": entry.code,
        "name": entry.name,
        "name_fr": entry.name_fr,
        "name_en": entry.name_en,
        "active": entry.active,
    }


@router.get("/categories", response=responses(list[CategoryOut]))
def list_categories(request, filters: Query[ReferenceFilters]):
    """The category tree as a flat list: each entry names its `parent` (null at the top)."""
    return [{**_reference_out(c), "parent": c.parent_id} for c in _entries(Category, filters)]


@router.get("/pending-reasons", response=responses(list[ReferenceOut]))
def list_pending_reasons(request, filters: Query[ReferenceFilters]):
    return [_reference_out(r) for r in _entries(PendingReason, filters)]


@router.get("/solution-types", response=responses(list[ReferenceOut]))
def list_solution_types(request, filters: Query[ReferenceFilters]):
    return [_reference_out(s) for s in _entries(SolutionType, filters)]
