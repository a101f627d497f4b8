"""Licence compliance: per product and organisation, the machines the product is installed on
against the seats the organisation's licences give.

The rules:

- **Installed**: distinct machines in an active state (`choices.ACTIVE_STATES`) of the
  organisation with any version of the product. Retired and disposed machines do not count.
- **Entitled**, in machines, from the organisation's licences of the product valid today
  (no start or a start on or before today, no end or an end on or after today):
  a per-device or subscription licence gives its seats; a site licence makes the entitlement
  unlimited; a per-user licence gives each seat held by a person as many machines as that
  person is assigned (active, of the organisation, with the product installed), at least one,
  and each seat held by nobody one machine. Licences of other organisations never count.
- **Status**: compliant when entitled equals installed, over-licensed when there are more
  seats than installs, under-licensed when installs go beyond the seats.
- **Unlicensed software**: products installed in an organisation without any licence of it
  there (valid or not), hidden products (`Product.hidden`) left out.

Cost: a handful of aggregate queries, whatever the size of the fleet. The installs are read
from `ProductUsage`, the count per product and organisation that the verbs changing
installations, states and organisations keep in their transaction (`assets.usage`): a
thousand licensed products read a few thousand rows, not the tens of millions of
installations behind them. Only per-user licences look at installations, those of their
holders' machines.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.accounts.access import asset_condition, organisation_names
from guichet.assets.choices import ACTIVE_STATES, LicenceKind
from guichet.assets.models import Installation, Licence, LicenceAssignment, Product, ProductUsage

COMPLIANT, OVER, UNDER, UNLIMITED = "compliant", "over", "under", "unlimited"
STATUS_LABELS = {
    COMPLIANT: _("Compliant"),
    OVER: _("Over-licensed"),
    UNDER: _("Under-licensed"),
    UNLIMITED: _("Site licence"),
}


@dataclass(frozen=True)
class Row:
    """One product in one organisation. `entitled` is None under a site licence."""

    product_id: int
    product: str
    publisher: str
    organisation_id: int
    organisation: str
    installed: int
    entitled: int | None
    licences: int  # licences valid today

    @property
    def difference(self) -> int | None:
        """Seats beyond the installs (positive: over-licensed, negative: under-licensed)."""
        return None if self.entitled is None else self.entitled - self.installed

    @property
    def status(self) -> str:
        if self.entitled is None:
            return UNLIMITED
        if self.entitled > self.installed:
            return OVER
        if self.entitled < self.installed:
            return UNDER
        return COMPLIANT

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


@dataclass(frozen=True)
class Unlicensed:
    """A product installed in an organisation that has no licence of it."""

    product_id: int
    product: str
    publisher: str
    organisation_id: int
    organisation: str
    installed: int


def _scoped(queryset: QuerySet, user, field: str, organisation) -> QuerySet:
    """The rows of the organisations `user` may see (the licences' rule: staff those their
    teams serve, an organisation's manager their own, other requesters none)."""
    condition = asset_condition(user, organisation_field=field)
    if condition is not None:
        queryset = queryset.filter(condition)
    if organisation is not None:
        queryset = queryset.filter(**{field: getattr(organisation, "pk", organisation)})
    return queryset


def _ids(products: Iterable | None) -> list[int] | None:
    return None if products is None else sorted({getattr(p, "pk", p) for p in products})


def installed_counts(
    user, *, organisation=None, products: Iterable | None = None, licensed_only: bool = False
) -> dict[tuple[int, int], int]:
    """Active machines per (product id, organisation id) with the product installed, read
    from the maintained counts (`ProductUsage`). `licensed_only` keeps to products with a
    licence in the organisations seen."""
    queryset = _scoped(ProductUsage.objects.filter(machines__gt=0), user, "organisation",
                       organisation)  # fmt: skip
    wanted = _ids(products)
    if wanted is not None:
        queryset = queryset.filter(product_id__in=wanted)
    if licensed_only:
        licensed = _scoped(Licence.objects.all(), user, "organisation", organisation)
        queryset = queryset.filter(product_id__in=licensed.values("product_id"))
    found = queryset.values_list("product_id", "organisation_id", "machines")
    return {(product, org): machines for product, org, machines in found}


def _valid_on(today: date) -> Q:
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=today)) & (
        Q(valid_until__isnull=True) | Q(valid_until__gte=today)
    )


def _per_user_machines(licences: QuerySet) -> dict[int, int]:
    """Machines covered by the held seats of each of these per-user licences: per seat, the
    holder's active machines of the organisation with the product installed, at least one."""
    machines = (
        Installation.objects.filter(
            product_id=OuterRef("licence__product_id"),
            asset__user_id=OuterRef("user_id"),
            asset__organisation_id=OuterRef("licence__organisation_id"),
            asset__state__in=ACTIVE_STATES,
        )
        .order_by()
        .values("product_id")
        .annotate(n=Count("asset_id", distinct=True))
        .values("n")
    )
    held = LicenceAssignment.objects.filter(licence__in=licences, user__isnull=False).annotate(
        machines=Coalesce(Subquery(machines, output_field=IntegerField()), 0)
    )
    covered: dict[int, int] = defaultdict(int)
    for licence_id, count in held.values_list("licence_id", "machines"):
        covered[licence_id] += max(1, count)
    return covered


def _entitlements(licences: QuerySet, today: date) -> dict[tuple[int, int], tuple]:
    """(entitled machines or None for unlimited, licences valid today) per (product,
    organisation), for every pair with a licence, valid or not."""
    valid = _valid_on(today)
    totals = (
        licences.order_by()
        .values_list("product_id", "organisation_id")
        .annotate(
            valid=Count("pk", filter=valid),
            sites=Count("pk", filter=valid & Q(kind=LicenceKind.SITE)),
            seats=Coalesce(
                Sum("seats", filter=valid & Q(kind__in=[LicenceKind.PER_DEVICE,
                                                         LicenceKind.SUBSCRIPTION])),
                0,
            ),
        )
    )  # fmt: skip
    result: dict[tuple[int, int], tuple] = {
        (product, org): (None if sites else seats, count)
        for product, org, count, sites, seats in totals
    }
    per_user = licences.filter(valid, kind=LicenceKind.PER_USER)
    covered = _per_user_machines(per_user)
    rows = per_user.annotate(
        held=Count("assignments", filter=Q(assignments__user__isnull=False))
    ).values_list("pk", "product_id", "organisation_id", "seats", "held")
    for pk, product, org, seats, held in rows:
        entitled, count = result[(product, org)]
        if entitled is not None:
            free = max(0, (seats or 0) - held)
            result[(product, org)] = (entitled + free + covered.get(pk, 0), count)
    return result


def _names(product_ids: Iterable[int]) -> dict[int, tuple[str, str, bool]]:
    """(name, publisher, hidden) per product id."""
    found = Product.objects.filter(pk__in=sorted(set(product_ids))).values_list(
        "pk", "name", "publisher__name", "hidden"
    )
    return {pk: (name, publisher or "", hidden) for pk, name, publisher, hidden in found}


def compliance(
    user,
    *,
    organisation=None,
    products: Iterable | None = None,
    today: date | None = None,
    installed: dict[tuple[int, int], int] | None = None,
) -> list[Row]:
    """One row per (product, organisation) with a licence, by product then organisation.
    `installed` (from `installed_counts`) spares the count when the caller has it already."""
    today = today or timezone.localdate()
    licences = _scoped(Licence.objects.all(), user, "organisation", organisation)
    wanted = _ids(products)
    if wanted is not None:
        licences = licences.filter(product_id__in=wanted)
    entitled = _entitlements(licences, today)
    if not entitled:
        return []
    if installed is None:
        installed = installed_counts(
            user, organisation=organisation, products=wanted, licensed_only=True
        )
    names = _names(product for product, _org in entitled)
    organisations = dict(organisation_names(user))
    rows = [
        Row(
            product_id=product,
            product=names[product][0],
            publisher=names[product][1],
            organisation_id=org,
            organisation=organisations.get(org, ""),
            installed=installed.get((product, org), 0),
            entitled=seats,
            licences=count,
        )
        for (product, org), (seats, count) in entitled.items()
    ]
    return sorted(rows, key=lambda r: (r.product.casefold(), r.organisation.casefold()))


def unlicensed_software(
    user,
    *,
    organisation=None,
    products: Iterable | None = None,
    installed: dict[tuple[int, int], int] | None = None,
) -> list[Unlicensed]:
    """Products installed in an organisation with no licence of them there, most installed
    first."""
    if installed is None:
        installed = installed_counts(user, organisation=organisation, products=products)
    elif organisation is not None:
        only = getattr(organisation, "pk", organisation)
        installed = {key: n for key, n in installed.items() if key[1] == only}
    licences = _scoped(Licence.objects.all(), user, "organisation", organisation)
    licensed = set(licences.values_list("product_id", "organisation_id").distinct())
    missing = {key: n for key, n in installed.items() if key not in licensed}
    names = _names(product for product, _org in missing)
    organisations = dict(organisation_names(user))
    rows = [
        Unlicensed(
            product_id=product,
            product=names[product][0],
            publisher=names[product][1],
            organisation_id=org,
            organisation=organisations.get(org, ""),
            installed=machines,
        )
        for (product, org), machines in missing.items()
        if product in names and not names[product][2]
    ]
    return sorted(rows, key=lambda r: (-r.installed, r.product.casefold(), r.organisation))
