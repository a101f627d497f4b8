"""What every inventory screen shares: who may open it, and its page links."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, QueryDict
from django.urls import reverse

from guichet.accounts.access import is_staff_member, may_manage_inventory
from guichet.inventory import queries


def manager_required(view):
    """Supervisors and administrators; other staff are refused (403), anyone else learns
    nothing (404)."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if may_manage_inventory(request.user):
            return view(request, *args, **kwargs)
        if is_staff_member(request.user):
            raise PermissionDenied
        raise Http404

    return wrapper


def page_url(name: str, params: QueryDict, cursor: str | None) -> str | None:
    """The screen's URL with the same filters and another page's cursor."""
    if not cursor:
        return None
    query = QueryDict(mutable=True)
    for key, values in params.lists():
        kept = [value for value in values if value != ""]
        if key != "cursor" and kept:
            query.setlist(key, kept)
    query["cursor"] = cursor
    return f"{reverse(name)}?{query.urlencode()}"


def screen_context(request, tab: str, **context) -> dict:
    """The tabs shared by the inventory screens, with the count of open conflicts."""
    return {
        "nav": "inventory",
        "tab": tab,
        "open_conflicts": queries.open_conflict_count(request.user),
        **context,
    }
