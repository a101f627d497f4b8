"""What the licence endpoints read and write."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

from guichet.assets.choices import LicenceKind
from guichet.lib.schemas import Day, Id, PageOut, Ref, Text, optional

from .base import MAX_POSITIVE, NOTES_MAX, Input, Money, SupplierName

KEY_MAX = 2000
KEY_RULE = "Supervisors and administrators only: from anyone else the field is refused (422)."


class LicenceFilters(Schema):
    q: Text = Field("", max_length=200, description="Words of the licence's name.")
    product: Id | None = None
    organisation: Id | None = None
    kind: LicenceKind | None = None
    cursor: Text | None = Field(None, max_length=500)
    limit: int = Field(50, ge=1, le=200)


class LicenceOut(Schema):
    id: int
    name: str
    kind: LicenceKind
    product: Ref
    organisation: Ref
    seats: int | None = Field(description="Null for a site licence.")
    used_seats: int = Field(description="Seats given to machines or people.")
    valid_from: date | None
    valid_until: date | None
    supplier: Ref | None
    purchase_price: Decimal | None
    has_key: bool = Field(description="Whether a licence key is kept (never the key itself).")
    created_at: datetime
    updated_at: datetime


class AssignmentOut(Schema):
    id: int
    asset: Ref | None = Field(description="The machine holding the seat, or null.")
    user: Ref | None = Field(description="The person holding the seat, or null.")
    assigned_by: Ref | None
    assigned_at: datetime


class LicenceDetail(LicenceOut):
    notes: str
    assignments: list[AssignmentOut]
    key: str | None = Field(
        description="The licence key in clear, for supervisors and administrators only; "
        "null for everyone else (and when it can no longer be decrypted)."
    )


class LicencePage(PageOut):
    items: list[LicenceOut]


class _LicenceFields(Input):
    seats: int | None = Field(
        None, ge=0, le=MAX_POSITIVE, description="Needed unless the licence is a site licence."
    )
    key: Text | None = Field(None, max_length=KEY_MAX, description=KEY_RULE)
    valid_from: Day | None = None
    valid_until: Day | None = None
    supplier: SupplierName | None = None
    purchase_price: Money | None = None
    notes: Text = optional(max_length=NOTES_MAX)


class LicenceIn(_LicenceFields):
    """A new licence (support staff) of a product, for an organisation they serve."""

    name: Text = Field(..., min_length=1, max_length=200)
    kind: LicenceKind
    product: Id
    organisation: Id


class LicenceUpdate(_LicenceFields):
    """The fields to change (support staff); those left out keep their value."""

    name: Text = optional(min_length=1, max_length=200)
    kind: LicenceKind = optional()
    product: Id = optional()
    organisation: Id = optional()


class AssignmentIn(Input):
    """A seat for a machine or for a person of the licence's organisation: one of the two."""

    asset: Id | None = None
    user: Id | None = None


class ComplianceFilters(Schema):
    organisation: Id | None = None
    product: Id | None = None


class ComplianceOut(Schema):
    product: Ref
    publisher: str
    organisation: Ref
    installed: int = Field(description="Machines in use or in stock with the product installed.")
    entitled: int | None = Field(description="Machines the valid licences cover; null: a site "
                                 "licence, no limit.")  # fmt: skip
    difference: int | None = Field(description="Seats beyond the installs; negative: missing.")
    licences: int = Field(description="Licences of the product valid today.")
    status: Literal["compliant", "over", "under", "unlimited"]
    status_label: str
