"""The agents list: who reports, from where, when last, and why some are refused."""

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from guichet.inventory import queries
from guichet.inventory.forms import AgentFilterForm
from guichet.inventory.screens.common import manager_required, page_url, screen_context


@manager_required
@require_GET
def agent_list(request):
    form = AgentFilterForm(request.GET, user=request.user)
    page, status = None, 200
    if form.is_valid():
        try:
            page = queries.agent_page(request.user, form.filters(), request.GET.get("cursor"))
        except (ValueError, TypeError, OverflowError, ValidationError):
            form.add_error(None, _("This page link is not valid; start again from page one."))
    if page is None:
        status = 400
    context = screen_context(
        request,
        "agents",
        form=form,
        page=page,
        next_url=page_url("inventory:agents", request.GET, page.next_cursor if page else None),
        prev_url=page_url("inventory:agents", request.GET, page.prev_cursor if page else None),
    )
    return render(request, "inventory/agents.html", context, status=status)


urlpatterns = [
    path("agents/", agent_list, name="agents"),
]
