"""A new request, guided by category: pick a family, then a precise subject, then describe."""

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.html import escape
from django.utils.translation import gettext as _

from guichet.accounts.access import visible_organisations
from guichet.accounts.models import Location
from guichet.lib.errors import ActionError, InvalidInput
from guichet.portal.forms import TicketForm
from guichet.portal.views.common import requester_page
from guichet.portal.wording import IMPACT_BY_AFFECTED
from guichet.tickets import actions
from guichet.tickets.choices import Channel, TicketType
from guichet.tickets.models import Category

# Categories under this family are things asked for, not things broken.
REQUEST_FAMILY = "request"


def _by_name(categories) -> list[Category]:
    return sorted(categories, key=lambda c: c.name.casefold())


def _choose(request, parent: Category | None):
    """Step 1 (top-level families) or step 2 (the subjects of one family)."""
    if parent is None:
        choices = Category.objects.filter(active=True, parent__isnull=True)
    else:
        choices = parent.children.filter(active=True)
    return render(
        request,
        "portal/new_choose.html",
        {"parent": parent, "choices": _by_name(choices), "nav": "portal-new"},
    )


def _category_from(code: str | None) -> Category | None:
    """The chosen category; None for "I don't know"; raises LookupError when unknown."""
    if not code or code == "none":
        return None
    category = Category.objects.filter(active=True, code=code).select_related("parent").first()
    if category is None:
        raise LookupError(code)
    return category


def _default_type(category: Category | None) -> str:
    if category is not None and REQUEST_FAMILY in (
        category.code,
        category.parent and category.parent.code,
    ):
        return TicketType.REQUEST
    return TicketType.INCIDENT


@requester_page("tickets:queue")
def new(request):
    user = request.user
    params = request.POST if request.method == "POST" else request.GET
    if request.method == "GET" and "category" not in params:
        parent_code = params.get("parent")
        if not parent_code:
            return _choose(request, None)
        parent = Category.objects.filter(active=True, parent__isnull=True, code=parent_code).first()
        if parent is None:
            return HttpResponseBadRequest(escape(_("This category does not exist.")))
        if not parent.children.filter(active=True).exists():
            return redirect(f"{request.path}?category={parent.code}")
        return _choose(request, parent)

    try:
        category = _category_from(params.get("category"))
    except LookupError:
        return HttpResponseBadRequest(escape(_("This category does not exist.")))
    locations = Location.objects.filter(
        organisation__in=visible_organisations(user), organisation_id=user.organisation_id
    )
    if request.method == "POST":
        form = TicketForm(request.POST, request.FILES, locations=locations)
        if form.is_valid():
            ticket = _submit(form, user, category)
            if ticket is not None:
                messages.success(
                    request,
                    _("Your request #%(id)s was sent. We will keep you posted here.")
                    % {"id": ticket.pk},
                )
                return redirect("portal:detail", pk=ticket.pk)
        status = 422
    else:
        form = TicketForm(
            initial={"type": _default_type(category), "location": user.location_id},
            locations=locations,
        )
        status = 200
    return render(
        request,
        "portal/new_form.html",
        {"form": form, "category": category, "nav": "portal-new"},
        status=status,
    )


def _submit(form: TicketForm, user, category: Category | None):
    """Open the ticket and keep its file in one transaction: a refused file leaves nothing."""
    data = form.cleaned_data
    try:
        with transaction.atomic():
            ticket = actions.open_ticket(
                actor=user,
                title=data["title"],
                description=data["description"],
                category=category,
                type=data["type"],
                channel=Channel.PORTAL,
                impact=IMPACT_BY_AFFECTED[data["affected"]],
                urgency=data["urgency"],
                location=data.get("location"),
            )
            if data.get("file"):
                actions.add_attachment(ticket=ticket, actor=user, upload=data["file"])
    except InvalidInput as error:
        form.add_action_errors(error, renames={"impact": "affected"})
        return None
    except ActionError as error:
        form.add_error(None, error.message)
        return None
    return ticket
