"""Reads of the inventory screens: agents, conflicts, rules and keys, always limited to the
organisations the viewer may see (`access.visible_organisations`, `access.visible_assets`).
Administrators also see what belongs to no organisation: the agents refused for lack of one.

Every page is read in a fixed number of queries, whatever the number of rows: related rows
are joined or prefetched, and the MAC addresses of a page's candidates are read in one go."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Case, IntegerField, Prefetch, QuerySet, Value, When
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guichet.accounts.access import (
    may_manage_inventory,
    sees_everything,
    visible_assets,
    visible_organisations,
)
from guichet.accounts.models import Location, Organisation
from guichet.assets.choices import ComponentKind
from guichet.assets.models import Asset, Component
from guichet.inventory import document
from guichet.inventory.choices import ConflictStatus
from guichet.inventory.models import Agent, Conflict, ReconciliationRule, TagRule
from guichet.inventory.normal import Inventory
from guichet.lib.pagination import Page, keyset_page

PAGE_SIZE = 50
CONFLICT_PAGE_SIZE = 20
KEY_PAGE_SIZE = 50
NO_ORGANISATION = "none"  # the agents' filter value for "tied to no organisation"
ALL_STATUSES = "all"


def _limited(user, queryset: QuerySet) -> QuerySet:
    """`queryset` (of rows with an `organisation`) as far as `user` may manage it."""
    if not may_manage_inventory(user):
        return queryset.none()
    if sees_everything(user):
        return queryset
    return queryset.filter(organisation__in=visible_organisations(user).values("pk"))


def visible_agents(user) -> QuerySet[Agent]:
    return _limited(user, Agent.objects.all())


def visible_conflicts(user) -> QuerySet[Conflict]:
    return _limited(user, Conflict.objects.all())


def visible_tag_rules(user) -> QuerySet[TagRule]:
    return _limited(user, TagRule.objects.all())


def asset_url(pk: int) -> str:
    # The assets room names its page "assets:detail"; its path is the fallback.
    try:
        return reverse("assets:detail", args=[pk])
    except NoReverseMatch:
        return f"/assets/{pk}/"


def _visible_asset_ids(user, ids) -> set[int]:
    ids = {pk for pk in ids if pk}
    if not ids:
        return set()
    return set(visible_assets(user).filter(pk__in=ids).values_list("pk", flat=True))


# --- Agents ----------------------------------------------------------------------------------


@dataclass
class AgentFilter:
    organisation: int | str | None = None  # an id, or NO_ORGANISATION
    protocol: str = ""
    with_errors: bool = False
    unseen_days: int | None = None

    def apply(self, queryset: QuerySet, now: datetime) -> QuerySet:
        if self.organisation == NO_ORGANISATION:
            queryset = queryset.filter(organisation__isnull=True)
        elif self.organisation is not None:
            queryset = queryset.filter(organisation_id=self.organisation)
        if self.protocol:
            queryset = queryset.filter(protocol=self.protocol)
        if self.with_errors:
            queryset = queryset.exclude(last_error="")
        if self.unseen_days:
            queryset = queryset.filter(last_contact_at__lt=now - timedelta(days=self.unseen_days))
        return queryset


def agent_page(user, filters: AgentFilter, cursor: str | None, *, size: int | None = None,
               now: datetime | None = None) -> Page:  # fmt: skip
    """One keyset page of agents, the most recently heard first (ValueError on a bad cursor).
    Each agent gets `asset_url`: its asset's page, or None when the viewer may not see it."""
    queryset = filters.apply(visible_agents(user), now or timezone.now())
    queryset = queryset.select_related("organisation", "asset")
    page = keyset_page(queryset, field="last_contact_at", descending=True,
                       size=size or PAGE_SIZE, cursor=cursor)  # fmt: skip
    shown = _visible_asset_ids(user, [agent.asset_id for agent in page.items])
    for agent in page.items:
        agent.asset_url = asset_url(agent.asset_id) if agent.asset_id in shown else None
    return page


# --- Conflicts -------------------------------------------------------------------------------

FACT_LABELS = (
    ("name", _("Name")),
    ("serial", _("Serial number")),
    ("uuid", _("UUID")),
    ("macs", _("MAC addresses")),
    ("os", _("Operating system")),
    ("manufacturer", _("Manufacturer")),
    ("model", _("Model")),
)


@dataclass
class Facts:
    """What tells one machine from another, as the screen compares them side by side."""

    name: str = ""
    serial: str = ""
    uuid: str = ""
    macs: tuple[str, ...] = ()
    os: str = ""
    manufacturer: str = ""
    model: str = ""

    def shown(self, name: str) -> str:
        value = getattr(self, name)
        return ", ".join(value) if isinstance(value, tuple) else value

    def same(self, other: "Facts", name: str) -> bool:
        mine, theirs = getattr(self, name), getattr(other, name)
        if isinstance(mine, tuple):
            return bool(set(mine) & set(theirs))
        return bool(mine) and mine.casefold() == theirs.casefold()


def _os(name: str, version: str) -> str:
    return " ".join(part for part in (name, version) if part)


def inventory_facts(inventory: Inventory) -> Facts:
    hardware = inventory.hardware
    return Facts(name=hardware.name, serial=hardware.serial, uuid=hardware.uuid,
                 macs=tuple(inventory.macs()), os=_os(hardware.os_name, hardware.os_version),
                 manufacturer=hardware.manufacturer, model=hardware.model)  # fmt: skip


def asset_facts(asset: Asset, macs: list[str]) -> Facts:
    manufacturer = asset.manufacturer.name if asset.manufacturer else ""
    return Facts(name=asset.name, serial=asset.serial, uuid=asset.uuid, macs=tuple(sorted(macs)),
                 os=_os(asset.os_name, asset.os_version), manufacturer=manufacturer,
                 model=asset.model)  # fmt: skip


@dataclass
class Candidate:
    asset: Asset
    facts: Facts
    url: str


@dataclass
class FactRow:
    label: str
    kept: str
    values: list[tuple[str, bool]]  # per candidate: the value, and whether it is the kept one's


@dataclass
class ConflictView:
    conflict: Conflict
    kept: Facts
    candidates: list[Candidate] = field(default_factory=list)

    @property
    def rows(self) -> list[FactRow]:
        return [
            FactRow(str(label), self.kept.shown(name),
                    [(c.facts.shown(name), self.kept.same(c.facts, name)) for c in self.candidates])
            for name, label in FACT_LABELS
        ]  # fmt: skip

    @property
    def is_open(self) -> bool:
        return self.conflict.status == ConflictStatus.OPEN


def _macs_of(asset_ids: set[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    if not asset_ids:
        return found
    rows = Component.objects.filter(asset_id__in=asset_ids, kind=ComponentKind.NETWORK)
    for asset_id, identity in rows.values_list("asset_id", "identity"):
        found.setdefault(asset_id, []).append(identity)
    return found


def conflict_page(user, status: str, cursor: str | None, *,
                  size: int | None = None) -> Page:  # fmt: skip
    """One keyset page of conflicts (`ConflictView` items), newest first; with ALL_STATUSES
    the open ones come first. Only the candidates the viewer may see are shown."""
    queryset = visible_conflicts(user)
    if status == ALL_STATUSES:
        queryset = queryset.annotate(
            open_rank=Case(
                When(status=ConflictStatus.OPEN, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )  # fmt: skip
        )
        key = "open_rank"
    else:
        queryset, key = queryset.filter(status=status), "id"
    candidates = visible_assets(user, Asset.objects.select_related("manufacturer")).order_by("pk")
    queryset = queryset.select_related(
        "agent", "organisation", "resolved_by", "resolved_asset"
    ).prefetch_related(Prefetch("candidates", queryset=candidates, to_attr="shown_candidates"))
    page = keyset_page(queryset, field=key, descending=True, size=size or CONFLICT_PAGE_SIZE,
                       cursor=cursor)  # fmt: skip
    macs = _macs_of({a.pk for c in page.items for a in c.shown_candidates})
    views = []
    for conflict in page.items:
        view = ConflictView(conflict, inventory_facts(document.load(conflict.document)))
        view.candidates = [Candidate(a, asset_facts(a, macs.get(a.pk, [])), asset_url(a.pk))
                           for a in conflict.shown_candidates]  # fmt: skip
        views.append(view)
    page.items = views
    return page


def open_conflict_count(user) -> int:
    return visible_conflicts(user).filter(status=ConflictStatus.OPEN).count()


# --- Rules and keys --------------------------------------------------------------------------


def reconciliation_rules() -> list[ReconciliationRule]:
    return list(ReconciliationRule.objects.order_by("position", "id"))


def tag_rules(user) -> list[TagRule]:
    return list(visible_tag_rules(user).select_related("organisation", "location"))


def locations(user) -> QuerySet[Location]:
    """The sites a tag rule may send machines to: those of the visible organisations."""
    return (
        Location.objects.filter(organisation__in=visible_organisations(user).values("pk"))
        .select_related("organisation")
        .order_by("organisation__name", "organisation_id", "name")
    )


def organisation_page(user, cursor: str | None, *, size: int | None = None) -> Page:
    """The visible organisations by name, each with its key row (None until made)."""
    queryset = visible_organisations(user).select_related("inventory_key")
    return keyset_page(queryset, field="name", descending=False, size=size or KEY_PAGE_SIZE,
                       cursor=cursor)  # fmt: skip


def key_of(organisation: Organisation) -> str | None:
    try:
        return organisation.inventory_key.key
    except Organisation.inventory_key.RelatedObjectDoesNotExist:
        return None
