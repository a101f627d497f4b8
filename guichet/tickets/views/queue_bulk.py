"""Bulk actions on the tickets selected in a queue: assign, set pending, close solved ones,
or open the new problem form with them as its incidents.

Each ticket goes through its own action (its own transaction), so one refusal does not undo
the others; the user gets one message per refused ticket and a count of the rest.
"""

from urllib.parse import urlsplit

from django.contrib import messages
from django.http import QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from guichet.accounts.access import visible_teams, visible_tickets, visible_users
from guichet.accounts.choices import STAFF_ROLES
from guichet.lib.errors import ActionError
from guichet.lib.pagination import MAX_PAGE_SIZE
from guichet.tickets import actions
from guichet.tickets.models import PendingReason
from guichet.tickets.views.queue_listing import render_queue, staff_required

NOTE_MAX = 2000


def _next_url(request) -> str:
    """Back to the queue the user came from (same site, queue path only)."""
    queue = reverse("tickets:queue")
    candidate = request.POST.get("next", "")
    if (
        url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()})
        and urlsplit(candidate).path == queue
    ):
        return candidate
    return queue


def _ids(raw: list[str]) -> tuple[set[int], int]:
    """Selected ids, and how many values were not ticket ids at all."""
    ids, bad = set(), 0
    for value in raw:
        try:
            number = int(value)
        except ValueError:
            bad += 1
            continue
        if 0 < number < 2**63:
            ids.add(number)
        else:
            bad += 1
    return ids, bad


def _pick(queryset, raw: str):
    """The object with id `raw` in `queryset`, or None; a malformed id finds nothing."""
    try:
        return queryset.filter(pk=int(raw)).first()
    except (ValueError, OverflowError):
        return None


def _plan(request) -> tuple[dict, list[str]]:
    """Read and check the chosen action and its arguments; errors are bad input (400)."""
    user, post = request.user, request.POST
    action = post.get("action", "")
    errors: list[str] = []
    plan: dict = {"action": action}
    if action == "assign":
        team_raw, assignee_raw = post.get("team", ""), post.get("assignee", "")
        if not team_raw and not assignee_raw:
            errors.append(_("Choose a team, a technician or both."))
        if team_raw:
            plan["team"] = _pick(visible_teams(user), team_raw)
            if plan["team"] is None:
                errors.append(_("Unknown team."))
        if assignee_raw:
            staff = visible_users(user).filter(role__in=STAFF_ROLES)
            plan["assignee"] = _pick(staff, assignee_raw)
            if plan["assignee"] is None:
                errors.append(_("Unknown technician."))
    elif action == "pending":
        plan["reason"] = _pick(PendingReason.objects.filter(active=True), post.get("reason", ""))
        if plan["reason"] is None:
            errors.append(_("Say what the tickets wait for."))
        plan["note"] = post.get("note", "").strip()
        if len(plan["note"]) > NOTE_MAX:
            errors.append(_("The note has at most %(n)d characters.") % {"n": NOTE_MAX})
    elif action not in ("close", "problem"):
        errors.append(_("Choose an action."))
    return plan, errors


def _apply(plan: dict, ticket, actor) -> None:
    if plan["action"] == "assign":
        # Only what was chosen changes: assigning a technician keeps the ticket's team.
        actions.assign(
            ticket=ticket,
            actor=actor,
            team=plan.get("team") or ticket.team,
            assignee=plan.get("assignee") or ticket.assignee,
        )
    elif plan["action"] == "pending":
        actions.set_pending(ticket=ticket, actor=actor, reason=plan["reason"], note=plan["note"])
    else:
        actions.close(ticket=ticket, actor=actor)


@staff_required()
@require_POST
def bulk(request):
    next_url = _next_url(request)
    plan, errors = _plan(request)
    ids, malformed = _ids(request.POST.getlist("ids"))
    if not ids and not malformed:
        errors.append(_("Select at least one ticket."))
    if len(ids) > MAX_PAGE_SIZE:
        errors.append(_("At most %(n)d tickets at a time.") % {"n": MAX_PAGE_SIZE})
    if errors:
        for error in errors:
            messages.error(request, error)
        return render_queue(request, QueryDict(urlsplit(next_url).query), status=400)

    tickets = list(
        visible_tickets(request.user).filter(pk__in=ids).select_related("team", "assignee")
    )
    ignored = malformed + len(ids) - len(tickets)
    if plan["action"] == "problem" and tickets:
        # Nothing is written yet: the problem form opens with these incidents, to be completed.
        numbers = ",".join(str(t.pk) for t in sorted(tickets, key=lambda t: t.pk))
        _ignored_message(request, ignored)
        return redirect(reverse("problems:new") + f"?tickets={numbers}")
    done = 0
    for ticket in sorted(tickets, key=lambda t: t.pk):
        try:
            _apply(plan, ticket, request.user)
        except ActionError as exc:
            messages.error(request, f"#{ticket.pk}: {exc.message}")
        else:
            done += 1
    if done:
        messages.success(
            request,
            ngettext("%(n)d ticket updated.", "%(n)d tickets updated.", done) % {"n": done},
        )
    _ignored_message(request, ignored)
    return redirect(next_url)


def _ignored_message(request, ignored: int) -> None:
    if ignored:
        messages.error(
            request,
            ngettext(
                "%(n)d selected ticket was not found and was ignored.",
                "%(n)d selected tickets were not found and were ignored.",
                ignored,
            )
            % {"n": ignored},
        )
