"""The technician's queues: scopes, filters, sorting, keyset pages, saved views, bulk actions."""

from django.contrib import messages
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from guichet.lib.errors import InvalidInput
from guichet.tickets import actions
from guichet.tickets.models import SavedView
from guichet.tickets.views.queue_bulk import bulk
from guichet.tickets.views.queue_listing import error_list, render_queue, staff_required


@staff_required(requesters_to_portal=True)
@require_GET
def queue(request):
    return render_queue(request, request.GET)


@staff_required()
@require_POST
def saved_view_create(request):
    try:
        view = actions.save_view(
            user=request.user,
            name=request.POST.get("name", ""),
            query=request.POST.get("query", ""),
        )
    except InvalidInput as exc:
        for line in error_list(exc.errors):
            messages.error(request, line)
        return render_queue(request, QueryDict(request.POST.get("query", "")[:2000]), status=400)
    messages.success(request, _("The view “%(name)s” was saved.") % {"name": view.name})
    return redirect(f"{reverse('tickets:queue')}?{view.query}")


@staff_required()
@require_GET
def saved_view_open(request, pk: int):
    view = get_object_or_404(SavedView, pk=pk, user=request.user)
    return redirect(f"{reverse('tickets:queue')}?{view.query}")


@staff_required()
@require_POST
def saved_view_delete(request, pk: int):
    view = get_object_or_404(SavedView, pk=pk, user=request.user)
    actions.delete_view(user=request.user, view_id=view.pk)
    messages.success(request, _("The view “%(name)s” was deleted.") % {"name": view.name})
    return redirect("tickets:queue")


urlpatterns = [
    path("", queue, name="queue"),
    path("bulk/", bulk, name="queue-bulk"),
    path("views/", saved_view_create, name="saved-view-create"),
    path("views/<int:pk>/", saved_view_open, name="saved-view"),
    path("views/<int:pk>/delete/", saved_view_delete, name="saved-view-delete"),
]
