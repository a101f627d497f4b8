"""An inventory as Guichet keeps it, whatever agent or protocol sent it.

The protocol readers (`formats/`) turn an OCS/FusionInventory XML document or a GLPI Agent
JSON document into one `Inventory`; reconciliation and the update of the asset read only this
shape. Readers never raise on a bad field: they drop the value and say so in `warnings`, so
one agent's odd date (`1970-00-01`) never costs the rest of the inventory.
"""

from dataclasses import dataclass, field
from datetime import date

# The sections an inventory may carry. A full inventory that lacks a section present before is
# "incomplete" (flagged, nothing deleted); a partial one touches only the sections it sends.
SECTIONS = (
    "hardware",
    "cpus",
    "memories",
    "storages",
    "volumes",
    "networks",
    "monitors",
    "softwares",
    "batteries",
)

# Computer kinds as the asset keeps them (`assets.choices.ComputerKind`).
DESKTOP, LAPTOP, SERVER, VIRTUAL = "desktop", "laptop", "server", "virtual"


@dataclass
class Hardware:
    """The machine itself. Empty strings mean "not reported"."""

    name: str = ""
    uuid: str = ""
    serial: str = ""
    manufacturer: str = ""
    model: str = ""
    kind: str = ""  # DESKTOP, LAPTOP, SERVER, VIRTUAL or "" when unknown
    os_name: str = ""
    os_version: str = ""
    os_arch: str = ""
    domain: str = ""  # Windows domain or workgroup, DNS domain elsewhere
    last_user: str = ""  # login of the last user seen on the machine
    memory_mb: int | None = None
    bios_date: date | None = None


@dataclass
class Part:
    """One component: a processor, memory module, disk, volume, network interface, monitor,
    battery. `identity` tells the same component from one inventory to the next (a serial, a
    slot, a MAC address, a mount point); `label` is what a technician reads."""

    kind: str  # a SECTIONS name other than hardware and softwares
    identity: str
    label: str
    size: int | None = None  # MB for memory, disks and volumes; MHz for processors
    free: int | None = None  # MB, volumes only
    data: dict = field(default_factory=dict)  # the other reported values, as strings


@dataclass
class Software:
    """One installed program as the agent names it (the catalogue normalises it later)."""

    name: str
    version: str = ""
    publisher: str = ""
    installed_on: date | None = None


@dataclass
class Inventory:
    """What one agent run reported."""

    device_id: str  # the agent's own id for the machine (DEVICEID / deviceid)
    protocol: str  # "ocs" or "glpi"
    partial: bool = False
    tag: str = ""  # ACCOUNTINFO TAG (XML) or "tag" (JSON)
    agent: str = ""  # agent name and version, e.g. "FusionInventory-Agent_v2.6"
    item_type: str = "Computer"
    sections: set[str] = field(default_factory=set)  # those present in the document
    hardware: Hardware = field(default_factory=Hardware)
    parts: list[Part] = field(default_factory=list)
    softwares: list[Software] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def macs(self) -> list[str]:
        """The physical interfaces' MAC addresses, normalised, as reconciliation uses them."""
        return sorted(
            {p.identity for p in self.parts if p.kind == "networks" and not p.data.get("virtual")}
        )
