"""Licences: creating and editing them, their encrypted keys, and their seats."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.accounts.access import may_read_licence_keys, visible_assets, visible_licences
from guichet.accounts.models import User
from guichet.assets.actions.assets import named
from guichet.assets.actions.common import (
    check_organisation,
    clean_field,
    log,
    log_changes,
    raise_if,
    record,
    require_staff,
    shown,
)
from guichet.assets.choices import AssetEventKind, CatalogueEventKind, LicenceKind, Source
from guichet.assets.choices import CatalogueSubject as Subject
from guichet.assets.models import Licence, LicenceAssignment, Product, Supplier
from guichet.lib import crypto
from guichet.lib.errors import Conflict, Forbidden, InvalidInput

PLAIN = ("name", "kind", "seats", "valid_from", "valid_until", "purchase_price", "notes")
EDITABLE = (*PLAIN, "product", "organisation", "supplier", "key")


def _clean(actor, values: dict, current: Licence | None) -> dict:
    errors: dict[str, list[str]] = {}
    cleaned: dict = {}
    for name, value in values.items():
        if name not in EDITABLE:
            errors[name] = [_("Unknown field.")]
        elif name in PLAIN:
            cleaned[name] = clean_field(Licence, name, value, errors, current)
    if "organisation" in values or current is None:
        cleaned["organisation"] = check_organisation(actor, values.get("organisation"), errors)
    if "product" in values or current is None:
        product = values.get("product")
        pk = getattr(product, "pk", product)
        try:
            cleaned["product"] = Product.objects.get(pk=int(pk))  # type: ignore[arg-type]
        except (TypeError, ValueError, OverflowError, Product.DoesNotExist):
            errors["product"] = [_("Unknown software product.")]
    if "supplier" in values:
        cleaned["supplier"] = named(Supplier, values["supplier"], 200)
    kind = cleaned.get("kind", current.kind if current else "")
    seats = cleaned.get("seats", current.seats if current else None)
    if kind and kind != LicenceKind.SITE and not seats:
        errors["seats"] = [_("Give the number of seats (only a site licence has none).")]
    start = cleaned.get("valid_from", current.valid_from if current else None)
    end = cleaned.get("valid_until", current.valid_until if current else None)
    if start and end and end < start:
        errors["valid_until"] = [_("The end comes before the start.")]
    if "key" in values:
        key = str(values["key"] or "").strip()
        if len(key) > 2000 or "\x00" in key:
            errors["key"] = [_("At most %(n)d characters.") % {"n": 2000}]
        elif key and not may_read_licence_keys(actor):
            errors["key"] = [_("Only supervisors and administrators may set licence keys.")]
        cleaned["key_encrypted"] = crypto.encrypt(key)
    raise_if(errors)
    return cleaned


@transaction.atomic
def create_licence(
    *, actor, at: datetime | None = None, source: str = Source.UI, **values
) -> Licence:
    require_staff(actor)
    at = at or timezone.now()
    if not str(values.get("name") or "").strip():
        raise InvalidInput({"name": [_("This field is required.")]})
    if not values.get("kind"):
        raise InvalidInput({"kind": [_("This field is required.")]})
    cleaned = _clean(actor, values, None)
    licence = Licence(**cleaned, created_at=at, updated_at=at)
    licence.save()
    log(Subject.LICENCE, licence, actor, CatalogueEventKind.CREATED, source=source, at=at,
        organisation=licence.organisation, new=licence.name)  # fmt: skip
    return licence


@transaction.atomic
def update_licence(
    *, licence: Licence, actor, at: datetime | None = None, source: str = Source.UI, **values
) -> list:
    require_staff(actor)
    licence = Licence.objects.select_for_update().get(pk=licence.pk)
    cleaned = _clean(actor, values, licence)
    if "key_encrypted" in cleaned and _same_key(licence, cleaned["key_encrypted"]):
        del cleaned["key_encrypted"]  # encrypted anew each time: compare the clear texts
    changed = [n for n, v in cleaned.items() if getattr(licence, n) != v]
    before = {("key" if n == "key_encrypted" else n): _shown(licence, n) for n in changed}
    # Filed under the organisation it had: a licence moved to another client does not show
    # that client its past (nor the name of the one it came from).
    was = licence.organisation
    for name in changed:
        setattr(licence, name, cleaned[name])
    if changed:
        licence.updated_at = at or timezone.now()
        licence.save(update_fields=[*changed, "updated_at"])
        log_changes(Subject.LICENCE, licence, actor, before, source=source,
                    at=licence.updated_at, organisation=was,
                    secret=frozenset({"key"}))  # fmt: skip
    return changed


def _shown(licence: Licence, name: str) -> str:
    return "" if name == "key_encrypted" else shown(licence, name)


def _same_key(licence: Licence, encrypted: str) -> bool:
    try:
        return crypto.decrypt(licence.key_encrypted) == crypto.decrypt(encrypted)
    except crypto.Undecryptable:
        return False


def read_key(*, licence: Licence, actor) -> str:
    """The licence key in clear, for those allowed to read it."""
    if not may_read_licence_keys(actor):
        raise Forbidden(_("Only supervisors and administrators may read licence keys."))
    return crypto.decrypt(licence.key_encrypted)


def _free_seats(licence: Licence) -> int | None:
    if licence.kind == LicenceKind.SITE or licence.seats is None:
        return None
    return licence.seats - licence.assignments.count()


@transaction.atomic
def assign_licence(
    *,
    licence: Licence,
    actor,
    asset=None,
    user=None,
    at: datetime | None = None,
    source: str = Source.UI,
) -> LicenceAssignment:
    """Give a seat to a machine (per device, site, subscription) or a person (per user),
    of the licence's organisation; refused when every seat is taken."""
    require_staff(actor)
    at = at or timezone.now()
    licence = visible_licences(actor).select_for_update().get(pk=licence.pk)
    if (asset is None) == (user is None):
        raise InvalidInput({"asset": [_("Choose a machine or a person.")]})
    if asset is not None:
        same = visible_assets(actor).filter(pk=asset.pk, organisation=licence.organisation)
        if not same.exists():
            raise InvalidInput({"asset": [_("The asset belongs to another organisation.")]})
        if licence.assignments.filter(asset=asset).exists():
            raise Conflict(_("This machine already has a seat of this licence."))
    else:
        if not User.objects.filter(pk=user.pk, organisation=licence.organisation).exists():
            raise InvalidInput({"user": [_("The person belongs to another organisation.")]})
        if licence.assignments.filter(user=user).exists():
            raise Conflict(_("This person already has a seat of this licence."))
    free = _free_seats(licence)
    if free is not None and free <= 0:
        raise Conflict(_("Every seat of this licence is taken."))
    assignment = LicenceAssignment.objects.create(
        licence=licence, asset=asset, user=user, assigned_by=actor, assigned_at=at
    )
    if asset is not None:
        record(asset, actor, AssetEventKind.LICENCE, source=source, at=at, new=licence.name)
    log(Subject.LICENCE, licence, actor, CatalogueEventKind.SEAT_GIVEN, source=source, at=at,
        organisation=licence.organisation, new=_holder(assignment))  # fmt: skip
    return assignment


def _holder(assignment: LicenceAssignment) -> str:
    if assignment.asset is not None:
        return assignment.asset.name
    return assignment.user.display_name if assignment.user else ""


@transaction.atomic
def unassign_licence(
    *, assignment: LicenceAssignment, actor, at: datetime | None = None, source: str = Source.UI
) -> None:
    require_staff(actor)
    if not visible_licences(actor).filter(pk=assignment.licence_id).exists():
        raise InvalidInput({"licence": [_("Unknown licence.")]})
    at = at or timezone.now()
    licence = assignment.licence
    if assignment.asset is not None:
        record(assignment.asset, actor, AssetEventKind.LICENCE, source=source, at=at,
               old=licence.name)  # fmt: skip
    log(Subject.LICENCE, licence, actor, CatalogueEventKind.SEAT_TAKEN, source=source, at=at,
        organisation=licence.organisation, old=_holder(assignment))  # fmt: skip
    assignment.delete()
