"""Reads of the catalogue screens: software, the dictionary, licences, contracts, suppliers.

The catalogue itself (products, versions, the dictionary, suppliers) is shared by every
organisation; what is installed where, licences and contracts are tenant data and are read
through the access door only. Counts are grouped queries over the rows of the page shown,
never one query per row, and never over the whole table.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from guichet.accounts.access import (
    asset_condition,
    visible_assets,
    visible_contracts,
    visible_licences,
)
from guichet.accounts.models import User
from guichet.assets.choices import LicenceKind
from guichet.assets.models import (
    Asset,
    Contract,
    Installation,
    Licence,
    LicenceAssignment,
    Product,
    SoftwareAlias,
    SoftwareVersion,
    Supplier,
)
from guichet.lib.pagination import Page, keyset_page

PAGE_SIZE = 50
SHOWN = 500  # lists of a detail page (aliases, covered assets) show this many at most


def visible_installations(user, queryset: QuerySet | None = None) -> QuerySet:
    """Installations on the assets `user` may see."""
    if queryset is None:
        queryset = Installation.objects.all()
    # Those who see every asset skip the semi-join, which would read the asset table whole.
    if asset_condition(user) is None:
        return queryset
    return queryset.filter(asset__in=visible_assets(user))


# --- Software ---------------------------------------------------------------------------


@dataclass
class SoftwareFilter:
    q: str = ""
    publisher: int | None = None
    hidden: bool = False  # True: hidden products too

    def apply(self, queryset: QuerySet) -> QuerySet:
        if self.q:
            queryset = queryset.filter(name__icontains=self.q)
        if self.publisher is not None:
            queryset = queryset.filter(publisher_id=self.publisher)
        if not self.hidden:
            queryset = queryset.filter(hidden=False)
        return queryset


def software_page(user, filters: SoftwareFilter, cursor: str | None, size=PAGE_SIZE) -> Page:
    """Products by name; each with `installation_count` (on the assets `user` may see) and
    `version_count`. ValueError on a bad cursor."""
    queryset = filters.apply(Product.objects.select_related("publisher"))
    page = keyset_page(queryset, field="name", descending=False, size=size, cursor=cursor)
    ids = [p.pk for p in page.items]
    installs = dict(
        visible_installations(user)
        .filter(product_id__in=ids)
        .values("product_id")
        .annotate(n=Count("id"))
        .values_list("product_id", "n")
    )
    versions = dict(
        SoftwareVersion.objects.filter(product_id__in=ids)
        .values("product_id")
        .annotate(n=Count("id"))
        .values_list("product_id", "n")
    )
    for product in page.items:
        product.installation_count = installs.get(product.pk, 0)
        product.version_count = versions.get(product.pk, 0)
    return page


def product_versions(user, product: Product) -> list[SoftwareVersion]:
    """The product's versions, each with `installation_count` on the assets `user` may see."""
    versions: list = list(product.versions.order_by("version"))
    counts = dict(
        visible_installations(user)
        .filter(product=product)
        .values("version_id")
        .annotate(n=Count("id"))
        .values_list("version_id", "n")
    )
    for version in versions:
        version.installation_count = counts.get(version.pk, 0)
    return versions


def product_machines(user, product: Product, cursor: str | None, size=PAGE_SIZE) -> Page:
    """The assets `user` may see that have the product, by id; each with `versions`, the
    versions installed on it."""
    having = Installation.objects.filter(product=product).values("asset_id")
    queryset = visible_assets(user).filter(pk__in=having)
    queryset = queryset.select_related("organisation", "location", "user")
    page = keyset_page(queryset, field="id", descending=True, size=size, cursor=cursor)
    versions: dict[int, list[str]] = {}
    rows = Installation.objects.filter(product=product, asset_id__in=[a.pk for a in page.items])
    for asset_id, version in rows.order_by("version__version").values_list(
        "asset_id", "version__version"
    ):
        versions.setdefault(asset_id, []).append(version)
    for asset in page.items:
        asset.versions = versions.get(asset.pk, [])
    return page


def product_licences(user, product: Product) -> list[Licence]:
    licences = visible_licences(user).filter(product=product).select_related("organisation")
    return with_seats_used(list(licences.order_by("name", "pk")))


def product_aliases(product: Product) -> tuple[list[SoftwareAlias], int]:
    """The dictionary entries pointing to the product (the first `SHOWN`) and their number."""
    aliases = product.aliases.order_by("raw_name", "raw_publisher")
    return list(aliases[:SHOWN]), aliases.count()


def merge_targets(product: Product) -> QuerySet:
    return Product.objects.exclude(pk=product.pk).select_related("publisher").order_by("name")


# --- The dictionary -----------------------------------------------------------------------


def dictionary_page(q: str, cursor: str | None, size=PAGE_SIZE) -> Page:
    """Dictionary entries by raw name, searched in the raw name and publisher and in the
    product's name."""
    queryset = SoftwareAlias.objects.select_related("product__publisher")
    if q:
        queryset = queryset.filter(
            Q(raw_name__icontains=q) | Q(raw_publisher__icontains=q) | Q(product__name__icontains=q)
        )
    return keyset_page(queryset, field="raw_name", descending=False, size=size, cursor=cursor)


# --- Licences -----------------------------------------------------------------------------


@dataclass
class LicenceFilter:
    q: str = ""
    organisation: int | None = None
    kind: str = ""

    def apply(self, queryset: QuerySet) -> QuerySet:
        if self.q:
            queryset = queryset.filter(
                Q(name__icontains=self.q) | Q(product__name__icontains=self.q)
            )
        if self.organisation is not None:
            queryset = queryset.filter(organisation_id=self.organisation)
        if self.kind:
            queryset = queryset.filter(kind=self.kind)
        return queryset


def with_seats_used(licences: list) -> list[Licence]:
    """Sets `seats_used` and `seats_free` (None for a site licence) on each licence."""
    used = dict(
        LicenceAssignment.objects.filter(licence_id__in=[licence.pk for licence in licences])
        .values("licence_id")
        .annotate(n=Count("id"))
        .values_list("licence_id", "n")
    )
    for licence in licences:
        licence.seats_used = used.get(licence.pk, 0)
        unlimited = licence.kind == LicenceKind.SITE or licence.seats is None
        licence.seats_free = None if unlimited else licence.seats - licence.seats_used
    return licences


def licence_page(user, filters: LicenceFilter, cursor: str | None, size=PAGE_SIZE) -> Page:
    queryset = filters.apply(visible_licences(user))
    queryset = queryset.select_related("product__publisher", "organisation", "supplier")
    page = keyset_page(queryset, field="name", descending=False, size=size, cursor=cursor)
    with_seats_used(page.items)
    return page


def licence_or_404(user, pk) -> Licence:
    related = Licence.objects.select_related("product__publisher", "organisation", "supplier")
    try:
        return visible_licences(user, related).get(pk=int(pk))
    except (ValueError, TypeError, OverflowError, Licence.DoesNotExist):
        raise Http404 from None


def _seats(user, licence: Licence) -> QuerySet:
    # A machine since moved to an organisation `user` does not serve is left out: its name
    # is not theirs to read.
    shown = Q(asset__isnull=True) | Q(asset__in=visible_assets(user))
    return licence.assignments.filter(shown).select_related("asset", "user", "assigned_by")


def assignments(user, licence: Licence) -> list[LicenceAssignment]:
    """The licence's seats that `user` may see, the oldest first (the first `SHOWN`)."""
    return list(_seats(user, licence).order_by("assigned_at", "pk")[:SHOWN])


def assignment_or_404(user, licence: Licence, pk: int) -> LicenceAssignment:
    found = _seats(user, licence).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def people_of(organisation_id: int) -> QuerySet:
    return User.objects.filter(organisation_id=organisation_id, is_active=True).order_by(
        "last_name", "first_name", "username"
    )


def find_asset(user, organisation_id: int, text: str) -> tuple[Asset | None, str]:
    """The asset of the organisation that `text` names: its reference ("AS-12"), inventory
    number, serial number or name. Returns (asset, "") or (None, why not)."""
    text = text.strip()
    assets = visible_assets(user).filter(organisation_id=organisation_id)
    upper = text.upper()
    if upper.startswith("AS-") and upper[3:].isdigit() and len(upper) < 22:
        found = list(assets.filter(pk=int(upper[3:]), inventory_number="")[:1])
        if found:
            return found[0], ""
    for condition in (
        Q(inventory_number=text),
        Q(serial=text),
        Q(name__iexact=text),
    ):
        found = list(assets.filter(condition)[:2])
        if len(found) == 1:
            return found[0], ""
        if found:
            return None, _("Several machines match; give the inventory or serial number.")
    return None, _("No machine of this organisation has this reference, number or name.")


# --- Contracts ----------------------------------------------------------------------------


@dataclass
class ContractFilter:
    q: str = ""
    kind: str = ""
    organisation: int | None = None
    ending_within: int | None = None  # days from `today`, ended ones left out

    def apply(self, queryset: QuerySet, today: date) -> QuerySet:
        if self.q:
            queryset = queryset.filter(Q(name__icontains=self.q) | Q(number__icontains=self.q))
        if self.kind:
            queryset = queryset.filter(kind=self.kind)
        if self.organisation is not None:
            queryset = queryset.filter(organisation_id=self.organisation)
        if self.ending_within is not None:
            last = today + timedelta(days=self.ending_within)
            queryset = queryset.filter(ends_on__gte=today, ends_on__lte=last)
        return queryset


def expiry(ends_on: date, today: date) -> str:
    """How the end of a contract reads today: "ends in 12 days", "ends today", "ended"."""
    days = (ends_on - today).days
    if days < 0:
        return _("ended")
    if days == 0:
        return _("ends today")
    return ngettext("ends in %(n)d day", "ends in %(n)d days", days) % {"n": days}


def decorate_contracts(contracts: list, today: date) -> list[Contract]:
    """Sets `expiry`, `ended`, `ending_soon` (within its alert period) and `asset_count`."""
    counts = dict(
        Contract.objects.filter(pk__in=[c.pk for c in contracts])
        .annotate(n=Count("assets"))
        .values_list("pk", "n")
    )
    for contract in contracts:
        days = (contract.ends_on - today).days
        contract.expiry = expiry(contract.ends_on, today)
        contract.ended = days < 0
        contract.ending_soon = 0 <= days <= contract.alert_days
        contract.asset_count = counts.get(contract.pk, 0)
    return contracts


def contract_queryset(user, filters: ContractFilter, today: date) -> QuerySet:
    queryset = filters.apply(visible_contracts(user), today)
    return queryset.select_related("organisation", "supplier").order_by("ends_on", "name", "pk")


def contract_or_404(user, pk) -> Contract:
    related = Contract.objects.select_related("organisation", "supplier")
    try:
        return visible_contracts(user, related).get(pk=int(pk))
    except (ValueError, TypeError, OverflowError, Contract.DoesNotExist):
        raise Http404 from None


def covered_assets(user, contract: Contract) -> tuple[list[Asset], int]:
    """The assets the contract covers that `user` may see (the first `SHOWN`), and how many."""
    assets = visible_assets(user).filter(contracts=contract)
    assets = assets.select_related("location", "user").order_by("name", "pk")
    return list(assets[:SHOWN]), assets.count()


def covered_ids(user, contract: Contract) -> set[int]:
    """The covered assets that are still of the contract's organisation and visible."""
    return set(
        visible_assets(user)
        .filter(contracts=contract, organisation_id=contract.organisation_id)
        .values_list("pk", flat=True)
    )


# --- Suppliers ----------------------------------------------------------------------------


def suppliers(q: str) -> QuerySet:
    queryset = Supplier.objects.order_by("name", "pk")
    if q:
        queryset = queryset.filter(Q(name__icontains=q) | Q(email__icontains=q))
    return queryset
