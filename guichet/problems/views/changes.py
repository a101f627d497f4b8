"""The problem page's buttons: status, link and unlink incidents, publish as a known error.
Each POST checks access, parses its form, calls one action; bad input shows the page again
with the form's errors (400), a refused transition answers 409."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from guichet.accounts.access import visible_tickets
from guichet.lib.errors import Conflict, Forbidden, InvalidInput
from guichet.problems import actions
from guichet.problems.forms import KnownErrorForm, LinkForm, StatusForm
from guichet.problems.views.pages import detail_context, load_problem
from guichet.tickets.views.queue_listing import staff_required


def _again(request, problem, status: int, **forms):
    return render(request, "problems/detail.html", detail_context(request, problem, **forms),
                  status=status)  # fmt: skip


def _attempt(request, problem, name: str, form, perform):
    """Run `perform(cleaned_data)` (which returns the success message) for a valid form."""
    status = 400
    if form.is_valid():
        try:
            message = perform(form.cleaned_data)
        except InvalidInput as exc:
            form.add_action_errors(exc)
        except Conflict as exc:
            form.add_error(None, exc.message)
            status = 409
        except Forbidden as exc:
            form.add_error(None, exc.message)
            status = 403
        else:
            messages.success(request, message)
            return redirect("problems:detail", pk=problem.pk)
    return _again(request, problem, status, **{name: form})


@staff_required()
@require_POST
def change_status(request, pk: int):
    problem = load_problem(request.user, pk)
    form = StatusForm(request.POST, problem=problem)

    def perform(data):
        actions.set_status(
            problem=problem, actor=request.user, status=data["status"], note=data["note"]
        )
        return _("The status was changed.")

    return _attempt(request, problem, "status_form", form, perform)


def _visible_ticket(user, number: int):
    ticket = visible_tickets(user).filter(pk=number).first()
    if ticket is None:
        message = _("No ticket #%(n)s among those you can see.") % {"n": number}
        raise InvalidInput({"ticket": message})
    return ticket


@staff_required()
@require_POST
def link(request, pk: int):
    problem = load_problem(request.user, pk)

    def perform(data):
        ticket = _visible_ticket(request.user, data["ticket"])
        actions.link_ticket(problem=problem, ticket=ticket, actor=request.user)
        return _("Ticket #%(n)s is linked.") % {"n": ticket.pk}

    return _attempt(request, problem, "link_form", LinkForm(request.POST), perform)


@staff_required()
@require_POST
def unlink(request, pk: int, ticket: int):
    problem = load_problem(request.user, pk)

    def perform(data):
        found = _visible_ticket(request.user, ticket)
        actions.unlink_ticket(problem=problem, ticket=found, actor=request.user)
        return _("Ticket #%(n)s is no longer linked.") % {"n": found.pk}

    return _attempt(request, problem, "link_form", LinkForm({"ticket": ticket}), perform)


@staff_required()
@require_POST
def publish(request, pk: int):
    problem = load_problem(request.user, pk)

    def perform(data):
        _article, posted = actions.publish_known_error(
            problem=problem,
            actor=request.user,
            public=data["public"],
            post_to_incidents=data["post_to_incidents"],
        )
        message = _("The known error is published.")
        if posted:
            message += " " + ngettext(
                "The workaround was posted on %(n)d incident.",
                "The workaround was posted on %(n)d incidents.",
                posted,
            ) % {"n": posted}
        return message

    return _attempt(request, problem, "known_error_form", KnownErrorForm(request.POST), perform)


urlpatterns = [
    path("<int:pk>/status/", change_status, name="status"),
    path("<int:pk>/link/", link, name="link"),
    path("<int:pk>/unlink/<int:ticket>/", unlink, name="unlink"),
    path("<int:pk>/known-error/", publish, name="publish"),
]
