"""Reads of the asset screens: the list's filters and keyset pages, the select lists of the
forms, and what an asset's page shows. Every read of tenant data goes through the access door
(`visible_assets`, `visible_tickets`, `visible_licences`, `visible_contracts`,
`visible_organisations`, `visible_users`)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import groupby

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from guichet.accounts import reference
from guichet.accounts.access import (
    organisation_names,
    staff_members,
    visible_assets,
    visible_contracts,
    visible_licences,
    visible_organisations,
    visible_tickets,
    visible_users,
)
from guichet.accounts.choices import STAFF_ROLES
from guichet.assets import text_index
from guichet.assets.choices import (
    AssetEventKind,
    AssetKind,
    AssetState,
    AssetSubtype,
    ComponentKind,
    Source,
)
from guichet.assets.models import (
    Asset,
    AssetEvent,
    Component,
    Installation,
    LicenceAssignment,
    Manufacturer,
    Supplier,
)
from guichet.lib import refcache
from guichet.lib.pagination import Page, keyset_page

PAGE_SIZE = 50
HISTORY_PAGE = 50
SOFTWARE_SHOWN = 100
TICKETS_SHOWN = 50
# What a row of the list shows (`templatetags.asset_list`): the other columns (the inventory
# digests, notes, purchase) would be read and converted fifty times for nothing.
ROW_FIELDS = (
    "kind", "subtype", "name", "inventory_number", "serial", "model", "state",
    "last_inventory_at", "warranty_end", "organisation_id", "location_id", "manufacturer_id",
    "user__first_name", "user__last_name", "user__username",
)  # fmt: skip
# Components whose `size` is in MB; processors report MHz.
SIZES_IN_MB = {ComponentKind.MEMORY, ComponentKind.STORAGE, ComponentKind.VOLUME}
CHOICE_LABELS = {"state": AssetState, "kind": AssetKind, "subtype": AssetSubtype}


def unreviewed_flags() -> QuerySet:
    """Flagged component changes nobody has looked at (read on their partial index)."""
    return AssetEvent.objects.filter(flagged=True, reviewed_at__isnull=True)


@dataclass
class AssetFilter:
    """The list's filters, all optional and combinable. Each one is a condition an index of
    the asset table serves (the text, a trigram index: `text_index`)."""

    q: str = ""
    kind: str = ""
    subtype: str = ""
    state: str = ""
    organisation: int | None = None
    location: int | None = None
    user: int | str | None = None  # an id, "me" or "none"
    manufacturer: int | None = None
    warranty_ended: bool = False
    not_seen_days: int | None = None
    flagged: bool = False

    def apply(self, queryset: QuerySet, viewer, *, now: datetime, today: date) -> QuerySet:
        if self.q:
            queryset = queryset.filter(text_index.matching(self.q))
        if self.kind:
            queryset = queryset.filter(kind=self.kind)
        if self.subtype:
            queryset = queryset.filter(subtype=self.subtype)
        if self.state:
            queryset = queryset.filter(state=self.state)
        if self.organisation is not None:
            queryset = queryset.filter(organisation_id=self.organisation)
        if self.location is not None:
            queryset = queryset.filter(location_id=self.location)
        if self.user == "me":
            queryset = queryset.filter(user_id=viewer.pk)
        elif self.user == "none":
            queryset = queryset.filter(user__isnull=True)
        elif self.user is not None:
            queryset = queryset.filter(user_id=self.user)
        if self.manufacturer is not None:
            queryset = queryset.filter(manufacturer_id=self.manufacturer)
        if self.warranty_ended:
            queryset = queryset.filter(warranty_end__lt=today)
        if self.not_seen_days is not None:
            since = now - timedelta(days=self.not_seen_days)
            queryset = queryset.filter(last_inventory_at__lt=since)
        if self.flagged:
            queryset = queryset.filter(pk__in=unreviewed_flags().values("asset_id"))
        return queryset


def asset_page(
    user, filters: AssetFilter, cursor: str | None, *, now: datetime, today: date,
    size: int = PAGE_SIZE,
) -> Page:  # fmt: skip
    """One keyset page of the assets `user` may see, newest first (ValueError on a bad
    cursor). Each row has its organisation, location, user and manufacturer joined and
    `has_flags` (unreviewed component changes), in one query whatever the page's size."""
    queryset = filters.apply(visible_assets(user), user, now=now, today=today)
    # The page's ids first, from the assets' table alone: joined and annotated, the query
    # made SQLite start from the organisations and sort tens of thousands of rows.
    page = keyset_page(queryset.only("id"), field="id", descending=True, size=size, cursor=cursor)
    flags = unreviewed_flags().filter(asset_id=OuterRef("pk"))
    rows = Asset.objects.filter(pk__in=[a.pk for a in page.items])
    rows = rows.select_related("user").only(*ROW_FIELDS).annotate(has_flags=Exists(flags))
    found = {a.pk: a for a in rows}
    page.items = [found[a.pk] for a in page.items if a.pk in found]
    _attach(page.items)
    _label(page.items)
    return page


def _makers() -> dict[int, Manufacturer]:
    return refcache.cached("assets.makers_by_id", lambda: Manufacturer.objects.in_bulk())


def _attach(assets: list[Asset]) -> None:
    """Each row's organisation, site and maker from the reference cache (shared, read-only
    objects) instead of three joins in the page's query."""
    organisations, sites, makers = (
        reference.organisations_by_id(),
        reference.locations_by_id(),
        _makers(),
    )
    for asset in assets:
        asset.organisation = organisations[asset.organisation_id]
        asset.location = sites.get(asset.location_id) if asset.location_id else None
        asset.manufacturer = makers.get(asset.manufacturer_id) if asset.manufacturer_id else None


def _label(assets: list[Asset]) -> None:
    """Each row's type, subtype and state in words, from one translation of each choice:
    `get_FOO_display` hashes (so translates) every choice at each call, 150 times a page."""
    labels = {name: {value: str(label) for value, label in choices}
              for name, choices in (("kind", AssetKind.choices), ("subtype", AssetSubtype.choices),
                                    ("state", AssetState.choices))}  # fmt: skip
    for asset in assets:
        asset.kind_label = labels["kind"].get(asset.kind, asset.kind)  # type: ignore[attr-defined]
        asset.subtype_label = labels["subtype"].get(asset.subtype, asset.subtype)  # type: ignore[attr-defined]
        asset.state_label = labels["state"].get(asset.state, asset.state)  # type: ignore[attr-defined]


# --- Select lists -------------------------------------------------------------------------


def _sites_by_organisation() -> dict[int, list[tuple[int, str]]]:
    def build():
        sites: dict[int, list[tuple[int, str]]] = {}
        for site in sorted(reference.locations_by_id().values(), key=lambda s: (s.name, s.pk)):
            sites.setdefault(site.organisation_id, []).append((site.pk, site.name))
        return sites

    return refcache.cached("assets.sites_by_organisation", build)


def location_choices(user) -> list[tuple[str, list[tuple[int, str]]]]:
    """The sites of the organisations `user` may see, grouped under their organisation's
    name (one optgroup per organisation). Sites are reference data: read once per process
    and revision, not on every page that offers them."""
    sites = _sites_by_organisation()
    return [(name, sites[pk]) for pk, name in organisation_names(user) if pk in sites]


def _person(first: str, last: str, username: str) -> str:
    return f"{first} {last}".strip() or username


def people_choices(user, organisation_ids=None) -> list[tuple[str, list[tuple[int, str]]]]:
    """People an asset can be assigned to: the contacts of each organisation `user` may
    see (or of `organisation_ids` among them), grouped by organisation, then the support
    staff."""
    staff = [(person.pk, person.display_name) for person in staff_members(user)]
    staff_group = [(_("Support staff"), staff)] if staff else []
    if organisation_ids is not None and not list(organisation_ids):
        return staff_group
    organisations = visible_organisations(user)
    if organisation_ids is not None:
        organisations = organisations.filter(pk__in=list(organisation_ids))
    rows = (
        visible_users(user)
        .filter(organisation__in=organisations)
        .exclude(role__in=STAFF_ROLES)
        .order_by("organisation__name", "last_name", "first_name", "username")
        .values_list("pk", "first_name", "last_name", "username", "organisation__name")
    )
    groups = [
        (organisation, [(row[0], _person(*row[1:4])) for row in group])
        for organisation, group in groupby(rows, key=lambda row: row[4])
    ]
    return groups + staff_group


def manufacturer_choices() -> list[tuple[int, str]]:
    """Makers are shared reference data (one normalised name each), not a client's; read
    once per process and revision (`AssetsConfig.ready` watches their table)."""
    return refcache.cached(
        "assets.manufacturers",
        lambda: sorted(((m.pk, m.name) for m in _makers().values()), key=lambda p: (p[1], p[0])),
    )


def supplier_names() -> list[str]:
    return list(Supplier.objects.order_by("name").values_list("name", flat=True))


# --- The asset's page ---------------------------------------------------------------------

DETAIL_RELATIONS = ("organisation", "location", "user", "manufacturer", "supplier")


def detail_queryset() -> QuerySet:
    return Asset.objects.select_related(*DETAIL_RELATIONS)


def flag_count(asset: Asset) -> int:
    return unreviewed_flags().filter(asset=asset).count()


@dataclass
class ComponentGroup:
    kind: str
    label: str
    unit: str
    items: list


def component_groups(asset: Asset) -> list[ComponentGroup]:
    """The asset's parts, one group per kind in the inventory's order."""
    by_kind: dict[str, list[Component]] = {}
    for component in asset.components.order_by("kind", "label", "identity"):
        by_kind.setdefault(component.kind, []).append(component)
    groups = []
    for kind in ComponentKind:
        if kind in by_kind:
            unit = "MB" if kind in SIZES_IN_MB else ("MHz" if kind == ComponentKind.CPU else "")
            groups.append(ComponentGroup(kind, str(kind.label), unit, by_kind[kind]))
    return groups


def software(asset: Asset, search: str = "", limit: int = SOFTWARE_SHOWN) -> tuple[list, int]:
    """The installed software (product and version) by product name, at most `limit` rows,
    and how many match in all; `search` keeps the products whose name contains it."""
    installations = Installation.objects.filter(asset=asset)
    if search:
        installations = installations.filter(product__name__icontains=search)
    rows = installations.select_related("product__publisher", "version").order_by(
        "product__name", "version__version", "pk"
    )
    return list(rows[:limit]), installations.count()


def licence_assignments(user, asset: Asset) -> list[LicenceAssignment]:
    """The seats given to this machine, of licences `user` may see."""
    return list(
        LicenceAssignment.objects.filter(asset=asset, licence__in=visible_licences(user))
        .select_related("licence__product")
        .order_by("licence__name", "pk")
    )


def contracts(user, asset: Asset) -> list:
    return list(visible_contracts(user).filter(assets=asset).select_related("supplier"))


def tickets(user, asset: Asset, limit: int = TICKETS_SHOWN) -> tuple[list, int]:
    """The newest tickets about the asset that `user` may open, and how many in all."""
    linked = visible_tickets(user).filter(asset_links__asset=asset)
    return list(linked.order_by("-pk")[:limit]), linked.count()


def attachments(asset: Asset) -> list:
    return list(asset.attachments.select_related("uploaded_by"))


def field_label(name: str) -> str:
    if name == "attachment":
        return _("File")
    if name in ComponentKind.values:
        return str(ComponentKind(name).label)
    try:
        field = Asset._meta.get_field(name)
    except FieldDoesNotExist:  # a field since removed from the model: its name is all there is
        return name
    return str(getattr(field, "verbose_name", name))


def shown_value(name: str, value: str) -> str:
    """A stored old or new value as people read it: the label of a choice."""
    choices = CHOICE_LABELS.get(name)
    if choices is not None and value:
        try:
            return str(choices(value).label)
        except ValueError:
            return value
    return value


def _ticket_number(event: AssetEvent) -> int | None:
    raw = (event.new_value or event.old_value).lstrip("#")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 2**63 else None


def history_page(user, asset: Asset, cursor: str | None, size: int = HISTORY_PAGE) -> Page:
    """One page of the asset's changes, newest first, each with `who`, `field_label`,
    `old_shown`, `new_shown`. A ticket link the viewer may not open is left out: its number
    alone says that the ticket exists."""
    events = asset.events.select_related("actor", "reviewed_by")
    page = keyset_page(events, field="id", descending=True, size=size, cursor=cursor)
    numbers = {n for e in page.items if e.kind == AssetEventKind.TICKET if (n := _ticket_number(e))}
    seen = set(visible_tickets(user).filter(pk__in=numbers).values_list("pk", flat=True))
    shown = []
    for event in page.items:
        if event.kind == AssetEventKind.TICKET and _ticket_number(event) not in seen:
            continue
        if event.actor is not None:
            event.who = event.actor.display_name
        elif event.source == Source.AGENT:
            event.who = str(Source.AGENT.label)
        else:
            event.who = _("System")
        event.ticket_number = _ticket_number(event) if event.kind == AssetEventKind.TICKET else None
        event.field_label = field_label(event.field) if event.field else ""
        event.old_shown = shown_value(event.field, event.old_value)
        event.new_shown = shown_value(event.field, event.new_value)
        shown.append(event)
    page.items = shown
    return page
