"""What the asset verbs share: the staff check, the row lock, event rows, value checks."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from guichet.accounts.access import is_staff_member, visible_organisations
from guichet.accounts.models import Organisation
from guichet.assets.choices import CatalogueEventKind
from guichet.assets.models import AssetEvent, CatalogueEvent
from guichet.lib.errors import Forbidden, InvalidInput

TEXT_MAX = 100_000


def require_staff(actor) -> None:
    if not is_staff_member(actor):
        raise Forbidden(_("Only the support staff can change assets."))


def record(
    asset,
    actor,
    kind: str,
    *,
    source: str,
    at: datetime,
    field: str = "",
    old="",
    new="",
    note: str = "",
    details: dict | None = None,
    flagged: bool = False,
) -> AssetEvent:
    return AssetEvent.objects.create(
        asset=asset,
        actor=_person(actor),
        source=source,
        kind=kind,
        field=field,
        old_value=_text(old),
        new_value=_text(new),
        note=note,
        details=details,
        flagged=flagged,
        created_at=at,
    )


def event_row(asset, kind: str, *, source: str, at: datetime, **values) -> AssetEvent:
    """An unsaved event, for verbs that write many at once (`bulk_create`)."""
    return AssetEvent(asset=asset, kind=kind, source=source, created_at=at, **values)


def clean_field(model, name: str, value, errors: dict, instance=None):
    """A plain (non-relation) model field's value checked by the field itself: type,
    length, choices. Texts are stripped and NULs refused."""
    field = model._meta.get_field(name)
    if isinstance(value, str):
        value = value.strip()
        if "\x00" in value:
            errors[name] = [_("Contains a NUL character.")]
            return value
        if isinstance(field, models.TextField) and len(value) > TEXT_MAX:
            errors[name] = [_("At most %(n)d characters.") % {"n": TEXT_MAX}]
            return value
    if value in (None, "") and (field.null or field.blank):
        return None if field.null else ""
    try:
        return field.clean(value, instance)
    except ValidationError as error:
        errors[name] = list(error.messages)
        return value


def check_organisation(actor, organisation, errors: dict, field: str = "organisation"):
    """The organisation, if `actor` may work for it (else a field error, as if unknown)."""
    if organisation is None:
        errors[field] = [_("This field is required.")]
        return None
    pk = getattr(organisation, "pk", organisation)
    # Inventory agents act for the organisation their key names: no user to check.
    organisations = Organisation.objects.all() if actor is None else visible_organisations(actor)
    try:
        return organisations.get(pk=int(pk))
    except (ValueError, TypeError, OverflowError, models.ObjectDoesNotExist):
        errors[field] = [_("Unknown organisation.")]
        return None


def raise_if(errors: dict) -> None:
    if errors:
        raise InvalidInput(errors)


def shown(instance, name: str) -> str:
    """A field's value as people read it, for a history: a choice's label, a related
    object's name, a date in ISO."""
    field = instance._meta.get_field(name)
    value = getattr(instance, name)
    if value is None or value == "":
        return ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _person(actor):
    """The user an event names: nobody for an agent or an anonymous caller."""
    return actor if actor is not None and actor.is_authenticated else None


def _text(value) -> str:
    return "" if value is None else str(value)


def log(
    subject: str,
    instance,
    actor,
    kind: str,
    *,
    source: str,
    at: datetime,
    organisation=None,
    label: str | None = None,
    field: str = "",
    old="",
    new="",
) -> CatalogueEvent:
    """One event of a product's, entry's, supplier's, licence's or contract's history."""
    return CatalogueEvent.objects.create(
        subject=subject,
        subject_id=instance.pk,
        label=(str(instance) if label is None else label)[:255],
        organisation=organisation,
        actor=_person(actor),
        source=source,
        kind=kind,
        field=field,
        old_value=_text(old),
        new_value=_text(new),
        created_at=at,
    )


def log_changes(
    subject: str, instance, actor, before: dict[str, str], *, source: str, at: datetime,
    organisation=None, label: str | None = None, secret: frozenset = frozenset(),
) -> None:  # fmt: skip
    """One event per changed field, from `before` (`shown` values taken before the change).
    The values of `secret` fields are not written, only that they changed."""
    for name, old in before.items():
        hidden = name in secret
        log(subject, instance, actor, CatalogueEventKind.CHANGED, source=source, at=at,
            organisation=organisation, label=label, field=name, old="" if hidden else old,
            new="" if hidden else shown(instance, name))  # fmt: skip
