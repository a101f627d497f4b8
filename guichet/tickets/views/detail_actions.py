"""The ticket page's buttons and forms. Each POST checks access, parses its form, calls one action.

Outcomes: success re-renders the ticket (htmx) or redirects to it; bad input shows the form again
with its errors (422 for htmx, 400 otherwise); a refused change (Conflict) answers 409 and a
forbidden one 403, with the action's message next to the form.
"""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from guichet.accounts.access import is_staff_member, visible_tickets
from guichet.lib.errors import Conflict, Forbidden, InvalidInput
from guichet.tickets import actions, forms
from guichet.tickets.actions.common import compute_priority
from guichet.tickets.choices import Priority
from guichet.tickets.views.detail_page import (
    load_ticket,
    render_form_error,
    render_fragment,
)


def staff_ticket(request, pk):
    """The ticket, after checking that the user may see it (404) and is staff (403)."""
    ticket = load_ticket(request.user, pk)
    if not is_staff_member(request.user):
        raise PermissionDenied(_("Only the support staff can do this."))
    return ticket


def bad_input_status(request) -> int:
    return 422 if request.htmx else 400


def succeeded(request, pk: int, message: str):
    try:
        ticket = load_ticket(request.user, pk)
    except Http404:
        # The change took the ticket out of the user's sight (e.g. handed to another team).
        messages.success(request, message)
        if request.htmx:
            return HttpResponseClientRedirect(reverse("tickets:queue"))
        return redirect("tickets:queue")
    if request.htmx:
        return render_fragment(request, ticket, flash=message)
    messages.success(request, message)
    return redirect("tickets:detail", pk=pk)


def run(request, ticket, form, perform: Callable[[dict], str]):
    """Validate the form, call the action, and answer with the right status."""
    if not form.is_valid():
        return render_form_error(request, ticket, form, status=bad_input_status(request))
    try:
        message = perform(form.cleaned_data)
    except InvalidInput as err:
        form.add_action_errors(err.errors)
        status = bad_input_status(request)
    except Conflict as err:
        form.add_error(None, err.message)
        status = 409
    except Forbidden as err:
        form.add_error(None, err.message)
        status = 403
    else:
        return succeeded(request, ticket.pk, message)
    return render_form_error(request, ticket, form, status=status)


def ticket_action(slot: str, form_class, perform):
    """A POST view for one action of the ticket page; `perform(request, ticket, data)`."""

    @login_required
    @require_POST
    def view(request, pk):
        ticket = staff_ticket(request, pk)
        form = form_class(
            request.POST,
            request.FILES,
            options=forms.Options(request.user),
            ticket=ticket,
            slot=slot,
        )
        return run(request, ticket, form, lambda data: perform(request, ticket, data))

    view.__name__ = f"{slot}_view"
    return view


def find_ticket(user, number: int):
    """Another ticket named by its number, among those the user may see."""
    target = visible_tickets(user).filter(pk=number).first()
    if target is None:
        raise InvalidInput(
            {"target": _("No ticket #%(n)s among those you can see.") % {"n": number}}
        )
    return target


# --- What each action does ------------------------------------------------------------------


def do_assign_me(request, ticket, data):
    actions.assign(ticket=ticket, actor=request.user, team=ticket.team, assignee=request.user)
    return _("The ticket is assigned to you.")


def do_assign(request, ticket, data):
    actions.assign(ticket=ticket, actor=request.user, team=data["team"], assignee=data["assignee"])
    return _("The assignment was saved.")


def do_escalate(request, ticket, data):
    actions.escalate(
        ticket=ticket,
        actor=request.user,
        team=data["team"],
        assignee=data["assignee"],
        note=data["note"],
    )
    return _("The ticket was escalated to %(team)s.") % {"team": data["team"].name}


def do_escalate_up(request, ticket, data):
    actions.escalate_to_supervisor(ticket=ticket, actor=request.user, note=data["note"])
    return _("The supervisor was alerted.")


def do_pending(request, ticket, data):
    actions.set_pending(
        ticket=ticket,
        actor=request.user,
        reason=data["reason"],
        until=data["until"],
        note=data["note"],
    )
    return _("The ticket is on hold.")


def do_resume(request, ticket, data):
    actions.resume(ticket=ticket, actor=request.user)
    return _("The ticket is back in progress.")


def do_plan(request, ticket, data):
    actions.plan(ticket=ticket, actor=request.user, planned_for=data["planned_for"])
    return _("The ticket is planned.")


def do_visit(request, ticket, data):
    actions.require_visit(ticket=ticket, actor=request.user, note=data["note"])
    return _("A visit on site is required; the time to intervene runs.")


def do_arrival(request, ticket, data):
    actions.record_arrival(ticket=ticket, actor=request.user)
    return _("Your arrival on site was recorded.")


def do_contract(request, ticket, data):
    from guichet.sla.actions import set_contract

    contract = data["contract"]
    set_contract(ticket=ticket, actor=request.user, contract=contract, reason=data["reason"])
    return _("The ticket is now measured against “%(name)s”.") % {"name": contract.name}


def do_solve(request, ticket, data):
    from guichet.assets.views.ticket_panel import apply_solve_fields

    # An asset refusing its change leaves the ticket unsolved: both commit, or neither.
    with transaction.atomic():
        actions.solve(
            ticket=ticket,
            actor=request.user,
            solution=data["solution"],
            solution_type=data["solution_type"],
        )
        apply_solve_fields(ticket=ticket, actor=request.user, data=data)
    return _("The solution was proposed to the requester.")


def do_reopen(request, ticket, data):
    actions.reopen(ticket=ticket, actor=request.user, reason=data["reason"])
    return _("The ticket was reopened.")


def do_close(request, ticket, data):
    actions.close(ticket=ticket, actor=request.user, note=data["note"])
    return _("The ticket is closed.")


def do_qualification(request, ticket, data):
    changes = {key: data[key] for key in ("title", "type", "category", "impact", "urgency")}
    if data["major"]:
        changes.update(priority=Priority.MAJOR, major_reason=data["major_reason"])
    elif ticket.priority == Priority.MAJOR:
        # Unticking "major" is the explicit way down: back to what the matrix gives.
        changes["priority"] = compute_priority(impact=data["impact"], urgency=data["urgency"])
    actions.update_ticket(ticket=ticket, actor=request.user, **changes)
    return _("The qualification was saved.")


def do_followup(request, ticket, data):
    actions.add_followup(
        ticket=ticket, actor=request.user, body=data["body"], internal=data["internal"]
    )
    return _("The internal note was added.") if data["internal"] else _("The follow-up was sent.")


def do_task(request, ticket, data):
    actions.add_task(
        ticket=ticket,
        actor=request.user,
        description=data["description"],
        duration_minutes=data["duration_minutes"],
        done=data["done"],
    )
    return _("The task was added.")


def do_attachment(request, ticket, data):
    attachment = actions.add_attachment(
        ticket=ticket, actor=request.user, upload=data["file"], internal=data["internal"]
    )
    return _("“%(name)s” was attached.") % {"name": attachment.filename}


def do_link(request, ticket, data):
    target = find_ticket(request.user, data["target"])
    actions.link_tickets(source=ticket, target=target, kind=data["kind"], actor=request.user)
    return _("The tickets are linked.")


def do_merge(request, ticket, data):
    target = find_ticket(request.user, data["target"])
    actions.merge(source=ticket, target=target, actor=request.user)
    return _("This ticket was merged into #%(id)s.") % {"id": target.pk}


def do_watch(request, ticket, data):
    actions.add_watcher(ticket=ticket, actor=request.user, user=request.user)
    return _("You are watching this ticket.")


# --- Views that need more than the ticket -----------------------------------------------------


@login_required
@require_POST
def task_update(request, pk, task):
    ticket = staff_ticket(request, pk)
    item = get_object_or_404(ticket.tasks, pk=task)
    item.ticket = ticket
    form = forms.TaskDoneForm(
        request.POST,
        options=forms.Options(request.user),
        ticket=ticket,
        slot=f"task_{item.pk}",
        url_args=[item.pk],
    )

    def perform(data):
        actions.set_task_done(
            task=item,
            actor=request.user,
            done=data["done"],
            duration_minutes=data["duration_minutes"],
        )
        return _("The task was updated.")

    return run(request, ticket, form, perform)


@login_required
@require_POST
def unwatch(request, pk, user):
    ticket = staff_ticket(request, pk)
    person = get_object_or_404(ticket.watchers, pk=user)
    form = forms.UnwatchForm(
        request.POST,
        options=forms.Options(request.user),
        ticket=ticket,
        slot=f"unwatch_{person.pk}",
        url_args=[person.pk],
    )

    def perform(data):
        actions.remove_watcher(ticket=ticket, actor=request.user, user=person)
        if person.pk == request.user.pk:
            return _("You no longer watch this ticket.")
        return _("%(name)s no longer watches this ticket.") % {"name": person.display_name}

    return run(request, ticket, form, perform)


ACTIONS = [
    ("assign-me/", "assign_me", forms.AssignMeForm, do_assign_me),
    ("assign/", "assign", forms.AssignForm, do_assign),
    ("escalate/", "escalate", forms.EscalateForm, do_escalate),
    ("escalate-up/", "escalate_up", forms.EscalateUpForm, do_escalate_up),
    ("pending/", "pending", forms.PendingForm, do_pending),
    ("resume/", "resume", forms.ResumeForm, do_resume),
    ("plan/", "plan", forms.PlanForm, do_plan),
    ("visit/", "visit", forms.VisitForm, do_visit),
    ("arrival/", "arrival", forms.ArrivalForm, do_arrival),
    ("contract/", "contract", forms.ContractForm, do_contract),
    ("solve/", "solve", forms.SolveForm, do_solve),
    ("reopen/", "reopen", forms.ReopenForm, do_reopen),
    ("close/", "close", forms.CloseForm, do_close),
    ("qualification/", "qualification", forms.QualificationForm, do_qualification),
    ("followups/", "followup", forms.FollowUpForm, do_followup),
    ("tasks/", "task", forms.TaskForm, do_task),
    ("attachments/", "attachment", forms.AttachmentForm, do_attachment),
    ("links/", "link", forms.LinkForm, do_link),
    ("merge/", "merge", forms.MergeForm, do_merge),
    ("watchers/", "watch", forms.WatchForm, do_watch),
]

urlpatterns = [
    path(
        f"<int:pk>/{route}",
        ticket_action(slot, form_class, perform),
        name=form_class.url_name,
    )
    for route, slot, form_class, perform in ACTIONS
] + [
    path("<int:pk>/tasks/<int:task>/", task_update, name="detail-task-update"),
    path("<int:pk>/watchers/<int:user>/remove/", unwatch, name="detail-unwatch"),
]
