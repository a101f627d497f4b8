"""Supplier contracts covering assets."""

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.accounts.access import visible_assets
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
from guichet.assets.choices import AssetEventKind, CatalogueEventKind, Source
from guichet.assets.choices import CatalogueSubject as Subject
from guichet.assets.models import Contract, Supplier
from guichet.lib.errors import InvalidInput

PLAIN = ("kind", "name", "number", "starts_on", "ends_on", "notice_days", "alert_days",
         "price", "notes")  # fmt: skip
EDITABLE = (*PLAIN, "organisation", "supplier")


def _clean(actor, values: dict, current: Contract | None) -> dict:
    errors: dict[str, list[str]] = {}
    cleaned: dict = {}
    for name, value in values.items():
        if name not in EDITABLE:
            errors[name] = [_("Unknown field.")]
        elif name in PLAIN:
            cleaned[name] = clean_field(Contract, name, value, errors, current)
    if "organisation" in values or current is None:
        cleaned["organisation"] = check_organisation(actor, values.get("organisation"), errors)
    if "supplier" in values:
        cleaned["supplier"] = named(Supplier, values["supplier"], 200)
    for required in ("kind", "name", "starts_on", "ends_on"):
        if current is None and not cleaned.get(required) and required not in errors:
            errors[required] = [_("This field is required.")]
    start = cleaned.get("starts_on", current.starts_on if current else None)
    end = cleaned.get("ends_on", current.ends_on if current else None)
    if start and end and not errors.get("ends_on") and end < start:
        errors["ends_on"] = [_("The end comes before the start.")]
    raise_if(errors)
    return cleaned


@transaction.atomic
def create_contract(
    *, actor, at: datetime | None = None, source: str = Source.UI, **values
) -> Contract:
    require_staff(actor)
    at = at or timezone.now()
    contract = Contract(**_clean(actor, values, None), created_at=at, updated_at=at)
    contract.save()
    log(Subject.CONTRACT, contract, actor, CatalogueEventKind.CREATED, source=source, at=at,
        organisation=contract.organisation, new=contract.name)  # fmt: skip
    return contract


@transaction.atomic
def update_contract(
    *, contract: Contract, actor, at: datetime | None = None, source: str = Source.UI, **values
) -> list:
    require_staff(actor)
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    cleaned = _clean(actor, values, contract)
    changed = [n for n, v in cleaned.items() if getattr(contract, n) != v]
    before = {name: shown(contract, name) for name in changed}
    was = contract.organisation  # as for licences: the change is filed under the former client
    for name in changed:
        setattr(contract, name, cleaned[name])
    if changed:
        contract.updated_at = at or timezone.now()
        contract.save(update_fields=[*changed, "updated_at"])
        log_changes(Subject.CONTRACT, contract, actor, before, source=source,
                    at=contract.updated_at, organisation=was)  # fmt: skip
    return changed


@transaction.atomic
def set_contract_assets(
    *,
    contract: Contract,
    actor,
    assets: Iterable,
    at: datetime | None = None,
    source: str = Source.UI,
) -> None:
    """The assets the contract covers, all of its organisation and visible to `actor`."""
    require_staff(actor)
    at = at or timezone.now()
    wanted = {getattr(a, "pk", a) for a in assets}
    found = set(
        visible_assets(actor)
        .filter(pk__in=wanted, organisation_id=contract.organisation_id)
        .values_list("pk", flat=True)
    )
    if found != wanted:
        raise InvalidInput({"assets": [_("Some assets are unknown or of another organisation.")]})
    current = set(contract.assets.values_list("pk", flat=True))
    added = list(contract.assets.model.objects.filter(pk__in=wanted - current).order_by("name"))
    removed = list(contract.assets.model.objects.filter(pk__in=current - wanted).order_by("name"))
    for asset in added:
        record(asset, actor, AssetEventKind.CONTRACT, source=source, at=at, new=contract.name)
    for asset in removed:
        record(asset, actor, AssetEventKind.CONTRACT, source=source, at=at, old=contract.name)
    contract.assets.set(wanted)
    if added or removed:
        log(Subject.CONTRACT, contract, actor, CatalogueEventKind.COVERED, source=source, at=at,
            organisation=contract.organisation, field="assets",
            old=", ".join(a.name for a in removed),
            new=", ".join(a.name for a in added))  # fmt: skip
