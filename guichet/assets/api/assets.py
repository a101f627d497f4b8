"""Assets: list (filters, cursor pagination), create, read, change."""

from django.db.models import QuerySet
from ninja import Query, Status

from guichet.accounts.access import asset_or_404, visible_assets, visible_contracts
from guichet.assets import actions, text_index
from guichet.assets.choices import Source
from guichet.assets.models import Asset
from guichet.lib.pagination import keyset_page
from guichet.lib.schemas import built_response, page_cursor, responses

from .asset_schemas import (
    ASSET_RELATED,
    AssetDetail,
    AssetFilters,
    AssetIn,
    AssetPage,
    AssetUpdate,
    asset_out,
)
from .base import AssetId, enum_values, page_out, ref, router

# The type of each sort column's value, which a cursor must carry.
CURSOR_TYPES = {"id": int, "name": str}


def assets_for(user) -> QuerySet:
    """The assets `user` may see, with what their representation needs in the same query."""
    return visible_assets(user, Asset.objects.select_related(*ASSET_RELATED))


def asset_for(user, asset_id: int) -> Asset:
    """The asset, or a 404 when it does not exist or `user` may not see it."""
    return asset_or_404(user, asset_id, Asset.objects.select_related(*ASSET_RELATED))


def asset_detail(user, asset: Asset) -> dict:
    contracts = visible_contracts(user, asset.contracts.order_by("ends_on", "name"))
    return {
        **asset_out(asset),
        "notes": asset.notes,
        "custom_fields": asset.custom_fields,
        "contracts": [ref(c) for c in contracts],
    }


def filtered(assets: QuerySet, filters: AssetFilters) -> QuerySet:
    if filters.q.strip():
        assets = assets.filter(text_index.matching(filters.q))
    for name in ("kind", "subtype", "state"):
        value = getattr(filters, name)
        if value is not None:
            assets = assets.filter(**{name: value.value})
    for name in ("organisation", "location", "user", "manufacturer"):
        value = getattr(filters, name)
        if value is not None:
            assets = assets.filter(**{f"{name}_id": value})
    return assets


@router.get("/assets", response=responses(AssetPage), summary="List assets")
def list_assets(request, filters: Query[AssetFilters]):
    """Assets the caller may see: the support staff those of the organisations they serve, a
    requester those assigned to them (an organisation's manager all of its assets).

    Pass `next_cursor` (or `prev_cursor`) back as `cursor` for the next (previous) page.
    """
    field = filters.sort.lstrip("-")
    page = keyset_page(
        filtered(assets_for(request.auth), filters),
        field=field,
        descending=filters.sort.startswith("-"),
        size=filters.limit,
        cursor=page_cursor(filters.cursor, CURSOR_TYPES[field]),
    )
    return built_response(request, page_out(page, [asset_out(a) for a in page.items]))


@router.post("/assets", response=responses(AssetDetail, 201), summary="Create an asset")
def create_asset(request, payload: AssetIn):
    """A new asset (support staff), for an organisation they serve. The change is recorded
    in the asset's history as coming from the API."""
    user = request.auth
    changes = enum_values(payload.model_dump(exclude_unset=True))
    asset = actions.create_asset(actor=user, source=Source.API, **changes)
    return Status(201, asset_detail(user, asset))


@router.get("/assets/{asset_id}", response=responses(AssetDetail), summary="Read an asset")
def read_asset(request, asset_id: AssetId):
    """One asset, with its notes, custom fields and the contracts the caller may see."""
    user = request.auth
    return asset_detail(user, asset_for(user, asset_id))


@router.patch("/assets/{asset_id}", response=responses(AssetDetail), summary="Change an asset")
def update_asset(request, asset_id: AssetId, payload: AssetUpdate):
    """Change the fields sent (support staff); each change is one event of the history, with
    the API as its source. Requesters may read their assets, not change them (403)."""
    user = request.auth
    asset = asset_for(user, asset_id)
    changes = enum_values(payload.model_dump(exclude_unset=True))
    note = changes.pop("note", "")
    actions.update_asset(asset=asset, actor=user, source=Source.API, note=note, **changes)
    # The caller changed it, so they get the result even where it left what they see.
    fresh = Asset.objects.select_related(*ASSET_RELATED).get(pk=asset.pk)
    return asset_detail(user, fresh)
