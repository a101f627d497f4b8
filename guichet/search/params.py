"""The search's query string, checked: a bad value is an error message, never a 500."""

from django.utils.translation import gettext as _

from guichet.lib.params import positive_id
from guichet.search.sources import KINDS, Filters

MAX_Q = 500


def read(params) -> tuple[str, Filters, int, dict[str, str]]:
    errors: dict[str, str] = {}
    q = str(params.get("q", ""))[:MAX_Q]
    kind = str(params.get("kind", ""))
    if kind and kind not in KINDS:
        errors["kind"] = _("Unknown kind of result.")
        kind = ""
    status = str(params.get("status", ""))[:20]
    filters = Filters(
        kind=kind,
        status=status if status.isidentifier() else "",
        category=positive_id(params.get("category"), errors, "category"),
        organisation=positive_id(params.get("organisation"), errors, "organisation"),
    )
    page = positive_id(params.get("page"), errors, "page") or 1
    return q, filters, page, errors
