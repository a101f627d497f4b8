"""One line of an import, checked as the asset verbs check their input: which asset it is,
what it would change, and what is refused in which column. Reads nothing itself: what the
line names comes from the file's `Lookups`."""

from django.utils.translation import gettext as _

from guichet.accounts.choices import STAFF_ROLES
from guichet.accounts.models import Organisation
from guichet.assets.actions.common import clean_field
from guichet.assets.choices import SUBTYPES
from guichet.assets.models import Asset, Manufacturer, Supplier
from guichet.assets.transfer import columns
from guichet.assets.transfer.lookups import Lookups
from guichet.assets.transfer.report import CREATE, UNCHANGED, UPDATE, Line, LineError

KEEP = object()  # a cell that leaves the field as it is
RELATIONS = ("organisation", "location", "user")
NAMED = {"manufacturer": Manufacturer, "supplier": Supplier}


def _required() -> list[str]:
    return [_("This field is required.")]


def _match(line: Line, record: dict, lookups: Lookups, claimed: dict, errors: dict):
    """The asset the line updates, or None for a new one."""
    number = record.get("inventory_number", "").strip()
    serial = record.get("serial", "").strip()
    asset = lookups.by_number.get(number) if number else None
    if number and asset is None and number in lookups.taken:
        errors["inventory_number"] = [_("Another asset has this inventory number.")]
        return None
    if asset is None and serial:
        found = lookups.by_serial.get(serial, [])
        if len(found) > 1:
            errors["serial"] = [
                _("Several assets have this serial number: give the inventory number.")
            ]
            return None
        if found and number and found[0].inventory_number:
            errors["inventory_number"] = [
                _("The asset with this serial number has the inventory number %(number)s.")
                % {"number": found[0].inventory_number}
            ]
            return None
        asset = found[0] if found else None
    if asset is not None:
        if asset.pk in claimed:
            errors[""] = [
                _("Line %(line)d already changes this asset.") % {"line": claimed[asset.pk]}
            ]
            return None
        claimed[asset.pk] = line.number
    return asset


def _organisation(record: dict, asset, lookups: Lookups, default, values: dict, errors: dict):
    written = record.get("organisation", "").strip()
    if written:
        found = lookups.organisation(written)
        if found is None:
            errors["organisation"] = [_("Unknown organisation.")]
        else:
            values["organisation"] = found
        return found
    if asset is not None:
        return asset.organisation
    if default is not None:
        values["organisation"] = default
        return default
    errors["organisation"] = _required()
    return None


def _person(text: str, organisation: Organisation | None, lookups: Lookups, errors: dict):
    people = lookups.people(text)
    if not people:
        errors["user"] = [_("Unknown user: give a username or an email address.")]
    elif len(people) > 1:
        errors["user"] = [_("Several people have this email address: give the username.")]
    elif organisation is not None and not (
        people[0].organisation_id == organisation.pk or people[0].role in STAFF_ROLES
    ):
        errors["user"] = [_("The assigned user must belong to the organisation.")]
    else:
        return people[0]
    return None


def _value(name: str, text: str, asset, organisation, lookups: Lookups, errors: dict):
    """The value the verb would be given for a cell, or KEEP."""
    text = text.strip()
    if name in ("name", "kind") and not text:
        errors[name] = _required()
        return KEEP
    if name == "state" and not text:
        return KEEP
    if name == "location":
        if not text or organisation is None:
            return None
        site = lookups.location(organisation, text)
        if site is None:
            errors[name] = [_("The organisation has no site of this name.")]
        return site
    if name == "user":
        return _person(text, organisation, lookups, errors) if text else None
    if name in NAMED:
        limit = getattr(NAMED[name]._meta.get_field("name"), "max_length", None)
        return text[:limit] or None
    value: object = text
    if name in columns.CHOICES and text:
        value = columns.choice_value(name, text)
    elif name in columns.DATES and text:
        try:
            value = columns.parse_date(text)
        except ValueError:
            errors[name] = [_("Enter a date as YYYY-MM-DD or DD/MM/YYYY.")]
            return KEEP
    elif name == "purchase_price" and text:
        try:
            value = columns.parse_amount(text)
        except ValueError:
            errors[name] = [_("Enter an amount such as 1234.50 or 1234,50.")]
            return KEEP
    return clean_field(Asset, name, value, errors, asset)


def _differs(asset: Asset, name: str, value) -> bool:
    if name in RELATIONS:
        return getattr(asset, f"{name}_id") != getattr(value, "pk", None)
    if name in NAMED:
        current = getattr(asset, name)
        if value is None or current is None:
            return value is not current
        return current.name.casefold() != value.casefold()
    return getattr(asset, name) != value


def _check_numbers(line: Line, values: dict, asset, lookups: Lookups, numbers: dict, errors):
    number = values.get("inventory_number") or (asset.inventory_number if asset else "")
    if not number:
        return
    owner = lookups.taken.get(number)
    if owner is not None and (asset is None or owner != asset.pk):
        errors["inventory_number"] = [_("Another asset has this inventory number.")]
    elif number in numbers:
        errors["inventory_number"] = [
            _("Line %(line)d has the same inventory number.") % {"line": numbers[number]}
        ]
    numbers.setdefault(number, line.number)


def check_line(
    line: Line,
    record: dict[str, str],
    lookups: Lookups,
    default: Organisation | None,
    claimed: dict[int, int],
    numbers: dict[str, int],
) -> None:
    """Fill in what `line` would do; `claimed` (asset → line) and `numbers` (inventory
    number → line) carry what the lines before it took."""
    errors: dict[str, list[str]] = {}
    asset = _match(line, record, lookups, claimed, errors)
    if not errors:
        values: dict = {}
        organisation = _organisation(record, asset, lookups, default, values, errors)
        for name, text in record.items():
            if name != "organisation":
                value = _value(name, text, asset, organisation, lookups, errors)
                if value is not KEEP and name not in errors:
                    values[name] = value
        kind = values.get("kind", asset.kind if asset else "")
        subtype = values.get("subtype", asset.subtype if asset else "")
        if kind and subtype and subtype not in SUBTYPES.get(kind, ()):
            errors["subtype"] = [_("This subtype does not fit the asset's type.")]
        _check_numbers(line, values, asset, lookups, numbers, errors)
        _outcome(line, asset, values)
    line.errors = [
        LineError(name, message) for name, messages in errors.items() for message in messages
    ]


def _outcome(line: Line, asset, values: dict) -> None:
    if asset is None:
        line.action, line.values = CREATE, values
        return
    line.asset = asset
    line.label = line.label or asset.reference
    moved = values.get("organisation", asset.organisation)
    if "location" not in values and asset.location and asset.location.organisation_id != moved.pk:
        # The verb leaves the old organisation's site behind; say so.
        values["location"] = None
    line.values = {name: value for name, value in values.items() if _differs(asset, name, value)}
    line.changes = list(line.values)
    line.action = UPDATE if line.values else UNCHANGED
