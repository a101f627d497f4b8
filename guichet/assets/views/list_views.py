"""Saved views of the asset list: a user keeps the current filters under a name, opens them
again, deletes them. A view is one's own: another user's answers 404."""

from django.contrib import messages
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from guichet.assets.actions.saved_views import delete_view, save_view
from guichet.assets.forms import FilterForm, SavedViewForm
from guichet.assets.models import AssetView
from guichet.assets.views.list_page import render_list
from guichet.tickets.views.queue_listing import filter_query, staff_required


def _opened(view: AssetView) -> str:
    base = reverse("assets:list")
    return f"{base}?{view.query}" if view.query else base


@staff_required()
@require_POST
def saved_view_create(request):
    form = SavedViewForm(request.POST)
    query = ""
    if form.is_valid():
        query = filter_query(QueryDict(form.cleaned_data["query"]))
        name = form.cleaned_data["name"].strip()
        # Only filters the list accepts are kept: a saved view must always open.
        if not FilterForm(QueryDict(query), user=request.user).is_valid():
            form.add_error("query", _("These filters are not valid."))
        elif not name:
            form.add_error("name", _("This field is required."))
        elif len(query) > 1000:
            form.add_error("query", _("At most %(n)d characters.") % {"n": 1000})
        else:
            view = save_view(user=request.user, name=name, query=query)
            messages.success(request, _("The view “%(name)s” was saved.") % {"name": view.name})
            return redirect(_opened(view))
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
    raw = request.POST.get("query", "")[:1000]
    return render_list(request, QueryDict(query or raw), status=400)


@staff_required()
@require_GET
def saved_view_open(request, pk: int):
    view = get_object_or_404(AssetView, pk=pk, user=request.user)
    return redirect(_opened(view))


@staff_required()
@require_POST
def saved_view_delete(request, pk: int):
    view = get_object_or_404(AssetView, pk=pk, user=request.user)
    name = view.name
    delete_view(view=view)
    messages.success(request, _("The view “%(name)s” was deleted.") % {"name": name})
    return redirect("assets:list")


urlpatterns = [
    path("views/", saved_view_create, name="saved-view-create"),
    path("views/<int:pk>/", saved_view_open, name="saved-view"),
    path("views/<int:pk>/delete/", saved_view_delete, name="saved-view-delete"),
]
