"""Inventories built by hand, as the protocol readers would give them."""

from guichet.inventory.normal import Hardware, Inventory, Part, Software

ALL = {"hardware", "cpus", "memories", "storages", "volumes", "networks", "softwares"}


def machine(
    device_id: str = "pc-0412-2026-01-01",
    *,
    name: str = "PC-0412",
    serial: str = "CZC1234XYZ",
    uuid: str = "4C4C4544-0042-3510-8052-B4C04F384E32",
    mac: str = "a4:bb:6d:01:02:03",
    memory: list[tuple[str, int]] = (("slot1", 8192), ("slot2", 8192)),  # type: ignore[assignment]
    softwares: list[tuple[str, str]] = (
        ("Mozilla Firefox (x64 fr)", "120.0"),
        ("7-Zip 23.01 (x64)", "23.01"),
    ),  # type: ignore[assignment]
    sections: set[str] | None = None,
    partial: bool = False,
    tag: str = "",
    free: int = 50_000,
) -> Inventory:
    parts = [
        Part("cpus", "cpu0", "Intel Core i5-10500", size=3100),
        *[Part("memories", slot, f"DDR4 {size} MB", size=size) for slot, size in memory],
        Part("storages", "S3Z9NB0K123", "Samsung SSD 870", size=476_940),
        Part("volumes", "C:", "C:", size=476_000, free=free),
        Part("networks", mac, "Intel Ethernet", data={"ip": "192.0.2.10"}),
    ]
    inventory = Inventory(
        device_id=device_id,
        protocol="glpi",
        partial=partial,
        tag=tag,
        agent="GLPI-Agent_v1.11",
        sections=set(ALL if sections is None else sections),
        hardware=Hardware(
            name=name,
            uuid=uuid,
            serial=serial,
            manufacturer="Dell Inc.",
            model="OptiPlex 5080",
            kind="desktop",
            os_name="Windows 11 Pro",
            os_version="23H2",
            os_arch="x86_64",
            memory_mb=16384,
        ),  # fmt: skip
        parts=parts,
        softwares=[Software(n, v, "Publisher") for n, v in softwares],
    )
    inventory.parts = [p for p in parts if p.kind in inventory.sections]
    if "softwares" not in inventory.sections:
        inventory.softwares = []
    return inventory
