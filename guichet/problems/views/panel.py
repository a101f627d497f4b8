"""The problems panel of the ticket page, and the report of where a problem is needed."""

from datetime import timedelta

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from guichet.accounts.access import is_staff_member, problem_or_404, ticket_or_404
from guichet.lib.errors import ActionError, InvalidInput
from guichet.problems import actions, queries
from guichet.problems.forms import MAX_TICKETS, CandidatesForm, ProblemNumberForm
from guichet.tickets.views.queue_listing import staff_required


def _staff_ticket(request, pk: int):
    """The ticket if the user is staff and may see it; 404 otherwise (a panel says nothing)."""
    if not is_staff_member(request.user):
        raise Http404
    return ticket_or_404(request.user, pk)


def _panel(request, ticket, form=None, status: int = 200, flash: str = ""):
    context = {
        "ticket": ticket,
        "problems": queries.problems_of_ticket(request.user, ticket),
        "form": form or ProblemNumberForm(),
        "flash": flash,
    }
    return render(request, "problems/partials/ticket_panel.html", context, status=status)


@staff_required()
@require_GET
def ticket_panel(request, pk: int):
    return _panel(request, _staff_ticket(request, pk))


@staff_required()
@require_POST
def ticket_link(request, pk: int):
    """Link the ticket to an existing problem by its number; htmx gets the panel back."""
    ticket = _staff_ticket(request, pk)
    form = ProblemNumberForm(request.POST)
    if form.is_valid():
        try:
            problem = problem_or_404(request.user, form.cleaned_data["problem"])
        except Http404:
            form.add_error("problem", _("There is no such problem."))
        else:
            try:
                actions.link_ticket(problem=problem, ticket=ticket, actor=request.user)
            except InvalidInput as exc:
                form.add_error("problem", " ".join(m for ms in exc.errors.values() for m in ms))
            except ActionError as exc:
                form.add_error("problem", exc.message)
            else:
                message = _("This incident is linked to %(ref)s.") % {"ref": problem.reference}
                if request.htmx:
                    return _panel(request, ticket, flash=message)
                messages.success(request, message)
                return redirect("tickets:detail", pk=ticket.pk)
    return _panel(request, ticket, form=form, status=400)


@staff_required(requesters_to_portal=True)
@require_GET
def candidates(request):
    """Categories with recurring incidents that no problem covers yet."""
    params = request.GET if request.GET else None
    form = CandidatesForm(params or {"min_count": 5, "days": 30})
    rows, status = [], 400
    days = 30
    if form.is_valid():
        days = form.cleaned_data["days"]
        now = timezone.now()
        rows = queries.candidates(
            request.user, min_count=form.cleaned_data["min_count"], days=days, now=now
        )
        status = 200
        since = timezone.localdate(now - timedelta(days=days)).isoformat()
        for row in rows:
            row.queue_url = f"{reverse('tickets:queue')}?" + urlencode(
                {"scope": "all", "category": str(row.category.pk), "created_after": since}
            )
            row.new_url = (
                f"{reverse('problems:new-from-category', args=[row.category.pk])}?"
                + urlencode({"days": days})
            )
    context = {"nav": "problems", "form": form, "rows": rows, "days": days}
    return render(request, "problems/candidates.html", context, status=status)


@staff_required(requesters_to_portal=True)
@require_GET
def new_from_category(request, category: int):
    """The new-problem form with the category's unlinked recent incidents filled in."""
    form = CandidatesForm({"min_count": 2, "days": request.GET.get("days", "30")})
    days = form.cleaned_data["days"] if form.is_valid() else 30
    numbers = queries.candidate_tickets(
        request.user, category_id=category, days=days, now=timezone.now(), limit=MAX_TICKETS
    )
    query = urlencode({"tickets": ",".join(map(str, numbers)), "category": str(category)})
    return redirect(f"{reverse('problems:new')}?{query}")


urlpatterns = [
    path("ticket/<int:pk>/panel", ticket_panel, name="ticket-panel"),
    path("ticket/<int:pk>/link", ticket_link, name="ticket-link"),
    path("candidates/", candidates, name="candidates"),
    path("candidates/<int:category>/new", new_from_category, name="new-from-category"),
]
