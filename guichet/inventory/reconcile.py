"""Which known asset an inventory is about: the agent's own device id first, then the
ordered, editable rules (`ReconciliationRule`). A rule that finds several assets, or an asset
of another organisation, or one whose serial contradicts the inventory's, is a conflict for a
human: nothing is merged silently.

Virtual machines and containers report empty or placeholder serials and UUIDs; those values
never identify anything (`JUNK`), so such machines are recognised by their agent's id, their
MAC addresses, then their name.
"""

from dataclasses import dataclass, field

from guichet.assets.choices import AssetKind, ComponentKind
from guichet.assets.models import Asset, Component
from guichet.inventory.choices import ConflictReason, Criterion
from guichet.inventory.models import ReconciliationRule
from guichet.inventory.normal import Inventory

# Placeholders that firmware and hypervisors put where a serial or a UUID should be.
JUNK = {
    "", "0", "00000000", "000000000000", "none", "null", "n/a", "na", "default string",
    "to be filled by o.e.m.", "to be filled by oem", "system serial number",
    "chassis serial number", "not specified", "not applicable", "serial", "123456789",
    "0123456789", "invalid", "unknown", "oem", "o.e.m.", "xxxxxxxxxxx",
    "00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff",
    "03000200-0400-0500-0006-000700080009", "00020003-0004-0005-0006-000700080009",
}  # fmt: skip


def usable(value: str) -> str:
    """The value if it can identify a machine, else ""."""
    value = (value or "").strip()
    return "" if value.casefold() in JUNK or len(set(value)) == 1 else value


@dataclass
class Outcome:
    """The asset found (None: a new machine), or a conflict with its candidates."""

    asset: Asset | None = None
    conflict: str = ""
    candidates: list[Asset] = field(default_factory=list)
    criterion: str = ""


def _computers():
    return Asset.objects.filter(kind=AssetKind.COMPUTER).select_related("organisation")


def _candidates(criterion: str, inventory: Inventory, organisation) -> list[Asset]:
    hardware = inventory.hardware
    serial, uuid = usable(hardware.serial), usable(hardware.uuid)
    if criterion == Criterion.UUID_SERIAL:
        if not (serial and uuid):
            return []
        return list(_computers().filter(serial=serial, uuid__iexact=uuid)[:10])
    if criterion == Criterion.SERIAL:
        return list(_computers().filter(serial=serial)[:10]) if serial else []
    if criterion == Criterion.MAC:
        macs = inventory.macs()
        if not macs:
            return []
        ids = Component.objects.filter(kind=ComponentKind.NETWORK, identity__in=macs)
        return list(_computers().filter(pk__in=ids.values("asset_id")).distinct()[:10])
    if criterion == Criterion.NAME:
        if not hardware.name or organisation is None:
            return []
        found = _computers().filter(organisation=organisation, name__iexact=hardware.name)
        return list(found[:10])
    return []


def _contradicts(asset: Asset, inventory: Inventory) -> bool:
    """Both sides know a serial (or a UUID) and they differ: another machine."""
    serial, uuid = usable(inventory.hardware.serial), usable(inventory.hardware.uuid)
    if serial and usable(asset.serial) and asset.serial != serial:
        return True
    return bool(uuid and usable(asset.uuid) and asset.uuid.casefold() != uuid.casefold())


def reconcile(inventory: Inventory, *, organisation, agent_asset: Asset | None) -> Outcome:
    if agent_asset is not None:
        if not _contradicts(agent_asset, inventory):
            return Outcome(asset=agent_asset, criterion="device_id")
        return Outcome(conflict=ConflictReason.AGENT_MACHINE, candidates=[agent_asset])
    rules = ReconciliationRule.objects.filter(active=True).order_by("position", "id")
    for criterion in rules.values_list("criterion", flat=True):
        found = _candidates(criterion, inventory, organisation)
        if criterion == Criterion.NAME:
            # A new machine often takes the name of the one it replaces.
            found = [a for a in found if not _contradicts(a, inventory)]
        if not found:
            continue
        if len(found) > 1:
            return Outcome(
                conflict=ConflictReason.SEVERAL,
                candidates=found,
                criterion=criterion,
            )
        asset = found[0]
        if organisation is not None and asset.organisation_id != organisation.pk:
            return Outcome(
                conflict=ConflictReason.OTHER_ORGANISATION,
                candidates=found,
                criterion=criterion,
            )
        if criterion == Criterion.MAC and _contradicts(asset, inventory):
            return Outcome(
                conflict=ConflictReason.MAC_SERIAL,
                candidates=found,
                criterion=criterion,
            )
        return Outcome(asset=asset, criterion=criterion)
    return Outcome()
