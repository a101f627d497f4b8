"""Phone intake: find the caller as you type, see their open tickets, qualify, create.

Built for a call in progress and for the keyboard: the caller search answers while typing
(htmx), results are buttons reachable by Tab or the arrow keys, and the page also works without
JavaScript (the search is a plain GET form, a chosen caller travels as ?caller=ID).
"""

import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import F, Q, Value
from django.db.models.functions import Replace
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from guichet.accounts.access import is_staff_member, visible_tickets, visible_users
from guichet.accounts.choices import Role
from guichet.lib.errors import ActionError, InvalidInput
from guichet.scripts.actions import open_ticket_after_run
from guichet.scripts.queries import intake_run
from guichet.tickets import reference
from guichet.tickets.actions.common import compute_priority
from guichet.tickets.choices import OPEN_STATUSES, Channel, Level
from guichet.tickets.forms import IntakeForm

MIN_QUERY = 2
MAX_RESULTS = 10
OPEN_TICKETS_SHOWN = 10
SEPARATORS = re.compile(r"[\s+().\-/]")
# Characters people put in phone numbers; removed in the database so digits match digits.
PHONE_NOISE = (" ", ".", "-", "+", "(", ")", "/", "\u00a0")


def digits_only(column: str):
    expression: Any = F(column)
    for char in PHONE_NOISE:
        expression = Replace(expression, Value(char), Value(""))
    return expression


def phone_variants(digits: str) -> set[str]:
    """A number typed as 01 23 45 67 89 also matches one stored as +33 1 23 45 67 89."""
    variants = {digits}
    if digits.startswith("00"):
        variants.add(digits[2:])
    elif digits.startswith("0") and len(digits) > 3:
        variants.add(digits[1:])
    return variants


def callers_for(user):
    """The contacts a staff member may take a call from: requesters of the clients they serve."""
    return visible_users(user).filter(role=Role.REQUESTER)


def search_callers(user, text: str) -> list:
    # NUL is refused by PostgreSQL in a query parameter; it is never part of a name.
    text = (text or "").replace("\x00", "").strip()[:100]
    if len(text) < MIN_QUERY:
        return []
    people = callers_for(user).select_related("organisation", "location")
    digits = SEPARATORS.sub("", text)
    if digits.isdigit() and len(digits) >= 3:
        condition = Q()
        for variant in phone_variants(digits):
            condition |= Q(phone_digits__contains=variant) | Q(mobile_digits__contains=variant)
        people = people.annotate(
            phone_digits=digits_only("phone"), mobile_digits=digits_only("mobile")
        ).filter(condition)
    else:
        for word in text.split()[:5]:
            people = people.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(email__icontains=word)
                | Q(username__icontains=word)
            )
    return list(people.order_by("last_name", "first_name", "pk")[:MAX_RESULTS])


def find_caller(user, pk):
    """The caller with this id if the user may take their call, else None."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    if not 0 < pk < 2**63:
        return None
    return callers_for(user).select_related("organisation", "location").filter(pk=pk).first()


def caller_context(user, caller) -> dict:
    if caller is None:
        return {"caller": None}
    tickets = visible_tickets(user).filter(requester=caller, status__in=OPEN_STATUSES)
    tickets = tickets.order_by("-id")
    return {
        "caller": caller,
        "open_tickets": list(tickets[:OPEN_TICKETS_SHOWN]),
        "open_count": tickets.count(),
    }


def require_staff(request) -> None:
    if not is_staff_member(request.user):
        raise PermissionDenied(_("Phone intake is for the support staff."))


def priority_of(impact, urgency) -> int | None:
    try:
        impact, urgency = int(impact), int(urgency)
    except (TypeError, ValueError):
        return None
    if impact not in Level.values or urgency not in Level.values:
        return None
    return compute_priority(impact=impact, urgency=urgency)


@login_required
@require_http_methods(["GET", "POST"])
def intake(request):
    if not is_staff_member(request.user):
        return redirect("portal:new")
    categories = reference.categories()
    status = 200
    if request.method == "POST":
        form = IntakeForm(request.POST, categories=categories)
        caller = find_caller(request.user, request.POST.get("requester"))
        if form.is_valid():
            try:
                if caller is None:
                    raise InvalidInput({"requester": _("Unknown caller; search again.")})
                data = form.cleaned_data
                ticket = open_ticket_after_run(
                    run=intake_run(request.user, request.POST.get("script_run")),
                    solve=bool(request.POST.get("script_solve")),
                    actor=request.user,
                    requester=caller,
                    channel=Channel.PHONE,
                    type=data["type"],
                    category=data["category"],
                    impact=data["impact"],
                    urgency=data["urgency"],
                    title=data["title"],
                    description=data["description"],
                )
            except InvalidInput as err:
                form.add_action_errors(err.errors)
            except ActionError as err:
                form.add_error(None, err.message)
            else:
                # The asset ticked in the caller's card (the assets room's part of the call).
                from guichet.assets.views.ticket_panel import link_called_asset

                link_called_asset(request, ticket)
                messages.success(
                    request,
                    _("Ticket %(ref)s was created for %(name)s.")
                    % {"ref": ticket.reference, "name": caller.display_name},
                )
                return redirect("tickets:detail", pk=ticket.pk)
        status = 400
        query = request.POST.get("q", "")
    else:
        form = IntakeForm(categories=categories)
        query = request.GET.get("q", "")
        caller = find_caller(request.user, request.GET.get("caller"))
    results = search_callers(request.user, query) if query and caller is None else []
    impact = form["impact"].value()
    urgency = form["urgency"].value()
    context = {
        "form": form,
        "q": query,
        "results": results,
        "searched": bool(query) and caller is None,
        "priority": priority_of(impact, urgency),
        "nav": "intake",
        **caller_context(request.user, caller),
    }
    return render(request, "tickets/intake.html", context, status=status)


@login_required
@require_GET
def callers(request):
    require_staff(request)
    query = request.GET.get("q", "")
    results = search_callers(request.user, query)
    context = {"results": results, "q": query, "searched": len(query.strip()) >= MIN_QUERY}
    return render(request, "tickets/partials/intake_results.html", context)


@login_required
@require_GET
def caller(request, user):
    require_staff(request)
    person = find_caller(request.user, user)
    if person is None:
        return render(request, "tickets/partials/intake_caller.html", {"caller": None}, status=404)
    return render(
        request,
        "tickets/partials/intake_caller.html",
        {**caller_context(request.user, person), "chosen_now": True},
    )


@login_required
@require_GET
def priority(request):
    require_staff(request)
    value = priority_of(request.GET.get("impact"), request.GET.get("urgency"))
    return render(request, "tickets/partials/intake_priority.html", {"priority": value})


urlpatterns = [
    path("intake/", intake, name="intake"),
    path("intake/callers/", callers, name="intake-callers"),
    path("intake/callers/<int:user>/", caller, name="intake-caller"),
    path("intake/priority/", priority, name="intake-priority"),
]
