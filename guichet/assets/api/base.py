"""What every assets endpoint shares: the router, input rules, money, and small references.

Input schemas forbid unknown fields, so that a misspelt or read-only field is an error rather
than silently ignored. Writes go through `guichet.assets.actions`, which check the role and
the values again; the schemas only keep out what would fail in the database (a 500).
"""

from decimal import Decimal
from typing import Annotated, Any

from ninja import Router, Schema
from pydantic import ConfigDict, Field

from guichet.lib.schemas import MAX_ID, Text

router = Router(tags=["assets"])

AssetId = Annotated[int, Field(ge=1, le=MAX_ID, description="The asset's id.")]
ItemId = Annotated[int, Field(ge=1, le=MAX_ID)]
# The largest value of a PositiveIntegerField on every database.
MAX_POSITIVE = 2**31 - 1
# Prices as the models keep them: up to 12 digits, 2 after the point.
Money = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)]
# Someone who needs more than a century of notice has another problem; the bound also keeps
# the date arithmetic of the reminders away from the end of the calendar.
Days = Annotated[int, Field(ge=0, le=36_500)]
SUPPLIER_MAX = 200
NOTES_MAX = 100_000
LIST_MAX = 1000


class Input(Schema):
    model_config = ConfigDict(extra="forbid")


SupplierName = Annotated[
    Text, Field(max_length=SUPPLIER_MAX, description="The supplier's name; a new one is created.")
]


def ref(obj: Any) -> dict | None:
    """`{id, name}` of a related object, or None."""
    if obj is None:
        return None
    name = getattr(obj, "display_name", None) or getattr(obj, "name", None) or str(obj)
    return {"id": obj.pk, "name": name}


def enum_values(changes: dict) -> dict:
    """Choices as their stored value (the schemas parse them into enums)."""
    return {k: getattr(v, "value", v) for k, v in changes.items()}


def page_out(page, items: list) -> dict:
    return {"items": items, "next_cursor": page.next_cursor, "prev_cursor": page.prev_cursor}
