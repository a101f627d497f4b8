"""The asset list: filters in, one keyset page of rows out (the full page, or only its results
for htmx). Like the ticket queues, it never counts the whole list."""

from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from guichet.accounts.access import organisation_names
from guichet.assets import queries
from guichet.assets.forms import BulkForm, FilterForm
from guichet.assets.models import AssetView
from guichet.tickets.views.queue_listing import filter_query, staff_required

RESULTS_TARGET = "asset-results"


def _page_url(base: str, params: QueryDict, cursor: str | None) -> str | None:
    if not cursor:
        return None
    query = QueryDict(filter_query(params), mutable=True)
    query["cursor"] = cursor
    return f"{base}?{query.urlencode()}"


def bulk_people(user, form: FilterForm) -> list:
    """Whom the bulk change may assign: the people of the one organisation the list shows
    (filtered on, or the only one `user` serves) and the staff. Every contact of every
    client would make each page of the list heavy."""
    organisation = form.cleaned_data.get("organisation") if form.is_valid() else None
    if organisation is None:
        names = organisation_names(user)
        organisation = names[0][0] if len(names) == 1 else None
    ids = (organisation,) if organisation else ()
    read = getattr(form, "people_read", None)
    if read is not None and read[0] == ids:
        return read[1]  # the filters offer the same people: read once
    return queries.people_choices(user, list(ids))


def wants_results_only(request) -> bool:
    return bool(request.htmx) and request.htmx.target == RESULTS_TARGET


def render_list(request, params: QueryDict, *, status: int = 200, bulk_form=None, selected=()):
    """The list page (or its results, for htmx) for the filters in `params`; the bulk view
    shows it again with its form and the selection when a change was refused."""
    user = request.user
    form = FilterForm(params, user=user)
    page = None
    now = timezone.now()
    today = timezone.localdate(now)
    if form.is_valid():
        try:
            cursor = params.get("cursor") or None
            page = queries.asset_page(user, form.filters(), cursor, now=now, today=today)
        except (ValueError, TypeError, OverflowError, ValidationError):
            # A tampered or stale cursor.
            form.add_error(None, _("This page link is not valid; start again from page one."))
    if page is None:
        status = 400
    base = reverse("assets:list")
    query = filter_query(params)
    if bulk_form is None:
        bulk_form = BulkForm(user=user, people=bulk_people(user, form))
    context = {
        "nav": "assets",
        "form": form,
        "page": page,
        "today": today,
        "filter_query": query,
        "current_url": f"{base}?{query}" if query else base,
        "next_url": _page_url(base, params, page.next_cursor if page else None),
        "prev_url": _page_url(base, params, page.prev_cursor if page else None),
        "bulk_form": bulk_form,
        "selected": {str(pk) for pk in selected},
    }
    if wants_results_only(request):
        template = "assets/partials/list_results.html"
    else:
        template = "assets/list.html"
        context["saved_views"] = AssetView.objects.filter(user=user)
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


@staff_required()
@require_GET
def asset_list(request):
    return render_list(request, request.GET)


urlpatterns = [
    path("", asset_list, name="list"),
]
