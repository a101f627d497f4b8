"""Query-string values parsed for filters: one error message per bad field, never a 500."""

from django.utils.translation import gettext as _


def positive_id(raw: str | None, errors: dict, name: str) -> int | None:
    """An id from a query parameter ("" or None: not given); a bad one goes to `errors`."""
    if raw in (None, ""):
        return None
    try:
        value = int(str(raw))
    except ValueError:
        errors[name] = _("Must be a whole number.")
        return None
    if not 0 < value < 2**63:
        errors[name] = _("Must be a positive id.")
        return None
    return value
