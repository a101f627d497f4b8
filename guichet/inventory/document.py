"""An `Inventory` as JSON and back, for the conflicts that keep one until a human decides."""

from dataclasses import asdict
from datetime import date

from guichet.inventory.normal import Hardware, Inventory, Part, Software


def _day(value) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def dump(inventory: Inventory) -> dict:
    data = asdict(inventory)
    data["sections"] = sorted(inventory.sections)
    data["hardware"]["bios_date"] = str(inventory.hardware.bios_date or "")
    for software in data["softwares"]:
        software["installed_on"] = str(software["installed_on"] or "")
    return data


def load(data: dict) -> Inventory:
    hardware = dict(data.get("hardware") or {})
    hardware["bios_date"] = _day(hardware.get("bios_date"))
    return Inventory(
        device_id=data["device_id"],
        protocol=data.get("protocol", ""),
        partial=bool(data.get("partial")),
        tag=data.get("tag", ""),
        agent=data.get("agent", ""),
        item_type=data.get("item_type", "Computer"),
        sections=set(data.get("sections") or ()),
        hardware=Hardware(**hardware),
        parts=[Part(**part) for part in data.get("parts") or ()],
        softwares=[
            Software(**{**s, "installed_on": _day(s.get("installed_on"))})
            for s in data.get("softwares") or ()
        ],
        warnings=list(data.get("warnings") or ()),
    )
