"""One inventory from the sections of a document, whichever protocol carried it.

`build` reads a mapping of section name to records with the GLPI JSON keys: the JSON reader
passes its `content` as it is, the XML reader lower-cases the tags of its CONTENT. A section
is a record (hardware, bios, operatingsystem) or a list of them; either shape is accepted for
any section, since agents disagree.
"""

from collections.abc import Mapping
from typing import Any

from guichet.inventory.normal import DESKTOP, LAPTOP, SERVER, VIRTUAL, Hardware, Inventory, Software

from . import parts
from .values import Notes, clean, uuid

Content = Mapping[str, Any]

# Each section of `Inventory.sections` and the document sections it is read from.
SECTION_SOURCES = {
    "hardware": ("hardware", "bios"),
    "cpus": ("cpus",),
    "memories": ("memories",),
    "storages": ("storages",),
    "volumes": ("drives",),
    "networks": ("networks",),
    "monitors": ("monitors",),
    "softwares": ("softwares",),
    "batteries": ("batteries",),
}
PART_READERS = {
    "cpus": parts.cpus,
    "memories": parts.memories,
    "storages": parts.storages,
    "drives": parts.volumes,
    "networks": parts.networks,
    "monitors": parts.monitors,
    "batteries": parts.batteries,
}
# What `last` prints when the login records are empty ("wtmp begins ...") or a boot, which
# some agents take for a user name.
_NOT_USERS = frozenset({"wtmp", "btmp", "reboot", "shutdown"})
_LAPTOP_WORDS = (
    "laptop",
    "notebook",
    "portable",
    "convertible",
    "detachable",
    "tablet",
    "hand held",
)
_SERVER_WORDS = ("server", "rack", "blade")


def records(content: Content, name: str) -> list[Mapping[str, Any]]:
    section = content.get(name)
    if isinstance(section, Mapping):
        return [section]
    if isinstance(section, list):
        return [item for item in section if isinstance(item, Mapping)]
    return []


def record(content: Content, name: str) -> Mapping[str, Any]:
    """A single-record section; a repeated one is merged, the first value of a key winning."""
    found = records(content, name)
    if len(found) == 1:
        return found[0]
    merged: dict[str, Any] = {}
    for item in found:
        for key, value in item.items():
            if clean(merged.get(key)) == "":
                merged[key] = value
    return merged


def build(inventory: Inventory, content: Content) -> Inventory:
    """Fill `inventory` from `content`: hardware, parts, softwares, tag, agent, sections."""
    notes = Notes(inventory.warnings)
    inventory.sections = {
        section
        for section, sources in SECTION_SOURCES.items()
        if any(source in content for source in sources)
    }
    inventory.agent = inventory.agent or clean(content.get("versionclient"))
    inventory.tag = inventory.tag or _tag(content)
    inventory.hardware = _hardware(content, notes)
    for name, read in PART_READERS.items():
        if name in content:
            inventory.parts.extend(read(records(content, name), notes))
    inventory.softwares = _softwares(records(content, "softwares"), notes)
    notes.close()
    return inventory


def _tag(content: Content) -> str:
    for item in records(content, "accountinfo"):
        if clean(item.get("keyname")).upper() == "TAG":
            return clean(item.get("keyvalue"))
    return ""


def _kind(hardware: Mapping[str, Any], bios: Mapping[str, Any]) -> str:
    system = clean(hardware.get("vmsystem")).lower()
    if system and system != "physical":
        return VIRTUAL
    chassis = (clean(hardware.get("chassis_type")) or clean(bios.get("type"))).lower()
    if any(word in chassis for word in _LAPTOP_WORDS):
        return LAPTOP
    if any(word in chassis for word in _SERVER_WORDS):
        return SERVER
    return DESKTOP if system or chassis else ""


def _hardware(content: Content, notes: Notes) -> Hardware:
    hardware = record(content, "hardware")
    bios = record(content, "bios")
    system = record(content, "operatingsystem")
    last_user = clean(hardware.get("lastloggeduser"))
    if last_user.lower() in _NOT_USERS:
        notes.dropped("last user", last_user)
        last_user = ""
    reported_uuid = hardware.get("uuid")
    machine_uuid = uuid(reported_uuid)
    if not machine_uuid and clean(reported_uuid):
        notes.dropped("UUID", reported_uuid)
    return Hardware(
        name=clean(hardware.get("name")) or clean(system.get("fqdn")).split(".")[0],
        uuid=machine_uuid,
        serial=notes.text(bios.get("ssn"), "serial number"),
        manufacturer=notes.text(bios.get("smanufacturer"), "manufacturer")
        or notes.text(bios.get("mmanufacturer"), "board manufacturer"),
        model=notes.text(bios.get("smodel"), "model")
        or notes.text(bios.get("mmodel"), "board model"),
        kind=_kind(hardware, bios),
        os_name=clean(system.get("full_name"))
        or clean(system.get("name"))
        or clean(hardware.get("osname")),
        os_version=clean(system.get("version")) or clean(hardware.get("osversion")),
        os_arch=clean(system.get("arch")) or clean(hardware.get("archname")),
        domain=clean(hardware.get("workgroup")) or clean(system.get("dns_domain")),
        last_user=last_user or clean(hardware.get("userid")),
        memory_mb=notes.integer(hardware.get("memory"), "memory size", minimum=1),
        bios_date=notes.day(bios.get("bdate"), "BIOS date"),
    )


def _softwares(items: list[Mapping[str, Any]], notes: Notes) -> list[Software]:
    result = []
    seen: set[tuple[str, str, str]] = set()
    nameless = 0
    for item in items:
        name = clean(item.get("name"))
        if not name:
            nameless += 1
            continue
        version = clean(item.get("version"))
        publisher = clean(item.get("publisher"))
        key = (name, version, publisher)
        if key in seen:
            continue
        seen.add(key)
        installed = item.get("install_date") or item.get("installdate")
        result.append(
            Software(
                name=name,
                version=version,
                publisher=publisher,
                # FusionInventory writes "DD/MM/YYYY"; GLPI Agent and OCS write the year first.
                installed_on=notes.day(installed, f"{name}: install date", day_first=True)
                if installed
                else None,
            )
        )
    if nameless:
        entries = "entry" if nameless == 1 else "entries"
        notes.warn(f"{nameless} software {entries} without a name ignored")
    return result
