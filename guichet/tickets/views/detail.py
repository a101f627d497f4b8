"""The ticket page for the support staff, and file downloads through an access check."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.views.decorators.http import require_GET

from guichet.accounts.access import is_staff_member
from guichet.tickets.views import detail_actions
from guichet.tickets.views.detail_page import load_ticket, render_page


@login_required
@require_GET
def detail(request, pk):
    if not is_staff_member(request.user):
        # Requesters follow their tickets on the portal, which applies the same access rules.
        return redirect("portal:detail", pk=pk)
    ticket = load_ticket(request.user, pk)
    return render_page(request, ticket)


@login_required
@require_GET
def attachment(request, pk, att):
    """Serve a file only to someone who may see the ticket; internal files only to staff.

    Files are never linked by their media URL: that would bypass these checks.
    """
    ticket = load_ticket(request.user, pk)
    item = get_object_or_404(ticket.attachments, pk=att)
    if item.is_internal and not is_staff_member(request.user):
        raise Http404
    try:
        handle = item.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=item.filename, content_type=item.content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [
    path("<int:pk>/", detail, name="detail"),
    path("<int:pk>/attachments/<int:att>/", attachment, name="detail-attachment"),
    *detail_actions.urlpatterns,
]
