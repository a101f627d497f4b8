"""Reading the catalogue's history (`CatalogueEvent`): the latest changes of one product,
dictionary entry, supplier, licence or contract, as the pages show them."""

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q
from django.utils.translation import gettext as _

from guichet.accounts.access import asset_condition
from guichet.assets.choices import CatalogueSubject
from guichet.assets.models import (
    CatalogueEvent,
    Contract,
    Licence,
    Product,
    SoftwareAlias,
    Supplier,
)

SHOWN = 30
MODELS = {
    CatalogueSubject.PRODUCT: Product,
    CatalogueSubject.ALIAS: SoftwareAlias,
    CatalogueSubject.SUPPLIER: Supplier,
    CatalogueSubject.LICENCE: Licence,
    CatalogueSubject.CONTRACT: Contract,
}


def _field_label(subject: str, name: str) -> str:
    if name == "key":
        return _("licence key")
    if name == "assets":
        return _("assets covered")
    try:
        field = MODELS[CatalogueSubject(subject)]._meta.get_field(name)
        return str(getattr(field, "verbose_name", name))
    except FieldDoesNotExist:  # a field since removed: its name is still better than nothing
        return name


def history(user, subject: str, pk: int, limit: int = SHOWN) -> list[CatalogueEvent]:
    """The newest events first. Those of a licence or contract from when it belonged to an
    organisation `user` does not serve are left out."""
    events = CatalogueEvent.objects.filter(subject=subject, subject_id=pk)
    condition = asset_condition(user, organisation_field="organisation")
    if condition is not None:
        events = events.filter(condition | Q(organisation__isnull=True))
    rows = list(events.select_related("actor").order_by("-id")[:limit])
    for row in rows:
        row.field_label = _field_label(subject, row.field) if row.field else ""  # type: ignore[attr-defined]
    return rows
