"""One ticket as its requester sees it, and what they can do on it.

Every view starts with `ticket_or_404`: a ticket the user may not see answers 404 whatever
the verb, so a neighbour cannot even learn that it exists.
"""

from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guichet.accounts.access import ticket_or_404, visible_tickets
from guichet.lib.errors import Conflict, Forbidden, InvalidInput
from guichet.lib.markdown import render_markdown
from guichet.mail.display import folded_html
from guichet.portal.forms import RatingForm, RefuseForm, ReplyForm
from guichet.portal.timeline import public_timeline
from guichet.portal.views.common import requester_page
from guichet.portal.wording import STATUS_TONE, ticket_status_words
from guichet.tickets import actions
from guichet.tickets.choices import Status
from guichet.tickets.models import Ticket

HTTP_STATUS = {InvalidInput: 422, Conflict: 409, Forbidden: 403}


def _ticket(request, pk) -> Ticket:
    queryset = Ticket.objects.select_related(
        "category__parent", "location", "pending_reason", "requester"
    )
    return ticket_or_404(request.user, pk, queryset)


def _may_answer_solution(ticket: Ticket, user) -> bool:
    """Mirrors the accept/refuse actions: the requester, or their organisation's manager."""
    if ticket.requester_id == user.pk:
        return True
    return bool(user.is_org_manager and user.organisation_id == ticket.organisation_id)


def _render(request, ticket: Ticket, *, status: int = 200, error: str = "", **forms):
    user = request.user
    merged_into = None
    if ticket.merged_into_id:
        merged_into = visible_tickets(user).filter(pk=ticket.merged_into_id).first()
    context = {
        "ticket": ticket,
        "status_words": ticket_status_words(ticket),
        "tone": STATUS_TONE.get(ticket.status, ""),
        "timeline": public_timeline(ticket, user),
        "description_html": folded_html(ticket.description),
        "solution_html": render_markdown(ticket.solution),
        "merged_into": merged_into,
        "can_reply": ticket.status != Status.CLOSED and not ticket.merged_into_id,
        "can_answer": ticket.status == Status.SOLVED and _may_answer_solution(ticket, user),
        "can_rate": ticket.status in (Status.SOLVED, Status.CLOSED)
        and ticket.satisfaction is None
        and ticket.requester_id == user.pk,
        "reply_form": forms.get("reply_form") or ReplyForm(),
        "refuse_form": forms.get("refuse_form") or RefuseForm(),
        "rating_form": forms.get("rating_form") or RatingForm(),
        "error": error,
        "nav": "portal",
    }
    return render(request, "portal/detail.html", context, status=status)


def _refused(request, ticket: Ticket, error: Exception, form=None, form_name: str = ""):
    """Turn an action's refusal into the page again, with the reason and a 4xx status."""
    status = next(code for kind, code in HTTP_STATUS.items() if isinstance(error, kind))
    forms = {}
    if isinstance(error, InvalidInput) and form is not None:
        form.add_action_errors(error)
        forms[form_name] = form
        message = ""
    else:
        message = getattr(error, "message", str(error))
    ticket.refresh_from_db()
    return _render(request, ticket, status=status, error=message, **forms)


@requester_page("tickets:detail")
def detail(request, pk):
    return _render(request, _ticket(request, pk))


@requester_page("tickets:detail")
@require_POST
def reply(request, pk):
    ticket = _ticket(request, pk)
    form = ReplyForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, ticket, status=422, reply_form=form)
    body, upload = form.cleaned_data["body"], form.cleaned_data["file"]
    try:
        with transaction.atomic():
            if body:
                actions.add_followup(ticket=ticket, actor=request.user, body=body)
            if upload:
                actions.add_attachment(ticket=ticket, actor=request.user, upload=upload)
    except (InvalidInput, Conflict, Forbidden) as error:
        return _refused(request, ticket, error, form, "reply_form")
    messages.success(request, _("Your message was sent."))
    return redirect("portal:detail", pk=ticket.pk)


@requester_page("tickets:detail")
@require_POST
def accept(request, pk):
    ticket = _ticket(request, pk)
    try:
        actions.accept_solution(ticket=ticket, actor=request.user)
    except (Conflict, Forbidden) as error:
        return _refused(request, ticket, error)
    messages.success(request, _("Thank you: the request is closed."))
    return redirect("portal:detail", pk=ticket.pk)


@requester_page("tickets:detail")
@require_POST
def refuse(request, pk):
    ticket = _ticket(request, pk)
    form = RefuseForm(request.POST)
    if not form.is_valid():
        return _render(request, ticket, status=422, refuse_form=form)
    try:
        actions.refuse_solution(
            ticket=ticket, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except (InvalidInput, Conflict, Forbidden) as error:
        return _refused(request, ticket, error, form, "refuse_form")
    messages.success(request, _("The request is reopened; a technician will get back to you."))
    return redirect("portal:detail", pk=ticket.pk)


@requester_page("tickets:detail")
@require_POST
def rate(request, pk):
    ticket = _ticket(request, pk)
    form = RatingForm(request.POST)
    if not form.is_valid():
        return _render(request, ticket, status=422, rating_form=form)
    if ticket.satisfaction is not None:
        return _refused(request, ticket, Conflict(_("You already rated this request.")))
    try:
        actions.rate_satisfaction(
            ticket=ticket,
            actor=request.user,
            score=form.cleaned_data["score"],
            comment=form.cleaned_data["comment"],
        )
    except (InvalidInput, Conflict, Forbidden) as error:
        return _refused(request, ticket, error, form, "rating_form")
    messages.success(request, _("Thank you for your feedback."))
    return redirect("portal:detail", pk=ticket.pk)


@requester_page("tickets:detail")
def download(request, pk, file_pk):
    ticket = _ticket(request, pk)
    attachment = ticket.attachments.filter(pk=file_pk, is_internal=False).first()
    if attachment is None:
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except OSError:
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.filename,
        content_type=attachment.content_type,
    )
