"""The queue page itself: filters in, one keyset page of rows out (full page or htmx part).

The page never counts the whole queue: at a million tickets a COUNT(*) per page view costs
more than the page itself. Rows come from one keyset query with their people joined in.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guichet.accounts.access import (
    is_staff_member,
    organisation_names,
    staff_members,
    team_list,
    visible_tickets,
)
from guichet.lib.errors import InvalidInput
from guichet.lib.pagination import keyset_page
from guichet.tickets import reference
from guichet.tickets.choices import Priority, Status
from guichet.tickets.filters import TicketFilter, parse_filters
from guichet.tickets.models import SavedView

PAGE_SIZE = 50
RESULTS_TARGET = "queue-results"
# Query parameters that are not filters: never saved in a view nor kept by the scope tabs.
NOT_FILTERS = ("cursor", "csrfmiddlewaretoken")
# What a row shows, read as plain values: the names of organisations, teams and technicians
# come from the process's reference cache (queue_tags.queue_rows), not from joins.
ROW_COLUMNS = (
    "id",
    "title",
    "priority",
    "status",
    "created_at",
    "updated_at",
    "due_at",
    "organisation_id",
    "team_id",
    "assignee_id",
    "requester__first_name",
    "requester__last_name",
    "requester__username",
)

SCOPE_LABELS = {
    "mine": gettext_lazy("Mine"),
    "team": gettext_lazy("My teams"),
    "unassigned": gettext_lazy("Unassigned"),
    "open": gettext_lazy("All open"),
    "all": gettext_lazy("Everything"),
}
SORT_LABELS = {
    "-id": gettext_lazy("Newest first"),
    "due": gettext_lazy("Due next"),
    "id": gettext_lazy("Oldest first"),
    "-updated": gettext_lazy("Recently updated"),
    "updated": gettext_lazy("Least recently updated"),
    "-priority": gettext_lazy("Highest priority"),
    "priority": gettext_lazy("Lowest priority"),
    "-created": gettext_lazy("Created, newest first"),
    "created": gettext_lazy("Created, oldest first"),
}
FIELD_LABELS = {
    "scope": gettext_lazy("Queue"),
    "status": gettext_lazy("Status"),
    "priority": gettext_lazy("Priority"),
    "type": gettext_lazy("Type"),
    "team": gettext_lazy("Team"),
    "assignee": gettext_lazy("Assignee"),
    "organisation": gettext_lazy("Organisation"),
    "category": gettext_lazy("Category"),
    "requester": gettext_lazy("Requester"),
    "created_after": gettext_lazy("Created from"),
    "created_before": gettext_lazy("Created until"),
    "q": gettext_lazy("Search"),
    "sort": gettext_lazy("Sort"),
    "cursor": gettext_lazy("Page"),
    "name": gettext_lazy("Name"),
    "query": gettext_lazy("Filters"),
}


def staff_required(*, requesters_to_portal: bool = False):
    """Staff screens: requesters are sent to the portal (pages) or get a 404 (everything else),
    so that a staff URL tells an outsider nothing."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(request, *args, **kwargs):
            if not is_staff_member(request.user):
                if requesters_to_portal and request.method == "GET":
                    return redirect("portal:home")
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def error_list(errors: dict) -> list[str]:
    return [f"{FIELD_LABELS.get(field, field)}: {' '.join(msgs)}" for field, msgs in errors.items()]


def _filters_only(params: QueryDict) -> QueryDict:
    """The filter parameters, without the cursor and without the empty fields a GET form
    sends, so that links and saved views stay short and readable."""
    query = QueryDict(mutable=True)
    for name, values in params.lists():
        kept = [value for value in values if value != ""]
        if name not in NOT_FILTERS and kept:
            query.setlist(name, kept)
    return query


def filter_query(params: QueryDict) -> str:
    """The filters of a request as a query string, without the page cursor."""
    return _filters_only(params).urlencode()


def _with(params: QueryDict, **changes) -> str:
    query = _filters_only(params)
    for name, value in changes.items():
        query[name] = value
    return query.urlencode()


def _checks(rows, selected: list[str]) -> list[dict]:
    return [{"value": str(v), "label": label, "selected": str(v) in selected} for v, label in rows]


def _select(rows, selected: list[str]) -> dict:
    """A select list for `select_options`: its markup is written once per list and reused."""
    return {"choices": [(str(v), label) for v, label in rows], "selected": selected}


def _filter_form(params: QueryDict, user, staff: list, teams: list) -> dict:
    """Everything the filter form shows, with the submitted values kept (even invalid ones)."""

    def one(name: str) -> list[str]:
        return [params.get(name, "")]

    statuses = [s for item in params.getlist("status") for s in item.split(",")]
    priorities = [p for item in params.getlist("priority") for p in item.split(",")]
    assignees = [("me", _("Me")), ("none", _("Nobody"))] + [(u.pk, u.display_name) for u in staff]
    categories = [c for c in reference.categories() if c.active]
    return {
        "q": params.get("q", ""),
        "scope": params.get("scope", "mine"),
        "created_after": params.get("created_after", ""),
        "created_before": params.get("created_before", ""),
        "statuses": _checks(Status.choices, statuses),
        "priorities": _checks(Priority.choices, priorities),
        "teams": _select(((t.pk, t.name) for t in teams), one("team")),
        "assignees": _select(assignees, one("assignee")),
        "organisations": _select(organisation_names(user), one("organisation")),
        "categories": _select(((c.pk, c.full_name) for c in categories), one("category")),
        "sorts": _select(SORT_LABELS.items(), [params.get("sort") or "-id"]),
    }


def _page(user, filters: TicketFilter, cursor: str | None):
    field, descending = filters.order
    queryset = filters.apply(visible_tickets(user), user).values(*ROW_COLUMNS)
    return keyset_page(queryset, field=field, descending=descending, size=PAGE_SIZE, cursor=cursor)


def _sort_headers(base: str, params: QueryDict, current: str) -> dict:
    """Sortable column headers: a link that sorts by the column, and its aria-sort state."""
    headers = {}
    for column in ("id", "priority", "due", "updated"):
        aria, toggle = None, f"-{column}"
        if current.lstrip("-") == column:
            descending = current.startswith("-")
            aria = "descending" if descending else "ascending"
            toggle = column if descending else f"-{column}"
        headers[column] = {"aria": aria, "url": f"{base}?{_with(params, sort=toggle)}"}
    return headers


def _page_url(base: str, params: QueryDict, cursor: str | None) -> str | None:
    return f"{base}?{_with(params, cursor=cursor)}" if cursor else None


def wants_results_only(request) -> bool:
    return bool(request.htmx) and request.htmx.target == RESULTS_TARGET


def render_queue(request, params: QueryDict, *, status: int = 200):
    """The queue page (or only its results, for htmx) for the filters in `params`."""
    user = request.user
    errors: dict = {}
    page = None
    filters = None
    try:
        filters = parse_filters(params, default_scope="mine")
    except InvalidInput as exc:
        errors = exc.errors
    if filters is not None:
        try:
            page = _page(user, filters, params.get("cursor") or None)
        except (ValueError, TypeError, OverflowError, ValidationError):
            # A tampered or stale cursor: its value does not fit the sort column.
            errors = {"cursor": [_("This page link is not valid; start again from page one.")]}
    if errors:
        status = 400
    staff = staff_members(user)
    teams = team_list(user)
    base = reverse("tickets:queue")
    scope = filters.scope if filters else params.get("scope", "mine")
    context: dict = {
        "nav": "queue",
        "page": page,
        "errors": error_list(errors),
        "scope": scope,
        "sort_headers": _sort_headers(base, params, filters.sort if filters else "-id"),
        "tabs": [
            {
                "label": label,
                "url": f"{base}?{_with(params, scope=value)}",
                "current": value == scope,
            }
            for value, label in SCOPE_LABELS.items()
        ],
        "filter_query": filter_query(params),
        "next_url": _page_url(base, params, page.next_cursor if page else None),
        "prev_url": _page_url(base, params, page.prev_cursor if page else None),
        "bulk": {
            "teams": _select(((t.pk, t.name) for t in teams), []),
            "staff": _select(((u.pk, u.display_name) for u in staff), []),
            "reasons": _select(
                ((r.pk, r.name) for r in reference.pending_reasons() if r.active), []
            ),
        },
    }
    context["current_url"] = f"{base}?{context['filter_query']}"
    if wants_results_only(request):
        template = "tickets/partials/queue_results.html"
    else:
        template = "tickets/queue.html"
        context["form"] = _filter_form(params, user, staff, teams)
        context["saved_views"] = SavedView.objects.filter(user=user)
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response
