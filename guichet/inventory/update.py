"""Bringing an asset up to date with an inventory, section by section.

A full inventory replaces the sections it carries; a partial one touches only those it
sends. A full inventory that lacks a section the asset had is flagged "incomplete" and
that section is left as it was: an agent that failed to read the disks must not make them
disappear. Sections whose digest did not change are not read at all, so an unchanged
re-inventory costs one UPDATE of the asset. Component changes are events; those to
processors, memory and disks are flagged for a technician to review.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from guichet.assets import catalogue, event_words
from guichet.assets.actions.assets import update_asset
from guichet.assets.actions.common import event_row, record
from guichet.assets.actions.installations import replace_installations
from guichet.assets.choices import AssetEventKind, AssetKind, ComponentKind, Source
from guichet.assets.models import Asset, AssetEvent, Component, SoftwareVersion
from guichet.inventory.digest import digests, volumes_free
from guichet.inventory.normal import Inventory, Part

FLAGGED = {ComponentKind.CPU, ComponentKind.MEMORY, ComponentKind.STORAGE}
PART_KINDS = {k.value for k in ComponentKind}
FREE_KEY = "_volumes_free"


@dataclass
class Changes:
    sections: list[str] = field(default_factory=list)  # sections that changed
    incomplete: list[str] = field(default_factory=list)  # sections missing from a full one
    fields: list[str] = field(default_factory=list)


def hardware_values(asset: Asset, inventory: Inventory) -> dict:
    """What the agent says of the machine, cut to the fields' sizes; values it did not
    report never blank out what a technician typed."""
    hw = inventory.hardware
    wanted = {
        "name": hw.name, "serial": hw.serial, "uuid": hw.uuid, "model": hw.model,
        "os_name": hw.os_name, "os_version": hw.os_version, "os_arch": hw.os_arch,
        "domain": hw.domain, "last_user": hw.last_user,
    }  # fmt: skip
    values: dict[str, object] = {}
    for name, value in wanted.items():
        limit = getattr(Asset._meta.get_field(name), "max_length", None) or 255
        value = (value or "").strip()[:limit]
        if value and getattr(asset, name) != value:
            values[name] = value
    if hw.memory_mb and 0 < hw.memory_mb < 2**31 and asset.memory_mb != hw.memory_mb:
        values["memory_mb"] = hw.memory_mb
    maker = (hw.manufacturer or "").strip()[:100]
    if maker and (
        asset.manufacturer is None or asset.manufacturer.name.casefold() != maker.casefold()
    ):
        values["manufacturer"] = maker
    if asset.kind == AssetKind.COMPUTER and hw.kind and asset.subtype != hw.kind:
        values["subtype"] = hw.kind
    return values


def _describe(part: Part | Component) -> str:
    size = f" ({part.size} MB)" if part.size and part.kind != ComponentKind.CPU else ""
    return f"{part.label or part.identity}{size}"


def _parts(asset: Asset, kind: str, parts: list[Part], at: datetime, first: bool) -> None:
    existing = {c.identity: c for c in asset.components.filter(kind=kind)}
    incoming: dict[str, Part] = {}
    for part in parts:
        incoming.setdefault(part.identity[:200], part)
    events: list[AssetEvent] = []
    flag = kind in FLAGGED

    def event(kind_: str, **values):
        if not first:
            events.append(event_row(asset, kind_, source=Source.AGENT, at=at, field=kind,
                                    flagged=flag, **values))  # fmt: skip

    added = [
        Component(asset=asset, kind=kind, identity=identity, label=part.label[:255],
                  size=part.size, free=part.free, data=part.data, first_seen=at)
        for identity, part in incoming.items() if identity not in existing
    ]  # fmt: skip
    for component in added:
        event(AssetEventKind.COMPONENT_ADDED, new_value=_describe(component))
    Component.objects.bulk_create(added)
    gone = [c for identity, c in existing.items() if identity not in incoming]
    for component in gone:
        event(AssetEventKind.COMPONENT_REMOVED, old_value=_describe(component))
    if gone:
        Component.objects.filter(pk__in=[c.pk for c in gone]).delete()
    changed = []
    for identity, part in incoming.items():
        current = existing.get(identity)
        if current is None:
            continue
        label, size = part.label[:255], part.size
        if (current.label, current.size, current.data) != (label, size, part.data):
            if (current.label, current.size) != (label, size):
                after = Part(kind=kind, identity=identity, label=label, size=size)
                event(AssetEventKind.COMPONENT_CHANGED, old_value=_describe(current),
                      new_value=_describe(after))  # fmt: skip
            current.label, current.size = label, size
            current.data, current.free = part.data, part.free
            changed.append(current)
    if changed:
        Component.objects.bulk_update(changed, ["label", "size", "data", "free"])
    AssetEvent.objects.bulk_create(events)


def _free_space(asset: Asset, inventory: Inventory) -> None:
    volumes = {p.identity: p.free for p in inventory.parts if p.kind == ComponentKind.VOLUME}
    rows = list(asset.components.filter(kind=ComponentKind.VOLUME, identity__in=list(volumes)))
    for row in rows:
        row.free = volumes[row.identity]
    Component.objects.bulk_update(rows, ["free"])


def _names(version_ids) -> dict[int, str]:
    rows = SoftwareVersion.objects.filter(pk__in=list(version_ids)).select_related("product")
    return {v.pk: str(v) for v in rows}


def _softwares(asset: Asset, inventory: Inventory, at: datetime, first: bool) -> None:
    wanted: dict[int, tuple[int, date | None]] = {}
    resolved = catalogue.resolve(inventory.softwares)
    for software, found in zip(inventory.softwares, resolved, strict=True):
        if found is not None:
            wanted.setdefault(found[1], (found[0], software.installed_on))
    change = replace_installations(asset=asset, wanted=wanted, at=at)
    existing, added, removed = change.existing, change.added, change.removed
    if first or not (added or removed):
        return
    names = _names([*added, *removed])
    upgraded_from = {existing[v]: v for v in removed}
    updates = [f"{names[upgraded_from[wanted[v][0]]]} → {names[v]}" for v in added
               if wanted[v][0] in upgraded_from]  # fmt: skip
    moved = {wanted[v][0] for v in added if wanted[v][0] in upgraded_from}
    installed = [names[v] for v in added if wanted[v][0] not in moved]
    uninstalled = [names[v] for v in removed if existing[v] not in moved]
    details = {key: event_words.names(items)
               for key, items in (("installed", installed), ("updated", updates),
                                  ("removed", uninstalled)) if items}  # fmt: skip
    record(asset, None, AssetEventKind.SOFTWARE, source=Source.AGENT, at=at, details=details)


def apply(asset: Asset, inventory: Inventory, *, at: datetime, first: bool = False) -> Changes:
    """Update `asset` from `inventory` (the caller holds the agent's lock and a
    transaction)."""
    changes = Changes()
    now = digests(inventory)
    before = dict(asset.inventory_digests or {})
    after = dict(before)
    if not inventory.partial:
        known = {k for k in before if not k.startswith("_")}
        changes.incomplete = sorted(known - inventory.sections)
    for section in sorted(inventory.sections):
        if now.get(section) == before.get(section):
            continue
        changes.sections.append(section)
        if section == "hardware":
            values = hardware_values(asset, inventory)
            if values:
                changes.fields = update_asset(asset=asset, actor=None, source=Source.AGENT,
                                              at=at, **values)  # fmt: skip
                asset.refresh_from_db()
        elif section == "softwares":
            _softwares(asset, inventory, at, first)
        elif section in PART_KINDS:
            parts = [p for p in inventory.parts if p.kind == section]
            _parts(asset, section, parts, at, first)
        after[section] = now[section]
    if "volumes" in inventory.sections:
        free = volumes_free(inventory)
        if free != before.get(FREE_KEY) and "volumes" not in changes.sections:
            _free_space(asset, inventory)
        after[FREE_KEY] = free
    if changes.incomplete:
        record(asset, None, AssetEventKind.INCOMPLETE, source=Source.AGENT, at=at, flagged=True,
               details={"missing": changes.incomplete})  # fmt: skip
    if first:
        counts = {"parts": len(inventory.parts), "programs": len(inventory.softwares)}
        record(asset, None, AssetEventKind.INVENTORY, source=Source.AGENT, at=at, details=counts)
    asset.inventory_digests = after
    asset.last_inventory_at = at
    asset.device_id = inventory.device_id[:200]
    asset.save(update_fields=["inventory_digests", "last_inventory_at", "device_id"])
    return changes
