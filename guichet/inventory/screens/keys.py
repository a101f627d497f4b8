"""The agent URLs: per organisation, the URL its agents post to (which ties them to it),
and the command lines that install an agent with it. The key is made on first request and
can be renewed, which refuses the agents still using the old URL."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from guichet.accounts.access import visible_organisations
from guichet.inventory import actions, queries
from guichet.inventory.screens.common import manager_required, page_url, screen_context

# The login agents send with the key as password when they use the shared URL.
BASIC_AUTH_USER = "agent"


def site_url(path_: str) -> str:
    return settings.SITE_URL.rstrip("/") + path_


def agent_url(key: str) -> str:
    return site_url(reverse("inventory:endpoint-key", args=[key]))


def commands(key: str) -> list[tuple[str, str]]:
    """(label, command line) for each way of pointing an agent at the organisation."""
    url, shared = agent_url(key), site_url(reverse("inventory:endpoint"))
    auth = f"--user {BASIC_AUTH_USER} --password {key}"
    return [
        (_("FusionInventory agent"), f"fusioninventory-agent --server {url}"),
        (_("GLPI Agent"), f"glpi-agent --server {url}"),
        (_("FusionInventory agent, with a password"),
         f"fusioninventory-agent --server {shared} {auth}"),
        (_("GLPI Agent, with a password"), f"glpi-agent --server {shared} {auth}"),
    ]  # fmt: skip


@manager_required
@require_GET
def key_list(request):
    page, status = None, 200
    try:
        page = queries.organisation_page(request.user, request.GET.get("cursor"))
    except (ValueError, TypeError, OverflowError, ValidationError):
        messages.error(request, _("This page link is not valid; start again from page one."))
        status = 400
    rows = []
    for organisation in page.items if page else []:
        key = queries.key_of(organisation)
        rows.append({
            "organisation": organisation,
            "url": agent_url(key) if key else None,
            "commands": commands(key) if key else [],
            "created_at": organisation.inventory_key.created_at if key else None,
        })  # fmt: skip
    context = screen_context(
        request,
        "keys",
        rows=rows,
        next_url=page_url("inventory:keys", request.GET, page.next_cursor if page else None),
        prev_url=page_url("inventory:keys", request.GET, page.prev_cursor if page else None),
    )
    return render(request, "inventory/keys.html", context, status=status)


def _organisation(request, pk: int):
    return get_object_or_404(visible_organisations(request.user), pk=pk)


@manager_required
@require_POST
def create_key(request, pk: int):
    organisation = _organisation(request, pk)
    actions.organisation_key(organisation=organisation)
    messages.success(
        request, _("The agent URL of %(name)s is ready.") % {"name": organisation.name}
    )
    return redirect(f"{reverse('inventory:keys')}#organisation-{organisation.pk}")


@manager_required
@require_POST
def renew_key(request, pk: int):
    organisation = _organisation(request, pk)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Confirm the renewal to replace the agent URL."))
    else:
        actions.organisation_key(organisation=organisation, renew=True)
        messages.success(request, _("The agent URL of %(name)s was renewed: update its agents.")
                         % {"name": organisation.name})  # fmt: skip
    return redirect(f"{reverse('inventory:keys')}#organisation-{organisation.pk}")


urlpatterns = [
    path("keys/", key_list, name="keys"),
    path("keys/<int:pk>/create/", create_key, name="key-create"),
    path("keys/<int:pk>/renew/", renew_key, name="key-renew"),
]
