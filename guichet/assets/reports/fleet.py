"""The fleet report's figures, each added up in SQL and written as a table.

Every figure reads the active machines (`choices.ACTIVE_STATES`) of the organisations the
reader may see (`access.visible_assets`), narrowed to one organisation on request, with a
GROUP BY or one capped list: the number of queries does not grow with the fleet.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property

from django.db.models import Count, F, QuerySet
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.accounts.access import organisation_names, visible_assets
from guichet.assets import compliance as licensing
from guichet.assets.choices import ACTIVE_STATES, AssetKind, ComponentKind
from guichet.assets.models import Component
from guichet.assets.reports.tables import COUNT, DAY, MOMENT, PERCENT, SIGNED, TEXT, Column, Table
from guichet.lib.errors import InvalidInput
from guichet.lib.params import positive_id

DEFAULT_DAYS, MAX_DAYS = 30, 3650
# Lists on the screen stop here ("and N more"); their CSV downloads have every row.
LIST_CAP = 100
# Ages in whole years since the year of purchase: (first, last), None for "and more".
AGE_BANDS = ((0, 1), (2, 3), (4, 5), (6, None))
FULL_PARTS = 10  # a volume with less than a tenth of its size free is nearly full


@dataclass(frozen=True)
class FleetFilters:
    """The organisation asked for (None: every one the reader may see), the days without an
    inventory after which a machine counts as not seen, and the moment of the report."""

    organisation: int | None = None
    days: int = DEFAULT_DAYS
    now: datetime = field(default_factory=timezone.now)

    @property
    def today(self) -> date:
        return timezone.localtime(self.now).date()

    def as_params(self) -> dict[str, str]:
        params = {"days": str(self.days)}
        if self.organisation is not None:
            params["organisation"] = str(self.organisation)
        return params


def parse_filters(params, user, *, now: datetime | None = None) -> FleetFilters:
    """FleetFilters from a QueryDict; InvalidInput names each bad field. An organisation the
    reader may not see reads exactly like one that does not exist."""
    errors: dict[str, str] = {}
    organisation = positive_id(params.get("organisation"), errors, "organisation")
    if organisation is not None and organisation not in dict(organisation_names(user)):
        errors["organisation"] = _("Unknown organisation.")
    days = DEFAULT_DAYS
    raw = params.get("days") or ""
    if raw:
        try:
            days = int(raw)
        except ValueError:
            errors["days"] = _("Must be a whole number.")
        else:
            if not 1 <= days <= MAX_DAYS:
                errors["days"] = _("Between 1 and %(max)d days.") % {"max": MAX_DAYS}
    if errors:
        raise InvalidInput({name: [message] for name, message in errors.items()})
    return FleetFilters(organisation=organisation, days=days, now=now or timezone.now())


class Fleet:
    """The reader, the filters, and what several figures share (read once)."""

    def __init__(self, user, filters: FleetFilters, *, shared_scan: bool = False):
        """`shared_scan`: count every product's installs once for both the compliance and
        the unlicensed software (the page shows both); without it the compliance reads the
        licensed products' installs only (its CSV download)."""
        self.user = user
        self.filters = filters
        self.shared_scan = shared_scan

    def assets(self) -> QuerySet:
        queryset = visible_assets(self.user).filter(state__in=ACTIVE_STATES)
        if self.filters.organisation is not None:
            queryset = queryset.filter(organisation_id=self.filters.organisation)
        return queryset

    @cached_property
    def organisation_names(self) -> dict[int, str]:
        return dict(organisation_names(self.user))

    @cached_property
    def installed(self) -> dict[tuple[int, int], int]:
        return licensing.installed_counts(self.user, organisation=self.filters.organisation)

    @cached_property
    def compliance(self) -> list[licensing.Row]:
        return licensing.compliance(
            self.user,
            organisation=self.filters.organisation,
            today=self.filters.today,
            installed=self.installed if self.shared_scan else None,
        )

    @cached_property
    def unlicensed(self) -> list[licensing.Unlicensed]:
        return licensing.unlicensed_software(
            self.user, organisation=self.filters.organisation, installed=self.installed
        )


# --- Counts ------------------------------------------------------------------------------------


def systems(fleet: Fleet) -> Table:
    found = (
        fleet.assets()
        .filter(kind=AssetKind.COMPUTER)
        .order_by()
        .values_list("os_name", "os_version")
        .annotate(n=Count("id"))
    )
    rows = sorted(found, key=lambda r: (-r[2], r[0].casefold(), r[1]))
    return Table(
        slug="systems",
        caption=_("Computers by operating system and version"),
        columns=(
            Column(_("Operating system"), TEXT),
            Column(_("Version"), TEXT),
            Column(_("Computers")),
        ),  # fmt: skip
        rows=[(name or _("Not reported"), version, n) for name, version, n in rows],
        total=(_("All computers"), "", sum(r[2] for r in rows)),
    )


def manufacturers(fleet: Fleet) -> Table:
    found = fleet.assets().order_by().values_list("manufacturer__name").annotate(n=Count("id"))
    rows = sorted(found, key=lambda r: (-r[1], (r[0] or "").casefold()))
    return Table(
        slug="manufacturers",
        caption=_("Assets by manufacturer"),
        columns=(Column(_("Manufacturer"), TEXT), Column(_("Assets"))),
        rows=[(name or _("Not known"), n) for name, n in rows],
        total=(_("All assets"), sum(r[1] for r in rows)),
    )


def band_label(first: int, last: int | None) -> str:
    if last is None:
        return _("%(n)d years or more") % {"n": first}
    return _("%(first)d to %(last)d years") % {"first": first, "last": last}


def ages(fleet: Fleet) -> Table:
    found = dict(
        fleet.assets()
        .order_by()
        .annotate(year=ExtractYear("purchase_date"))
        .values_list("year")
        .annotate(n=Count("id"))
    )
    year = fleet.filters.today.year
    rows: list[tuple] = []
    for first, last in AGE_BANDS:
        newest = year - first
        oldest = None if last is None else year - last
        count = sum(
            n
            for bought, n in found.items()
            if bought is not None and bought <= newest and (oldest is None or bought >= oldest)
        )
        years = f"≤ {newest}" if oldest is None else f"{oldest}–{newest}"
        rows.append((band_label(first, last), years, count))
    future = sum(n for bought, n in found.items() if bought is not None and bought > year)
    rows[0] = (*rows[0][:2], rows[0][2] + future)  # bought "next year": a typing slip, yet new
    rows.append((_("Purchase date unknown"), "", found.get(None, 0)))
    return Table(
        slug="ages",
        caption=_("Assets by age since purchase"),
        columns=(Column(_("Age"), TEXT), Column(_("Purchased in"), TEXT), Column(_("Assets"))),
        rows=rows,
        total=(_("All assets"), "", sum(found.values())),
    )


# --- Lists of machines -------------------------------------------------------------------------


def _per_organisation(fleet: Fleet, queryset: QuerySet, slug: str, caption: str) -> Table:
    found = queryset.order_by().values_list("organisation_id").annotate(n=Count("id"))
    names = fleet.organisation_names
    rows = sorted(((names.get(org, "?"), n) for org, n in found), key=lambda r: (-r[1], r[0]))
    return Table(
        slug=slug,
        caption=caption,
        columns=(Column(_("Organisation"), TEXT), Column(_("Machines"))),
        rows=rows,
        total=(_("All organisations"), sum(r[1] for r in rows)),
    )


def _machine(fleet: Fleet, pk: int, name: str, number: str, org: int) -> tuple:
    return (name, number or f"AS-{pk}", fleet.organisation_names.get(org, "?"))


MACHINE = ("name", "inventory_number", "organisation_id")


def _machine_columns() -> tuple[Column, ...]:
    return (Column(_("Machine"), TEXT), Column(_("Reference"), TEXT),
            Column(_("Organisation"), TEXT))  # fmt: skip


def _capped(queryset: QuerySet, cap: int | None, total: int) -> tuple[list, int]:
    rows = list(queryset if cap is None else queryset[:cap])
    return rows, max(0, total - len(rows))


def not_seen_since(fleet: Fleet) -> datetime:
    return fleet.filters.now - timedelta(days=fleet.filters.days)


def not_seen_assets(fleet: Fleet) -> QuerySet:
    return fleet.assets().filter(last_inventory_at__lt=not_seen_since(fleet))


def not_seen_by_organisation(fleet: Fleet) -> Table:
    caption = _("Machines not seen for %(days)d days, by organisation") % {
        "days": fleet.filters.days
    }
    return _per_organisation(fleet, not_seen_assets(fleet), "not-seen-organisations", caption)


def not_seen(fleet: Fleet, cap: int | None = LIST_CAP, total: int = 0) -> Table:
    found = not_seen_assets(fleet).order_by("last_inventory_at", "id")
    rows, more = _capped(found.values_list("pk", *MACHINE, "last_inventory_at"), cap, total)
    return Table(
        slug="not-seen",
        caption=_("Machines not seen for %(days)d days") % {"days": fleet.filters.days},
        columns=(*_machine_columns(), Column(_("Last inventory"), MOMENT)),
        rows=[(*_machine(fleet, *row[:4]), row[4]) for row in rows],
        more=more,
    )


def out_of_warranty_assets(fleet: Fleet) -> QuerySet:
    return fleet.assets().filter(warranty_end__lt=fleet.filters.today)


def warranty_by_organisation(fleet: Fleet) -> Table:
    caption = _("Assets out of warranty, by organisation")
    return _per_organisation(fleet, out_of_warranty_assets(fleet), "warranty-organisations",
                             caption)  # fmt: skip


def out_of_warranty(fleet: Fleet, cap: int | None = LIST_CAP, total: int = 0) -> Table:
    found = out_of_warranty_assets(fleet).order_by("warranty_end", "id")
    rows, more = _capped(found.values_list("pk", *MACHINE, "warranty_end"), cap, total)
    return Table(
        slug="warranty",
        caption=_("Assets out of warranty"),
        columns=(*_machine_columns(), Column(_("Warranty end"), DAY)),
        rows=[(*_machine(fleet, *row[:4]), row[4]) for row in rows],
        more=more,
    )


def full_volumes(fleet: Fleet) -> QuerySet:
    """Volumes with less than a tenth of their size free, on machines in the report (free ×
    10 < size: integers, no rounding)."""
    return (
        Component.objects.filter(kind=ComponentKind.VOLUME, size__gt=0, free__isnull=False)
        .alias(free_scaled=F("free") * FULL_PARTS)
        .filter(free_scaled__lt=F("size"), asset__in=fleet.assets())
    )


def disks_by_organisation(fleet: Fleet) -> Table:
    found = (
        full_volumes(fleet)
        .order_by()
        .values_list("asset__organisation_id")
        .annotate(n=Count("asset_id", distinct=True))
    )
    names = fleet.organisation_names
    rows = sorted(((names.get(org, "?"), n) for org, n in found), key=lambda r: (-r[1], r[0]))
    return Table(
        slug="disks-organisations",
        caption=_("Machines with a nearly full disk, by organisation"),
        columns=(Column(_("Organisation"), TEXT), Column(_("Machines"))),
        rows=rows,
        total=(_("All organisations"), sum(r[1] for r in rows)),
    )


def full_disks(fleet: Fleet, cap: int | None = LIST_CAP, total: int = 0) -> Table:
    found = full_volumes(fleet).order_by("asset__organisation_id", "asset__name", "id")
    fields = ("asset_id", "asset__name", "asset__inventory_number", "asset__organisation_id",
              "label", "identity", "free", "size")  # fmt: skip
    rows, more = _capped(found.values_list(*fields), cap, total)
    return Table(
        slug="disks",
        caption=_("Volumes with less than a tenth of their size free"),
        columns=(
            *_machine_columns(),
            Column(_("Volume"), TEXT),
            Column(_("Free (MB)")),
            Column(_("Size (MB)")),
            Column(_("Free"), PERCENT),
        ),  # fmt: skip
        rows=[
            (*_machine(fleet, *row[:4]), row[4] or row[5], row[6], row[7], 100 * row[6] / row[7])
            for row in rows
        ],
        more=more,
    )


# --- Licences ----------------------------------------------------------------------------------


def licence_compliance(fleet: Fleet) -> Table:
    return Table(
        slug="compliance",
        caption=_("Licence compliance per product"),
        columns=(
            Column(_("Product"), TEXT),
            Column(_("Organisation"), TEXT),
            Column(_("Installed on")),
            Column(_("Seats")),
            Column(_("Difference"), SIGNED),
            Column(_("Status"), TEXT),
        ),  # fmt: skip
        rows=[
            (
                row.product,
                row.organisation,
                row.installed,
                _("Unlimited") if row.entitled is None else row.entitled,
                row.difference,
                row.status_label,
            )
            for row in fleet.compliance
        ],
    )


def unlicensed(fleet: Fleet) -> Table:
    return Table(
        slug="unlicensed",
        caption=_("Software installed without a licence"),
        columns=(
            Column(_("Product"), TEXT),
            Column(_("Publisher"), TEXT),
            Column(_("Organisation"), TEXT),
            Column(_("Installed on"), COUNT),
        ),  # fmt: skip
        rows=[(r.product, r.publisher, r.organisation, r.installed) for r in fleet.unlicensed],
    )
