"""What the asset endpoints read and write: filters, request bodies, representations."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema

from guichet.assets.choices import (
    AssetEventKind,
    AssetKind,
    AssetState,
    AssetSubtype,
    ComponentKind,
    Source,
)
from guichet.assets.models import Asset
from guichet.lib.schemas import MAX_ID, Day, Id, PageOut, Ref, Text, optional

from .base import MAX_POSITIVE, NOTES_MAX, Input, Money, SupplierName, ref

CustomValue = (
    Annotated[Text, Field(max_length=1000)]
    | bool
    | Annotated[int, Field(ge=-MAX_ID, le=MAX_ID)]
    | Annotated[float, Field(allow_inf_nan=False)]
    | None
)
CustomFields = Annotated[
    dict[Annotated[Text, Field(min_length=1, max_length=100)], CustomValue],
    Field(max_length=100, description="Names and plain values (text, number, true/false)."),
]
Sort = Literal["-id", "id", "name", "-name"]


class AssetFilters(Schema):
    q: Text = Field("", max_length=200, description="Words of the name, serial number or "
                    "inventory number; every word must appear.")  # fmt: skip
    kind: AssetKind | None = None
    subtype: AssetSubtype | None = None
    state: AssetState | None = None
    organisation: Id | None = None
    location: Id | None = None
    user: Id | None = Field(None, description="The assigned user's id.")
    manufacturer: Id | None = Field(None, description="The manufacturer's id.")
    sort: Sort = Field("-id", description="Newest first by default, or by name.")
    cursor: Text | None = Field(None, max_length=500)
    limit: int = Field(50, ge=1, le=200)


class AssetOut(Schema):
    id: int
    reference: str = Field(description="The inventory number, else `AS-<id>`.")
    name: str
    kind: AssetKind
    subtype: str = Field(description="One of the subtypes of computers and phones, or empty.")
    state: AssetState
    state_since: date
    inventory_number: str
    serial: str
    uuid: str
    manufacturer: Ref | None
    model: str
    organisation: Ref
    location: Ref | None
    user: Ref | None = Field(description="The person the asset is assigned to.")
    supplier: Ref | None
    purchase_date: date | None
    purchase_price: Decimal | None
    invoice_reference: str
    warranty_end: date | None
    extension: str
    imei: str
    line_number: str
    os_name: str
    os_version: str
    os_arch: str
    domain: str
    last_user: str = Field(description="The last user the inventory agent saw signed in.")
    memory_mb: int | None
    last_inventory_at: datetime | None
    created_at: datetime
    updated_at: datetime


class AssetDetail(AssetOut):
    notes: str
    custom_fields: dict
    contracts: list[Ref] = Field(description="The contracts that cover the asset.")


class AssetPage(PageOut):
    items: list[AssetOut]


class _AssetFields(Input):
    subtype: AssetSubtype | None = Field(None, description="Computers and phones only.")
    inventory_number: Text = optional(max_length=60, description="Unique when given.")
    serial: Text = optional(max_length=100)
    uuid: Text = optional(max_length=64)
    manufacturer: Text | None = Field(
        None, max_length=100, description="The manufacturer's name; a new one is created."
    )
    model: Text = optional(max_length=200)
    location: Id | None = Field(None, description="A site of the asset's organisation.")
    user: Id | None = Field(
        None, description="A person of the organisation, or a member of the support staff."
    )
    state: AssetState = optional()
    purchase_date: Day | None = None
    supplier: SupplierName | None = None
    purchase_price: Money | None = None
    invoice_reference: Text = optional(max_length=100)
    warranty_end: Day | None = None
    notes: Text = optional(max_length=NOTES_MAX)
    custom_fields: CustomFields = optional()
    extension: Text = optional(max_length=20)
    imei: Text = optional(max_length=20)
    line_number: Text = optional(max_length=40)
    os_name: Text = optional(max_length=200)
    os_version: Text = optional(max_length=100)
    os_arch: Text = optional(max_length=30)
    domain: Text = optional(max_length=200)
    memory_mb: int | None = Field(None, ge=0, le=MAX_POSITIVE)


class AssetIn(_AssetFields):
    """A new asset (support staff): a name, a type and an organisation are needed."""

    name: Text = Field(..., min_length=1, max_length=200)
    kind: AssetKind
    organisation: Id


class AssetUpdate(_AssetFields):
    """The fields to change (support staff); those left out keep their value. Moving the asset
    to another organisation leaves its site behind unless a new `location` is given."""

    name: Text = optional(min_length=1, max_length=200)
    kind: AssetKind = optional()
    organisation: Id = optional()
    note: Text = optional(max_length=10_000, description="Kept with each change in the history.")


class AssetEventOut(Schema):
    id: int
    kind: AssetEventKind
    source: Source = Field(description="Where the change came from.")
    field: str = Field(description="The field changed, for a change of a field.")
    old_value: str
    new_value: str
    note: str
    actor: Ref | None = Field(description="Who made the change; null for an agent or a system.")
    flagged: bool = Field(description="A component change that deserves a look.")
    reviewed_by: Ref | None
    reviewed_at: datetime | None
    created_at: datetime


class AssetEventPage(PageOut):
    items: list[AssetEventOut]


class ComponentOut(Schema):
    id: int
    kind: ComponentKind
    identity: str = Field(description="What identifies the part within the asset.")
    label: str
    size: int | None
    free: int | None
    data: dict = Field(description="Everything else the agent reported about the part.")
    first_seen: datetime
    last_seen: datetime | None = Field(description="The asset's last inventory.")


class VersionRef(Schema):
    id: int
    version: str


class InstallationOut(Schema):
    id: int
    asset: Ref
    product: Ref
    version: VersionRef
    installed_on: date | None
    first_seen: datetime
    last_seen: datetime | None = Field(description="The asset's last inventory.")


ASSET_RELATED = ("manufacturer", "organisation", "location", "user", "supplier")


def asset_out(asset: Asset) -> dict:
    return {
        "id": asset.pk,
        "reference": asset.reference,
        "name": asset.name,
        "kind": asset.kind,
        "subtype": asset.subtype,
        "state": asset.state,
        "state_since": asset.state_since,
        "inventory_number": asset.inventory_number,
        "serial": asset.serial,
        "uuid": asset.uuid,
        "manufacturer": ref(asset.manufacturer),
        "model": asset.model,
        "organisation": ref(asset.organisation),
        "location": ref(asset.location),
        "user": ref(asset.user),
        "supplier": ref(asset.supplier),
        "purchase_date": asset.purchase_date,
        "purchase_price": asset.purchase_price,
        "invoice_reference": asset.invoice_reference,
        "warranty_end": asset.warranty_end,
        "extension": asset.extension,
        "imei": asset.imei,
        "line_number": asset.line_number,
        "os_name": asset.os_name,
        "os_version": asset.os_version,
        "os_arch": asset.os_arch,
        "domain": asset.domain,
        "last_user": asset.last_user,
        "memory_mb": asset.memory_mb,
        "last_inventory_at": asset.last_inventory_at,
        "created_at": asset.created_at,
        "updated_at": asset.updated_at,
    }
