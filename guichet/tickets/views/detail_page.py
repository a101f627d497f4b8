"""What the ticket page shows, shared by the page itself and the actions that re-render it."""

from django.db.models import Q
from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_htmx.http import reswap, retarget

from guichet.accounts.access import ticket_or_404, visible_tickets
from guichet.accounts.queries import user_by_id
from guichet.accounts.reference import attach_people
from guichet.sla import display
from guichet.tickets import forms, reference
from guichet.tickets.choices import OPEN_STATUSES, LinkKind, Status
from guichet.tickets.models import Ticket, TicketLink
from guichet.tickets.queries import child_counts, ticket_events, ticket_followups
from guichet.tickets.timeline import Names, build_timeline

PAGE = "tickets/detail.html"
FRAGMENT = "tickets/partials/detail_ticket.html"
FORM = "tickets/partials/detail_form.html"

LINK_LABELS: dict[tuple[str, str], Promise] = {
    (LinkKind.DUPLICATE, "out"): _("Duplicate of"),
    (LinkKind.DUPLICATE, "in"): _("Has a duplicate"),
    (LinkKind.RELATED, "out"): _("Related to"),
    (LinkKind.RELATED, "in"): _("Related to"),
    (LinkKind.PARENT, "out"): _("Parent of"),
    (LinkKind.PARENT, "in"): _("Child of"),
}


# Where each form sits on the page, in reading order.
ACTION_SLOTS = (
    "assign_me",
    "resume",
    "assign",
    "escalate",
    "escalate_up",
    "pending",
    "plan",
    "visit",
    "arrival",
    "solve",
    "close",
    "reopen",
    "contract",
)
CONVERSATION_SLOTS = ("followup", "task", "attachment")
LINK_SLOTS = ("link", "merge")


def load_ticket(user, pk) -> Ticket:
    """The ticket with everything its header shows, or 404 when the user may not see it."""
    ticket = ticket_or_404(user, pk)
    requester = user_by_id(ticket.requester_id)
    if requester:
        ticket.requester = requester[0]
    reference.attach(ticket)
    return ticket


def visit_waits(ticket: Ticket) -> bool:
    """Whether a required visit waits for a technician: the time to intervene runs."""
    return any(r.kind == "intervene" and r.running for r in display.rows_of(ticket))


def available_forms(ticket: Ticket, user, options) -> dict:
    """The forms of the actions that make sense in the ticket's current state."""
    status = ticket.status
    is_open = status in OPEN_STATUSES and not ticket.merged_into_id
    classes: dict[str, type[forms.TicketForm]] = {
        "qualification": forms.QualificationForm,
        "task": forms.TaskForm,
        "attachment": forms.AttachmentForm,
        "link": forms.LinkForm,
    }
    if not ticket.merged_into_id:  # the conversation goes on in the target ticket
        classes["followup"] = forms.FollowUpForm
    if is_open:
        if ticket.assignee_id != user.pk:
            classes["assign_me"] = forms.AssignMeForm
        classes["assign"] = forms.AssignForm
        classes["escalate"] = forms.EscalateForm
        classes["escalate_up"] = forms.EscalateUpForm
        if status == Status.PENDING:
            classes["resume"] = forms.ResumeForm
        else:
            classes["pending"] = forms.PendingForm
        classes["plan"] = forms.PlanForm
        if visit_waits(ticket):
            classes["arrival"] = forms.ArrivalForm
        else:
            classes["visit"] = forms.VisitForm
        classes["solve"] = forms.SolveForm
        classes["contract"] = forms.ContractForm
    if status == Status.SOLVED:
        classes["close"] = forms.CloseForm
    if status in (Status.SOLVED, Status.CLOSED) and not ticket.merged_into_id:
        classes["reopen"] = forms.ReopenForm
    if not ticket.merged_into_id and status != Status.CLOSED:
        classes["merge"] = forms.MergeForm
    return {
        slot: form_class(options=options, ticket=ticket, slot=slot)
        for slot, form_class in classes.items()
    }


def ticket_links(ticket: Ticket, user) -> list[dict]:
    links = list(
        TicketLink.objects.filter(Q(source=ticket) | Q(target=ticket)).order_by("created_at", "id")
    )
    other_ids = {
        link.target_id if link.source_id == ticket.pk else link.source_id for link in links
    }
    titles = dict(
        visible_tickets(user).filter(pk__in=other_ids).values_list("pk", "title")
        if other_ids
        else []
    )
    rows = []
    for link in links:
        outgoing = link.source_id == ticket.pk
        other = link.target_id if outgoing else link.source_id
        rows.append(
            {
                "label": LINK_LABELS[(link.kind, "out" if outgoing else "in")],
                "pk": other,
                "title": titles.get(other, ""),  # no title for a ticket the user may not see
                "visible": other in titles,
            }
        )
    return rows


def page_context(request, ticket: Ticket, *, bound: dict | None = None, flash: str = "") -> dict:
    user = request.user
    options = forms.Options(user)
    page_forms = available_forms(ticket, user, options)
    page_forms.update(bound or {})
    counts = child_counts(ticket.pk)  # lists with nothing in them are not read
    events = ticket_events(ticket.pk)
    followups = ticket_followups(ticket.pk) if counts["followups"] else []
    tasks = list(ticket.tasks.all()) if counts["tasks"] else []
    attachments = list(ticket.attachments.all()) if counts["attachments"] else []
    attach_people(
        [(events, "actor"), (followups, "author"), (tasks, "author"), (attachments, "uploaded_by")],
        known=[ticket.requester, user],
    )
    names = Names()
    timeline = build_timeline(
        events=events, followups=followups, tasks=tasks, attachments=attachments, names=names
    )
    for entry in timeline:
        if entry.kind == "task":
            task = entry.obj
            slot = f"task_{task.pk}"
            entry.form = page_forms.get(slot) or forms.TaskDoneForm(
                options=options,
                ticket=ticket,
                slot=slot,
                url_args=[task.pk],
                initial={"done": task.done, "duration_minutes": task.duration_minutes},
            )
    watcher_forms = []
    for person in ticket.watchers.all() if counts["watchers"] else []:
        slot = f"unwatch_{person.pk}"
        form = page_forms.get(slot) or forms.UnwatchForm(
            options=options, ticket=ticket, slot=slot, url_args=[person.pk]
        )
        form.person = person
        watcher_forms.append(form)
    if not any(form.person.pk == user.pk for form in watcher_forms):
        page_forms.setdefault(
            "watch", forms.WatchForm(options=options, ticket=ticket, slot="watch")
        )
    return {
        "ticket": ticket,
        "forms": page_forms,
        "action_forms": [page_forms[s] for s in ACTION_SLOTS if s in page_forms],
        "conversation_forms": [page_forms[s] for s in CONVERSATION_SLOTS if s in page_forms],
        "link_forms": [page_forms[s] for s in LINK_SLOTS if s in page_forms],
        "timeline": timeline,
        "tasks": tasks,
        "time_spent": sum(t.duration_minutes for t in tasks),
        "attachments": attachments,
        "links": ticket_links(ticket, user) if counts["links"] else [],
        "watcher_forms": watcher_forms,
        "clocks": display.ticket_clocks(ticket),
        "contract_name": display.contract_name(ticket),
        "flash": flash,
        "nav": "queue",
    }


def render_page(request, ticket: Ticket, *, bound=None, status: int = 200):
    return render(request, PAGE, page_context(request, ticket, bound=bound), status=status)


def render_fragment(request, ticket: Ticket, *, flash: str = ""):
    return render(request, FRAGMENT, page_context(request, ticket, flash=flash))


def render_form_error(request, ticket: Ticket, form, *, status: int):
    """Show a refused form again with its errors: in place for htmx, else the whole page."""
    if not request.htmx:
        return render_page(request, ticket, bound={form.slot: form}, status=status)
    if isinstance(form, forms.UnwatchForm):
        form.person = next((w for w in ticket.watchers.all() if w.pk == form.url_args[0]), None)
    response = render(request, FORM, {"form": form, "ticket": ticket}, status=status)
    return reswap(retarget(response, f"#form-{form.slot}"), "outerHTML")
