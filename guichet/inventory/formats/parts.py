"""The components of an inventory and how each is told from the next run's.

Both protocols arrive here as sections of flat records with the GLPI JSON keys (lower-case;
the XML reader lower-cases its tags, and the few keys the two spell differently are read both
ways), so one machine inventoried by either agent gets the same identities.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from guichet.inventory.normal import Part

from .values import Notes, clean, mac, meaningful, to_bool

Record = Mapping[str, Any]

# Kernel and container file systems: they hold no data of the machine's and their mount points
# come and go between runs.
PSEUDO_FILESYSTEMS = frozenset(
    {
        "tmpfs", "devtmpfs", "overlay", "overlayfs", "aufs", "squashfs", "proc", "sysfs",
        "devpts", "cgroup", "cgroup2", "autofs", "debugfs", "tracefs", "securityfs", "pstore",
        "bpf", "configfs", "fusectl", "hugetlbfs", "mqueue", "ramfs", "rootfs", "efivarfs",
        "binfmt_misc", "nsfs", "rpc_pipefs", "selinuxfs", "nfsd", "devfs", "fdescfs", "procfs",
        "linprocfs", "linsysfs", "ctfs", "objfs", "sharefs", "mntfs", "lofs", "swap",
    }
)  # fmt: skip
# Shares of other machines: not this machine's volumes, and mapped per user on Windows.
REMOTE_FILESYSTEMS = frozenset(
    {"nfs", "nfs4", "cifs", "smbfs", "smb3", "afs", "9p", "davfs", "ncpfs", "sshfs", "glusterfs"}
)
_REMOTE_DRIVE_TYPES = frozenset({"network drive", "network", "remote"})


def _first(record: Record, *keys: str, limit: int = 255) -> str:
    for key in keys:
        value = clean(record.get(key), limit)
        if value:
            return value
    return ""


def _data(record: Record, keys: Iterable[str]) -> dict:
    data = {}
    for key in keys:
        value = clean(record.get(key))
        if value:
            data[key] = value
    return data


def _unique(parts: list[Part]) -> list[Part]:
    """Two components reporting the same identity (twin modules with a shared batch serial,
    identical monitors without one) stay two parts: the later ones get "#2", "#3"..."""
    seen: dict[str, int] = {}
    for part in parts:
        count = seen.get(part.identity, 0) + 1
        seen[part.identity] = count
        if count > 1:
            part.identity = f"{part.identity}#{count}"
    return parts


def cpus(records: list[Record], notes: Notes) -> list[Part]:
    parts = []
    for index, record in enumerate(records):
        data = {
            "cores": _first(record, "core", "corecount"),
            "threads": _first(record, "thread"),
            "manufacturer": _first(record, "manufacturer"),
        }
        parts.append(
            Part(
                kind="cpus",
                identity=meaningful(record.get("serial")) or f"cpu{index}",
                label=_first(record, "name", "description", "model"),
                size=notes.integer(record.get("speed"), "processor speed", minimum=1),
                data={key: value for key, value in data.items() if value},
            )
        )
    return _unique(parts)


def memories(records: list[Record], notes: Notes) -> list[Part]:
    parts = []
    # The position counts every slot, empty ones included, so a module keeps its identity
    # when another one is added beside it.
    for index, record in enumerate(records):
        capacity = notes.integer(record.get("capacity"), "memory capacity")
        if not capacity:
            continue
        slot = notes.integer(record.get("numslots"), "memory slot number")
        identity = meaningful(record.get("serialnumber") or record.get("serial"))
        parts.append(
            Part(
                kind="memories",
                identity=identity or f"slot{index if slot is None else slot}",
                label=_first(record, "caption", "description", "type"),
                size=capacity,
                data=_data(
                    record, ("type", "speed", "manufacturer", "model", "formfactor", "description")
                ),
            )
        )
    return _unique(parts)


def storages(records: list[Record], notes: Notes) -> list[Part]:
    parts = []
    for record in records:
        identity = meaningful(record.get("serial") or record.get("serialnumber"))
        identity = identity or _first(record, "name")
        if not identity:
            notes.warn("disk without a serial number or a name ignored")
            continue
        parts.append(
            Part(
                kind="storages",
                identity=identity,
                label=_first(record, "model", "name", "description"),
                size=notes.integer(record.get("disksize"), "disk size"),
                data=_data(
                    record,
                    ("name", "manufacturer", "model", "type", "interface", "firmware", "wwn"),
                ),
            )
        )
    return _unique(parts)


def volumes(records: list[Record], notes: Notes) -> list[Part]:
    parts = []
    for record in records:
        filesystem = clean(record.get("filesystem")).lower()
        kind = clean(record.get("type"))
        if (
            filesystem in PSEUDO_FILESYSTEMS
            or filesystem in REMOTE_FILESYSTEMS
            # User-space mounts (gvfs, lxcfs, sshfs, rclone) belong to a session, not the disk.
            or filesystem.startswith("fuse.")
            or kind.lower() in _REMOTE_DRIVE_TYPES
        ):
            continue
        # On Windows TYPE is a description ("Local Disk") and LETTER names the volume;
        # elsewhere TYPE is the mount point.
        identity = clean(record.get("letter")) or kind or clean(record.get("volumn"))
        if not identity:
            notes.warn("volume without a mount point ignored")
            continue
        label = clean(record.get("label"))
        parts.append(
            Part(
                kind="volumes",
                identity=identity,
                label=f"{identity} ({label})" if label else identity,
                size=notes.integer(record.get("total"), f"size of volume {identity}"),
                free=notes.integer(record.get("free"), f"free space of volume {identity}"),
                data={
                    **_data(record, ("filesystem", "label", "serial", "encrypt_status")),
                    **({"device": clean(record["volumn"])} if clean(record.get("volumn")) else {}),
                },
            )
        )
    return _unique(parts)


def _interface(address: str, record: Record, virtual: bool) -> Part:
    name = _first(record, "description", "name")
    data: dict = _data(record, ("type", "speed", "status", "driver", "manufacturer", "model"))
    if name:
        data["name"] = name
    data["virtual"] = virtual
    return Part(kind="networks", identity=address, label=name or address, data=data)


def networks(records: list[Record], notes: Notes) -> list[Part]:
    """One part per MAC address: the agents send one record per address (IPv4, IPv6,
    aliases), and a bridge or VLAN shares its MAC with the physical interface, which wins."""
    by_mac: dict[str, Part] = {}
    addresses: dict[str, list[str]] = {}
    for record in records:
        raw = record.get("mac") if "mac" in record else record.get("macaddr")
        address = mac(raw)
        if not address:
            text = clean(raw)
            if text.strip("0:-."):
                notes.dropped("MAC address", text)
            continue
        virtual = to_bool(record.get("virtualdev")) or clean(record.get("type")) == "loopback"
        found = by_mac.get(address)
        if found is None or (found.data["virtual"] and not virtual):
            by_mac[address] = _interface(address, record, virtual)
        known = addresses.setdefault(address, [])
        for key in ("ipaddress", "ipaddress6"):
            ip = clean(record.get(key), 64)
            if ip and ip not in known:
                known.append(ip)
    for address, part in by_mac.items():
        if addresses[address]:
            part.data["ip"] = ", ".join(addresses[address])
    return list(by_mac.values())


def monitors(records: list[Record], notes: Notes) -> list[Part]:
    parts = []
    for record in records:
        caption = _first(record, "caption", "name")
        manufacturer = _first(record, "manufacturer")
        identity = meaningful(record.get("serial")) or f"{manufacturer} {caption}".strip()
        if not identity:
            notes.warn("monitor without a serial number or a name ignored")
            continue
        parts.append(
            Part(
                kind="monitors",
                identity=identity,
                label=caption or _first(record, "description") or identity,
                data=_data(record, ("manufacturer", "description", "type", "port", "altserial")),
            )
        )
    return _unique(parts)


def batteries(records: list[Record], notes: Notes) -> list[Part]:
    parts = []
    for record in records:
        name = _first(record, "name")
        identity = meaningful(record.get("serial")) or name
        if not identity:
            notes.warn("battery without a serial number or a name ignored")
            continue
        parts.append(
            Part(
                kind="batteries",
                identity=identity,
                label=name or identity,
                data=_data(
                    record,
                    ("manufacturer", "chemistry", "capacity", "real_capacity", "voltage", "date"),
                ),
            )
        )
    return _unique(parts)
