"""Licences: list, read (the key for those allowed), create, change, seats, compliance.

Visible as the access door says: the support staff see the licences of the organisations
they serve, an organisation's manager their own, other requesters none.
"""

from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Status

from guichet.accounts.access import (
    may_read_licence_keys,
    visible_assets,
    visible_licences,
    visible_users,
)
from guichet.assets import actions
from guichet.assets.actions.common import require_staff
from guichet.assets.choices import Source
from guichet.assets.models import Licence, LicenceAssignment
from guichet.lib import crypto
from guichet.lib.errors import InvalidInput
from guichet.lib.pagination import keyset_page
from guichet.lib.schemas import built_response, page_cursor, responses

from .base import ItemId, enum_values, page_out, ref, router
from .licence_schemas import (
    AssignmentIn,
    AssignmentOut,
    LicenceDetail,
    LicenceFilters,
    LicenceIn,
    LicencePage,
    LicenceUpdate,
)
from .software import visible_products

tags = ["licences"]
SEARCH_TERMS = 8
ASSET_UNUSED = ("asset__notes", "asset__custom_fields", "asset__inventory_digests")


def licences_for(user) -> QuerySet:
    queryset = Licence.objects.select_related("product", "organisation", "supplier")
    return visible_licences(user, queryset).annotate(used_seats=Count("assignments"))


def licence_for(user, licence_id: int) -> Licence:
    licence = licences_for(user).filter(pk=licence_id).first()
    if licence is None:
        raise Http404
    return licence


def licence_out(licence: Licence) -> dict:
    return {
        "id": licence.pk,
        "name": licence.name,
        "kind": licence.kind,
        "product": ref(licence.product),
        "organisation": ref(licence.organisation),
        "seats": licence.seats,
        "used_seats": licence.used_seats,  # type: ignore[attr-defined]
        "valid_from": licence.valid_from,
        "valid_until": licence.valid_until,
        "supplier": ref(licence.supplier),
        "purchase_price": licence.purchase_price,
        "has_key": bool(licence.key_encrypted),
        "created_at": licence.created_at,
        "updated_at": licence.updated_at,
    }


def assignment_out(assignment: LicenceAssignment) -> dict:
    return {
        "id": assignment.pk,
        "asset": ref(assignment.asset),
        "user": ref(assignment.user),
        "assigned_by": ref(assignment.assigned_by),
        "assigned_at": assignment.assigned_at,
    }


def _assignments(licence: Licence) -> list[dict]:
    rows = (
        licence.assignments.select_related("asset", "user", "assigned_by")
        .defer(*ASSET_UNUSED)
        .order_by("assigned_at", "id")
    )
    return [assignment_out(a) for a in rows]


def _key(user, licence: Licence) -> str | None:
    if not may_read_licence_keys(user) or not licence.key_encrypted:
        return None
    try:
        return actions.read_key(licence=licence, actor=user)
    except crypto.Undecryptable:
        return None  # encrypted under a key this installation no longer has


def licence_detail(user, licence: Licence) -> dict:
    return {
        **licence_out(licence),
        "notes": licence.notes,
        "assignments": _assignments(licence),
        "key": _key(user, licence),
    }


def _changes(user, payload: LicenceIn | LicenceUpdate) -> dict:
    """The action's arguments, after what only the API can check: the product must be one
    the caller may see, and only those who may read keys may send one, even an empty one
    (which would erase the key)."""
    require_staff(user)
    changes = enum_values(payload.model_dump(exclude_unset=True))
    if "key" in changes and not may_read_licence_keys(user):
        message = _("Only supervisors and administrators may set licence keys.")
        raise InvalidInput({"key": [message]})
    product = changes.get("product")
    if product is not None and not visible_products(user).filter(pk=product).exists():
        # Left to the action, which reports it as unknown with the other bad fields.
        changes["product"] = None
    return changes


@router.get("/licences", response=responses(LicencePage), summary="List licences", tags=tags)
def list_licences(request, filters: Query[LicenceFilters]):
    """Licences the caller may see, by name, with the seats used. Keys are never listed."""
    licences = licences_for(request.auth)
    for term in filters.q.split()[:SEARCH_TERMS]:
        licences = licences.filter(name__icontains=term)
    if filters.product is not None:
        licences = licences.filter(product_id=filters.product)
    if filters.organisation is not None:
        licences = licences.filter(organisation_id=filters.organisation)
    if filters.kind is not None:
        licences = licences.filter(kind=filters.kind.value)
    page = keyset_page(
        licences,
        field="name",
        descending=False,
        size=filters.limit,
        cursor=page_cursor(filters.cursor, str),
    )
    return built_response(request, page_out(page, [licence_out(li) for li in page.items]))


@router.post(
    "/licences", response=responses(LicenceDetail, 201), summary="Create a licence", tags=tags
)
def create_licence(request, payload: LicenceIn):
    """A new licence (support staff). A `key` is accepted from supervisors and administrators
    only; it is kept encrypted."""
    user = request.auth
    licence = actions.create_licence(actor=user, source=Source.API, **_changes(user, payload))
    return Status(201, licence_detail(user, licence_for(user, licence.pk)))


@router.get(
    "/licences/{licence_id}",
    response=responses(LicenceDetail),
    summary="Read a licence",
    tags=tags,
)
def read_licence(request, licence_id: ItemId):
    """One licence with its seats. `key` holds the licence key for supervisors and
    administrators only, and is null for everyone else."""
    user = request.auth
    return licence_detail(user, licence_for(user, licence_id))


@router.patch(
    "/licences/{licence_id}",
    response=responses(LicenceDetail),
    summary="Change a licence",
    tags=tags,
)
def update_licence(request, licence_id: ItemId, payload: LicenceUpdate):
    """Change the fields sent (support staff); `key` from supervisors and administrators
    only (an empty one removes the key)."""
    user = request.auth
    licence = licence_for(user, licence_id)
    actions.update_licence(
        licence=licence, actor=user, source=Source.API, **_changes(user, payload)
    )
    return licence_detail(user, licence_for(user, licence.pk))


@router.post(
    "/licences/{licence_id}/assignments",
    response=responses(AssignmentOut, 201),
    summary="Give a seat of a licence",
    tags=tags,
)
def assign_licence(request, licence_id: ItemId, payload: AssignmentIn):
    """Give a seat to a machine or a person of the licence's organisation (support staff).
    A machine or person that already has one, or a licence whose seats are all taken, is a
    409."""
    user = request.auth
    licence = licence_for(user, licence_id)
    require_staff(user)
    errors = {}
    asset = holder = None
    if payload.asset is not None:
        asset = visible_assets(user).filter(pk=payload.asset).first()
        if asset is None:
            errors["asset"] = [_("Unknown asset.")]
    if payload.user is not None:
        holder = visible_users(user).filter(pk=payload.user).first()
        if holder is None:
            errors["user"] = [_("Unknown user.")]
    if errors:
        raise InvalidInput(errors)
    assignment = actions.assign_licence(
        licence=licence, actor=user, asset=asset, user=holder, source=Source.API
    )
    return Status(201, assignment_out(assignment))


@router.delete(
    "/licences/{licence_id}/assignments/{assignment_id}",
    response=responses(list[AssignmentOut]),
    summary="Take back a seat of a licence",
    tags=tags,
)
def unassign_licence(request, licence_id: ItemId, assignment_id: ItemId):
    """Free the seat (support staff); answers the seats still given."""
    user = request.auth
    licence = licence_for(user, licence_id)
    assignment = (
        licence.assignments.select_related("asset", "licence").filter(pk=assignment_id).first()
    )
    if assignment is None:
        raise Http404
    actions.unassign_licence(assignment=assignment, actor=user, source=Source.API)
    return _assignments(licence)
