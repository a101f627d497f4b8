"""What an asset holds and went through: its history, components and installed software."""

from ninja import Field, Query, Schema

from guichet.assets.models import Component, Installation
from guichet.lib.pagination import keyset_page
from guichet.lib.schemas import Text, built_response, page_cursor, responses

from .asset_schemas import AssetEventPage, ComponentOut, InstallationOut
from .assets import asset_for
from .base import AssetId, page_out, ref, router


class HistoryFilters(Schema):
    cursor: Text | None = Field(None, max_length=500)
    limit: int = Field(50, ge=1, le=200)


def event_out(event) -> dict:
    return {
        "id": event.pk,
        "kind": event.kind,
        "source": event.source,
        "field": event.field,
        "old_value": event.old_value,
        "new_value": event.new_value,
        "note": event.note_text(),
        "actor": ref(event.actor),
        "flagged": event.flagged,
        "reviewed_by": ref(event.reviewed_by),
        "reviewed_at": event.reviewed_at,
        "created_at": event.created_at,
    }


def component_out(component: Component, asset) -> dict:
    return {
        "id": component.pk,
        "kind": component.kind,
        "identity": component.identity,
        "label": component.label,
        "size": component.size,
        "free": component.free,
        "data": component.data,
        "first_seen": component.first_seen,
        "last_seen": asset.last_inventory_at,
    }


def installation_out(installation: Installation, asset) -> dict:
    """`asset` is the installation's, passed in so that a list of one asset reads it once."""
    version = installation.version
    return {
        "id": installation.pk,
        "asset": {"id": asset.pk, "name": asset.name},
        "product": ref(installation.product),
        "version": {"id": version.pk, "version": version.version},
        "installed_on": installation.installed_on,
        "first_seen": installation.first_seen,
        "last_seen": asset.last_inventory_at,
    }


@router.get(
    "/assets/{asset_id}/history", response=responses(AssetEventPage), summary="An asset's history"
)
def asset_history(request, asset_id: AssetId, filters: Query[HistoryFilters]):
    """Every change of the asset, newest first: who or which agent, when, what, old → new.
    Pass `next_cursor` back as `cursor` for older events."""
    asset = asset_for(request.auth, asset_id)
    page = keyset_page(
        asset.events.select_related("actor", "reviewed_by"),
        field="id",
        descending=True,
        size=filters.limit,
        cursor=page_cursor(filters.cursor, int),
    )
    return built_response(request, page_out(page, [event_out(e) for e in page.items]))


@router.get(
    "/assets/{asset_id}/components",
    response=responses(list[ComponentOut]),
    summary="An asset's components",
)
def asset_components(request, asset_id: AssetId):
    """The parts present in the asset as its agent last reported them, by kind; a removed
    part is gone from here and kept as an event of the history."""
    asset = asset_for(request.auth, asset_id)
    components = asset.components.order_by("kind", "identity", "id")
    return [component_out(c, asset) for c in components]


@router.get(
    "/assets/{asset_id}/installations",
    response=responses(list[InstallationOut]),
    summary="Software installed on an asset",
)
def asset_installations(request, asset_id: AssetId):
    """The software present on the asset, by product and version; each was last seen at the
    asset's last inventory."""
    asset = asset_for(request.auth, asset_id)
    installations = asset.installations.select_related("product", "version").order_by(
        "product__name", "version__version", "id"
    )
    return [installation_out(i, asset) for i in installations]
