"""My tickets: the requester's own, or the whole organisation's for its manager."""

from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.utils.html import escape
from django.utils.translation import gettext as _

from guichet.accounts.access import visible_tickets
from guichet.lib.pagination import keyset_page
from guichet.portal.views.common import requester_page
from guichet.portal.wording import STATUS_TONE, ticket_status_words
from guichet.tickets.choices import Status

PAGE_SIZE = 25
SCOPES = ("mine", "organisation")
STATES = ("all", "open", "closed")


def _bad_request(message: str) -> HttpResponseBadRequest:
    return HttpResponseBadRequest(escape(message))


@requester_page("tickets:queue")
def home(request):
    user = request.user
    is_manager = bool(user.is_org_manager and user.organisation_id)
    scope = request.GET.get("scope") or "mine"
    state = request.GET.get("state") or "all"
    if scope not in SCOPES or (scope == "organisation" and not is_manager):
        return _bad_request(_("Unknown list: choose your tickets or your organisation's."))
    if state not in STATES:
        return _bad_request(_("Unknown filter: choose all, in progress or closed tickets."))

    tickets = visible_tickets(user).select_related("category", "requester", "pending_reason")
    if scope == "mine":
        tickets = tickets.filter(requester_id=user.pk)
    else:
        tickets = tickets.filter(organisation_id=user.organisation_id)
    if state == "open":
        tickets = tickets.exclude(status=Status.CLOSED)
    elif state == "closed":
        tickets = tickets.filter(status=Status.CLOSED)
    try:
        page = keyset_page(
            tickets,
            field="id",
            descending=True,
            size=PAGE_SIZE,
            cursor=request.GET.get("cursor") or None,
        )
    except ValueError:
        return _bad_request(_("This page link is damaged; go back to the first page."))
    rows = [
        {
            "ticket": ticket,
            "status": ticket_status_words(ticket),
            "tone": STATUS_TONE.get(ticket.status, ""),
        }
        for ticket in page.items
    ]
    return render(
        request,
        "portal/home.html",
        {
            "rows": rows,
            "page": page,
            "scope": scope,
            "state": state,
            "is_manager": is_manager,
            "states": [
                ("all", _("All")),
                ("open", _("In progress")),
                ("closed", _("Closed")),
            ],
            "nav": "portal",
        },
    )
