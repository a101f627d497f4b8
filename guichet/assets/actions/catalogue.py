"""The software catalogue's verbs (hiding, merging products, editing the dictionary) and the
suppliers' records.

The catalogue is shared by every organisation, so changing it is for supervisors and
administrators; suppliers are plain reference records that any staff member keeps.
"""

from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce, Least
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.accounts.access import may_manage_inventory
from guichet.assets import usage
from guichet.assets.actions.common import (
    clean_field,
    log,
    log_changes,
    raise_if,
    require_staff,
    shown,
)
from guichet.assets.choices import CatalogueEventKind, Source
from guichet.assets.choices import CatalogueSubject as Subject
from guichet.assets.models import (
    Installation,
    Licence,
    Product,
    Publisher,
    SoftwareAlias,
    SoftwareVersion,
    Supplier,
)
from guichet.lib.errors import Conflict, Forbidden, InvalidInput

SUPPLIER_FIELDS = ("name", "email", "phone", "website", "notes")
NAME_MAX, PUBLISHER_MAX = 255, 200


def require_catalogue_manager(actor) -> None:
    if not may_manage_inventory(actor):
        raise Forbidden(_("Only supervisors and administrators may change the software catalogue."))


def _product(value, field: str) -> Product:
    pk = getattr(value, "pk", value)
    try:
        return Product.objects.select_for_update().get(pk=int(pk))  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError, Product.DoesNotExist):
        raise InvalidInput({field: [_("Unknown software product.")]}) from None


def _text(value, field: str, max_length: int, errors: dict) -> str:
    text = " ".join(str(value or "").split())
    if "\x00" in text:
        errors[field] = [_("Contains a NUL character.")]
    elif len(text) > max_length:
        errors[field] = [_("At most %(n)d characters.") % {"n": max_length}]
    return text


@transaction.atomic
def set_product_hidden(*, product: Product, actor, hidden: bool) -> bool:
    """Hide a product from the lists and reports (system libraries, updates) or show it
    again; False when it already was so."""
    require_catalogue_manager(actor)
    product = _product(product, "product")
    if product.hidden == bool(hidden):
        return False
    before = {"hidden": shown(product, "hidden")}
    product.hidden = bool(hidden)
    product.save(update_fields=["hidden"])
    log_changes(Subject.PRODUCT, product, actor, before, source=Source.UI, at=timezone.now())
    return True


def _product_named(name: str, publisher_name: str) -> Product:
    """The product of that name and publisher (case apart), created when new."""
    publisher = None
    if publisher_name:
        publisher = Publisher.objects.filter(name__iexact=publisher_name).first()
        publisher = publisher or Publisher.objects.create(name=publisher_name)
    found = Product.objects.filter(publisher=publisher, name__iexact=name).first()
    return found or Product.objects.create(publisher=publisher, name=name)


@transaction.atomic
def edit_alias(
    *, alias: SoftwareAlias, actor, product=None, new_name: str = "", new_publisher: str = ""
) -> SoftwareAlias:
    """Point a dictionary entry to another product, an existing one (`product`) or one
    named here (`new_name`, `new_publisher`). It rules the inventories to come; the
    installations already recorded stay where they are (they do not say which raw name
    they came from). The entry is marked as edited, so it is never rewritten automatically."""
    require_catalogue_manager(actor)
    alias = SoftwareAlias.objects.select_for_update().get(pk=alias.pk)
    errors: dict[str, list[str]] = {}
    name = _text(new_name, "new_name", NAME_MAX, errors)
    publisher = _text(new_publisher, "new_publisher", PUBLISHER_MAX, errors)
    if product in (None, "") and not name and "new_name" not in errors:
        errors["product"] = [_("Choose a product or name a new one.")]
    if product not in (None, "") and name:
        errors["new_name"] = [_("Choose a product or name a new one, not both.")]
    raise_if(errors)
    target = _product(product, "product") if not name else _product_named(name, publisher)
    before = {"product": shown(alias, "product")}
    alias.product = target
    alias.edited = True
    alias.save(update_fields=["product", "edited"])
    log_changes(Subject.ALIAS, alias, actor, before, source=Source.UI, at=timezone.now(),
                label=_alias_label(alias))  # fmt: skip
    return alias


def _alias_label(alias: SoftwareAlias) -> str:
    return f"{alias.raw_name} ({alias.raw_publisher})" if alias.raw_publisher else alias.raw_name


def _fold_version(version: SoftwareVersion, twin: SoftwareVersion, target: Product) -> None:
    """Move a version's installations onto the same version of the target product. A
    machine that has both keeps one row, with the earliest sighting of the two."""
    same = Installation.objects.filter(version=version, asset_id=OuterRef("asset_id"))
    both = Installation.objects.filter(
        version=twin, asset_id__in=Installation.objects.filter(version=version).values("asset_id")
    )
    both.update(
        first_seen=Least(F("first_seen"), Subquery(same.values("first_seen")[:1])),
        installed_on=Coalesce(F("installed_on"), Subquery(same.values("installed_on")[:1])),
    )
    Installation.objects.filter(
        version=version, asset_id__in=Installation.objects.filter(version=twin).values("asset_id")
    ).delete()
    Installation.objects.filter(version=version).update(version=twin, product=target)
    version.delete()


@transaction.atomic
def merge_products(*, source: Product, target: Product, actor) -> Product:
    """Merge `source` into `target`, all or nothing: its versions (a version both have
    becomes one, see `_fold_version`), installations, licences and dictionary entries move
    to `target`, then `source` is deleted. The moved entries are marked as edited so the
    inventory never recreates `source` from them. Returns the target."""
    require_catalogue_manager(actor)
    source = _product(source, "source")
    target = _product(target, "target")
    if source.pk == target.pk:
        raise InvalidInput({"target": [_("A product cannot be merged into itself.")]})
    twins = {v.version: v for v in SoftwareVersion.objects.filter(product=target)}
    for version in SoftwareVersion.objects.filter(product=source).order_by("pk"):
        twin = twins.get(version.version)
        if twin is None:
            version.product = target
            version.save(update_fields=["product"])
        else:
            _fold_version(version, twin, target)
    Installation.objects.filter(product=source).update(product=target)
    Licence.objects.filter(product=source).update(product=target, updated_at=timezone.now())
    SoftwareAlias.objects.filter(product=source).update(product=target, edited=True)
    at = timezone.now()
    for subject in (source, target):
        log(Subject.PRODUCT, subject, actor, CatalogueEventKind.MERGED, source=Source.UI, at=at,
            old=source.name, new=target.name)  # fmt: skip
    source.delete()
    usage.recount([target.pk])  # a machine that had both counts once now
    return target


def _clean_supplier(values: dict, current: Supplier | None) -> dict:
    errors: dict[str, list[str]] = {}
    cleaned: dict = {}
    for name, value in values.items():
        if name not in SUPPLIER_FIELDS:
            errors[name] = [_("Unknown field.")]
        else:
            cleaned[name] = clean_field(Supplier, name, value, errors, current)
    if "name" in cleaned and not errors.get("name"):
        cleaned["name"] = " ".join(cleaned["name"].split())
        taken = Supplier.objects.filter(name__iexact=cleaned["name"])
        if current is not None:
            taken = taken.exclude(pk=current.pk)
        if not cleaned["name"]:
            errors["name"] = [_("This field is required.")]
        elif taken.exists():
            errors["name"] = [_("Another supplier has this name.")]
    raise_if(errors)
    return cleaned


@transaction.atomic
def create_supplier(*, actor, **values) -> Supplier:
    require_staff(actor)
    if not str(values.get("name") or "").strip():
        raise InvalidInput({"name": [_("This field is required.")]})
    supplier = Supplier(**_clean_supplier(values, None))
    supplier.save()
    log(Subject.SUPPLIER, supplier, actor, CatalogueEventKind.CREATED, source=Source.UI,
        at=timezone.now(), new=supplier.name)  # fmt: skip
    return supplier


@transaction.atomic
def update_supplier(*, supplier: Supplier, actor, **values) -> list[str]:
    """Change the given fields; returns the names of those that changed."""
    require_staff(actor)
    supplier = Supplier.objects.select_for_update().get(pk=supplier.pk)
    cleaned = _clean_supplier(values, supplier)
    changed = [n for n, v in cleaned.items() if getattr(supplier, n) != v]
    before = {name: shown(supplier, name) for name in changed}
    for name in changed:
        setattr(supplier, name, cleaned[name])
    if changed:
        supplier.save(update_fields=changed)
        log_changes(Subject.SUPPLIER, supplier, actor, before, source=Source.UI, at=timezone.now())
    return changed


@transaction.atomic
def delete_supplier(*, supplier: Supplier, actor) -> None:
    """Delete a supplier nothing refers to; one that sold an asset or a licence, or holds a
    contract, is refused (suppliers are shared: the records may be other clients')."""
    require_staff(actor)
    supplier = Supplier.objects.select_for_update().get(pk=supplier.pk)
    used = (supplier.assets.exists() or supplier.licences.exists()
            or supplier.contracts.exists())  # fmt: skip
    if used:
        raise Conflict(_("This supplier is named on assets, licences or contracts: it is kept."))
    log(Subject.SUPPLIER, supplier, actor, CatalogueEventKind.DELETED, source=Source.UI,
        at=timezone.now(), old=supplier.name)  # fmt: skip
    supplier.delete()
