"""What an agent's event says, worded in the reader's language when shown. The inventory
stores the facts (`AssetEvent.details`: programs installed, updated, removed; sections
missing; the first inventory's counts), never sentences in the language of the request that
happened to write them."""

from django.utils.translation import gettext as _

from guichet.assets.choices import AssetEventKind

NAMES_SHOWN = 40  # in a software event, then "and N more"


def names(items: list[str]) -> dict:
    """The first `NAMES_SHOWN` of `items`, sorted, and how many there were."""
    return {"names": sorted(items)[:NAMES_SHOWN], "total": len(items)}


def _shown(part: dict) -> str:
    shown = ", ".join(str(n) for n in part.get("names", []))
    more = int(part.get("total", 0)) - len(part.get("names", []))
    if more > 0:
        shown += " " + _("and %(n)d more") % {"n": more}
    return shown


def note(kind: str, details: dict) -> str:
    if kind == AssetEventKind.SOFTWARE:
        lines = (("installed", _("Installed: %(names)s")), ("updated", _("Updated: %(names)s")),
                 ("removed", _("Removed: %(names)s")))  # fmt: skip
        return "\n".join(
            line % {"names": _shown(details[key])} for key, line in lines if key in details
        )
    if kind == AssetEventKind.INCOMPLETE:
        return _("Sections missing from this full inventory, kept as they were: %(s)s") % {
            "s": ", ".join(details.get("missing", []))
        }
    if kind == AssetEventKind.INVENTORY:
        return _("First inventory: %(parts)d components, %(programs)d programs.") % {
            "parts": int(details.get("parts", 0)),
            "programs": int(details.get("programs", 0)),
        }
    return ""
