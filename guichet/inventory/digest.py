"""A digest of each inventory section, so an unchanged re-inventory is recognised by
comparing a few strings instead of reading the asset's components and software."""

import hashlib
import json
from dataclasses import asdict

from guichet.inventory.normal import Inventory

# Free space changes on every run: it is refreshed, but never makes a section "changed".
_VOLATILE = {"free"}


def _hash(value) -> str:
    text = json.dumps(value, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def digests(inventory: Inventory) -> dict[str, str]:
    """section → digest, for the sections the inventory carries."""
    result: dict[str, str] = {}
    if "hardware" in inventory.sections:
        result["hardware"] = _hash(asdict(inventory.hardware))
    by_kind: dict[str, list] = {}
    for part in inventory.parts:
        row = {k: v for k, v in asdict(part).items() if k not in _VOLATILE}
        by_kind.setdefault(part.kind, []).append(row)
    for kind in inventory.sections - {"hardware", "softwares"}:
        rows = sorted(by_kind.get(kind, []), key=lambda r: (r["identity"], r["label"]))
        result[kind] = _hash(rows)
    if "softwares" in inventory.sections:
        rows = sorted((s.name, s.version, s.publisher, str(s.installed_on or ""))
                      for s in inventory.softwares)  # fmt: skip
        result["softwares"] = _hash(rows)
    return result


def volumes_free(inventory: Inventory) -> str:
    """A digest of the volumes' free space alone: refreshed silently when only it moved."""
    return _hash(sorted((p.identity, p.free) for p in inventory.parts if p.kind == "volumes"))
