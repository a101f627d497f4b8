"""Creating and editing assets, one field-level event per change, from any source (the
screens, the API, a CSV import, a ticket, an inventory agent)."""

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.accounts.access import visible_assets
from guichet.accounts.choices import STAFF_ROLES
from guichet.accounts.models import Location, User
from guichet.assets import usage
from guichet.assets.actions.common import (
    check_organisation,
    clean_field,
    raise_if,
    record,
    require_staff,
)
from guichet.assets.choices import SUBTYPES, AssetEventKind, AssetState, Source
from guichet.assets.models import Asset, Manufacturer, Supplier, TicketAsset
from guichet.lib.errors import InvalidInput

PLAIN = (
    "name", "kind", "subtype", "inventory_number", "serial", "uuid", "model", "state",
    "purchase_date", "purchase_price", "invoice_reference", "warranty_end", "notes",
    "custom_fields", "extension", "imei", "line_number", "os_name", "os_version", "os_arch",
    "domain", "memory_mb",
)  # fmt: skip
RELATIONS = ("organisation", "location", "user", "manufacturer", "supplier")
EDITABLE = PLAIN + RELATIONS
# Fields whose values are named in the history rather than kept as ids.
NAMED = {"organisation", "location", "user", "manufacturer", "supplier"}


def named(model, name: str, max_length: int):
    """A manufacturer or supplier by name, created when new (agents and CSV files name
    them); matched case-insensitively so "hp" and "HP" are one."""
    if name is None or isinstance(name, model):
        return name
    name = str(name).strip()[:max_length]
    if not name:
        return None
    found = model.objects.filter(name__iexact=name).first()
    return found or model.objects.create(name=name)


def _relation(name: str, value, organisation, errors: dict):
    if value in (None, ""):
        return None
    if name == "manufacturer":
        return named(Manufacturer, value, 100)
    if name == "supplier":
        return named(Supplier, value, 200)
    pk = getattr(value, "pk", value)
    try:
        pk = int(pk)
    except (TypeError, ValueError, OverflowError):
        errors[name] = [_("Unknown value.")]
        return None
    if name == "location":
        found = Location.objects.filter(pk=pk, organisation=organisation).first()
        if found is None:
            errors[name] = [_("This location is not one of the organisation's sites.")]
        return found
    person = User.objects.filter(pk=pk, is_active=True).first()
    if person is None or not (
        person.organisation_id == getattr(organisation, "pk", None) or person.role in STAFF_ROLES
    ):
        errors[name] = [_("The assigned user must belong to the organisation.")]
        return None
    return person


def _clean(actor, values: dict, current: Asset | None) -> dict:
    errors: dict[str, list[str]] = {}
    cleaned: dict = {}
    for name, value in values.items():
        if name not in EDITABLE:
            errors[name] = [_("Unknown field.")]
        elif name in PLAIN:
            cleaned[name] = clean_field(Asset, name, value, errors, current)
    if "organisation" in values or current is None:
        cleaned["organisation"] = check_organisation(actor, values.get("organisation"), errors)
    organisation = cleaned.get("organisation") or (current.organisation if current else None)
    for name in ("location", "user", "manufacturer", "supplier"):
        if name in values:
            cleaned[name] = _relation(name, values[name], organisation, errors)
    kind = cleaned.get("kind", current.kind if current else "")
    subtype = cleaned.get("subtype", current.subtype if current else "")
    if kind and subtype and subtype not in SUBTYPES.get(kind, ()):
        errors["subtype"] = [_("This subtype does not fit the asset's type.")]
    if "custom_fields" in cleaned and not isinstance(cleaned["custom_fields"], dict):
        errors["custom_fields"] = [_("Custom fields are a set of names and values.")]
    number = cleaned.get("inventory_number")
    if number:
        taken = Asset.objects.filter(inventory_number=number)
        if current is not None:
            taken = taken.exclude(pk=current.pk)
        if taken.exists():
            errors["inventory_number"] = [_("Another asset has this inventory number.")]
    moved = current is not None and "organisation" in values and "location" not in values
    # Moving to another organisation leaves the old one's site behind.
    site = current.location if moved and current is not None else None
    if site is not None and organisation is not None and site.organisation_id != organisation.pk:
        cleaned["location"] = None
    raise_if(errors)
    return cleaned


def _shown(asset: Asset, name: str) -> str:
    value = getattr(asset, name)
    if name in NAMED:
        return "" if value is None else str(value)
    return "" if value is None else str(value)


@transaction.atomic
def create_asset(*, actor, source: str = Source.UI, at: datetime | None = None, **values) -> Asset:
    """A new asset; `name`, `kind` and `organisation` are required."""
    if source != Source.AGENT:
        require_staff(actor)
    at = at or timezone.now()
    values.setdefault("state", AssetState.IN_USE)
    for required in ("name", "kind"):
        if not str(values.get(required) or "").strip():
            raise InvalidInput({required: [_("This field is required.")]})
    cleaned = _clean(actor, values, None)
    asset = Asset(**cleaned, state_since=at.date(), created_at=at, updated_at=at)
    asset.save()
    record(asset, actor, AssetEventKind.CREATED, source=source, at=at, new=asset.name)
    return asset


@transaction.atomic
def update_asset(
    *, asset: Asset, actor, source: str = Source.UI, at: datetime | None = None, note="", **values
) -> list[str]:
    """Change the given fields; returns the names of those that changed (one event each)."""
    if source != Source.AGENT:
        require_staff(actor)
    at = at or timezone.now()
    asset = Asset.objects.select_for_update().get(pk=asset.pk)
    cleaned = _clean(actor, values, asset)
    was_organisation, was_state = asset.organisation_id, asset.state
    changed = []
    for name, value in cleaned.items():
        old = _shown(asset, name)
        if getattr(asset, name) == value:
            continue
        setattr(asset, name, value)
        changed.append(name)
        kind = AssetEventKind.STATE if name == "state" else AssetEventKind.CHANGED
        new = _shown(asset, name)
        record(asset, actor, kind, source=source, at=at, field=name, old=old, new=new, note=note)
    if "state" in changed:
        asset.state_since = at.date()
        changed.append("state_since")
    if changed:
        asset.updated_at = at
        asset.save(update_fields=[*changed, "updated_at"])
    if "state" in changed or "organisation" in changed:
        usage.asset_moved(asset, organisation_id=was_organisation, state=was_state)
    return changed


@transaction.atomic
def bulk_update(
    *, actor, assets: Iterable[Asset], source: str = Source.UI, at: datetime | None = None, **values
) -> int:
    """The same change to several assets, all or none: an error on one refuses them all.
    Returns how many changed."""
    require_staff(actor)
    at = at or timezone.now()
    count = 0
    for asset in assets:
        if update_asset(asset=asset, actor=actor, source=source, at=at, **values):
            count += 1
    return count


@transaction.atomic
def add_note(
    *, asset: Asset, actor, text: str, source: str = Source.UI, at: datetime | None = None
) -> None:
    require_staff(actor)
    text = (text or "").strip()
    if not text:
        raise InvalidInput({"text": [_("This field is required.")]})
    if len(text) > 10_000 or "\x00" in text:
        raise InvalidInput({"text": [_("At most %(n)d characters.") % {"n": 10_000}]})
    record(asset, actor, AssetEventKind.NOTE, source=source, at=at or timezone.now(), note=text)


@transaction.atomic
def link_ticket(*, ticket, asset: Asset, actor, at: datetime | None = None) -> bool:
    """Tie a ticket to an asset of the same organisation (both visible to `actor`);
    False when they were already linked."""
    require_staff(actor)
    at = at or timezone.now()
    if not visible_assets(actor).filter(pk=asset.pk).exists():
        raise InvalidInput({"asset": [_("Unknown asset.")]})
    if ticket.organisation_id and asset.organisation_id != ticket.organisation_id:
        raise InvalidInput({"asset": [_("The asset belongs to another organisation.")]})
    _link, created = TicketAsset.objects.get_or_create(
        ticket=ticket, asset=asset, defaults={"linked_by": actor, "created_at": at}
    )
    if created:
        record(asset, actor, AssetEventKind.TICKET, source=Source.TICKET, at=at,
               new=f"#{ticket.pk}")  # fmt: skip
    return created


@transaction.atomic
def unlink_ticket(*, ticket, asset: Asset, actor, at: datetime | None = None) -> bool:
    require_staff(actor)
    deleted, _rows = TicketAsset.objects.filter(ticket=ticket, asset=asset).delete()
    if deleted:
        record(asset, actor, AssetEventKind.TICKET, source=Source.TICKET,
               at=at or timezone.now(), old=f"#{ticket.pk}")  # fmt: skip
    return bool(deleted)


@transaction.atomic
def review_flags(*, asset: Asset, actor, at: datetime | None = None) -> int:
    """Mark the asset's flagged component changes as seen."""
    require_staff(actor)
    at = at or timezone.now()
    return asset.events.filter(flagged=True, reviewed_at__isnull=True).update(
        reviewed_by=actor, reviewed_at=at
    )
