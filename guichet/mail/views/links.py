"""The pages a mail's links open, without a password: answer a proposed solution, rate a
ticket. A GET only shows the page (mail scanners follow links); the answer is a POST."""

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import override
from django.views.decorators.http import require_http_methods

from guichet.accounts.models import User
from guichet.lib.errors import Conflict, Forbidden, InvalidInput
from guichet.lib.markdown import render_markdown
from guichet.mail import links
from guichet.portal.forms import RatingForm, RefuseForm
from guichet.tickets import actions
from guichet.tickets.choices import Status
from guichet.tickets.models import Ticket


def _grant(purpose: str, token: str) -> tuple[Ticket, User] | None:
    grant = links.read(purpose, token)
    if grant is None:
        return None
    ticket = Ticket.objects.filter(pk=grant.ticket_id).first()
    person = User.objects.filter(pk=grant.user_id, is_active=True).first()
    if ticket is None or person is None or ticket.requester_id != person.pk:
        return None
    moment = ticket.solved_at if purpose == "solution" else ticket.closed_at
    if not links.still_valid(grant, moment):
        return None
    return ticket, person


def _gone(request):
    return render(request, "mail/link_gone.html", status=410)


@require_http_methods(["GET", "POST"])
def solution(request, token: str):
    found = _grant("solution", token)
    if found is None:
        return _gone(request)
    ticket, person = found
    with override(person.language):
        return _solution(request, token, ticket, person)


def _solution(request, token, ticket, person):
    form = RefuseForm(request.POST or None)
    done, error, status = "", "", 200
    if request.method == "POST" and ticket.status == Status.SOLVED:
        answer = request.POST.get("answer")
        try:
            if answer == "accept":
                actions.accept_solution(ticket=ticket, actor=person)
                done = _("Thank you: the ticket is closed.")
            elif answer == "refuse" and form.is_valid():
                actions.refuse_solution(
                    ticket=ticket, actor=person, reason=form.cleaned_data["reason"]
                )
                done = _("Thank you: the ticket is reopened and the technician told.")
            else:
                status = 400
                error = _("Choose to accept, or say what is still not working.")
        except (Conflict, Forbidden, InvalidInput) as failure:
            status, error = 409, str(failure)
    return render(
        request,
        "mail/solution.html",
        {
            "ticket": ticket,
            "person": person,
            "token": token,
            "form": form,
            "done": done,
            "error": error,
            "answer": request.GET.get("answer", ""),
            "solution_html": render_markdown(ticket.solution),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def satisfaction(request, token: str):
    found = _grant("satisfaction", token)
    if found is None:
        return _gone(request)
    ticket, person = found
    with override(person.language):
        form = RatingForm(request.POST or None)
        done, error, status = "", "", 200
        if request.method == "POST":
            if form.is_valid():
                try:
                    actions.rate_satisfaction(
                        ticket=ticket,
                        actor=person,
                        score=form.cleaned_data["score"],
                        comment=form.cleaned_data["comment"],
                    )
                    done = _("Thank you for your opinion.")
                except (Conflict, Forbidden, InvalidInput) as failure:
                    status, error = 409, str(failure)
            else:
                status = 400
        return render(
            request,
            "mail/satisfaction.html",
            {"ticket": ticket, "form": form, "done": done, "error": error},
            status=status,
        )
