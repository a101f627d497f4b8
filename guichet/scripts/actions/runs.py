"""Walking a script: start, answer, step back, stop, and tying a run to its ticket.

A run's `path` is its log: {"node", "answer", "at"} for each answer, {"node", "back": true,
"at"} when the last answer was undone (`node` is then where the run went back to). On a
ticket, each of these also writes a TicketEvent of kind SCRIPT in the same transaction, so the
next technician reads the path in the timeline.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from guichet.accounts.access import may_see_ticket, visible_script_runs, visible_scripts
from guichet.lib.errors import Conflict, Forbidden, InvalidInput
from guichet.scripts import tree
from guichet.scripts.actions.outcomes import apply_outcome
from guichet.scripts.choices import NodeKind, RunChannel, RunStatus
from guichet.scripts.models import Script, ScriptRun
from guichet.tickets.actions.common import record
from guichet.tickets.choices import EventKind
from guichet.tickets.models import Ticket


def answered_steps(run: ScriptRun) -> list[dict]:
    """The answers that still stand (each step back removes the last one)."""
    stack: list[dict] = []
    for step in run.path:
        if step.get("back"):
            if stack:
                stack.pop()
        else:
            stack.append(step)
    return stack


def heading(run: ScriptRun) -> str:
    return _("Script “%(name)s”, v%(number)s") % {
        "name": run.version.script.name,
        "number": run.version.number,
    }


def step_note(run: ScriptRun, step: dict) -> str:
    node = run.version.definition["nodes"].get(step["node"], {})
    question = tree.text_of(node.get("text"), get_language())
    choices = {i: label for i, label, _next in tree.answers_of(node, get_language())}
    return _("%(script)s — %(question)s → %(answer)s") % {
        "script": heading(run),
        "question": question,
        "answer": choices.get(step.get("answer") or 0, "?"),
    }


def _text(run: ScriptRun, node_id: str) -> str:
    return tree.text_of(run.version.definition["nodes"][node_id].get("text"), get_language())


def _event(run: ScriptRun, actor, note: str, *, at: datetime, new: str = "") -> None:
    if run.ticket is not None:
        record(run.ticket, actor, EventKind.SCRIPT, at=at, field="script", new=new, note=note,
               public=False)  # fmt: skip


def _locked(run: ScriptRun, actor) -> ScriptRun:
    """Re-read the run under a row lock, as one the actor may walk."""
    found = (
        visible_script_runs(actor, ScriptRun.objects.select_for_update()).filter(pk=run.pk).first()
    )
    if found is None:
        raise Forbidden(_("This run is not yours to follow."))
    return found


def _save(run: ScriptRun, fields: list[str], at: datetime) -> None:
    run.updated_at = at
    run.save(update_fields=[*fields, "updated_at"])


@transaction.atomic
def start_run(
    *,
    script: Script,
    actor,
    channel: str,
    ticket: Ticket | None = None,
    at: datetime | None = None,
) -> ScriptRun:
    """Begin walking the script's current version (on a ticket, in intake or in the portal)."""
    at = at or timezone.now()
    if not visible_scripts(actor).filter(pk=script.pk).exists():
        raise Forbidden(_("This script is not offered to you."))
    if not script.active or script.current is None:
        raise Conflict(_("This script is not active."))
    if channel not in RunChannel.values:
        raise InvalidInput({"channel": _("Unknown channel.")})
    if (channel == RunChannel.TICKET) != (ticket is not None):
        raise InvalidInput({"ticket": _("A run on the ticket page needs its ticket.")})
    if not actor.is_support_staff and channel != RunChannel.PORTAL:
        raise Forbidden(_("Only the support staff can do this."))
    if channel == RunChannel.PORTAL and not script.in_portal:
        raise Forbidden(_("This script is not offered in the portal."))
    if ticket is not None and not may_see_ticket(actor, ticket):
        raise Forbidden(_("You may not see this ticket."))
    version = script.current
    run = ScriptRun.objects.create(
        version=version,
        ticket=ticket,
        user=actor,
        channel=channel,
        node=version.definition["start"],
        created_at=at,
        updated_at=at,
    )
    _event(run, actor, _("%(script)s — started") % {"script": heading(run)}, at=at,
           new=str(version.pk))  # fmt: skip
    return run


@transaction.atomic
def answer(*, run: ScriptRun, actor, index, at: datetime | None = None) -> ScriptRun:
    """Take answer `index` (0-based) of the current node; an outcome ends the run."""
    at = at or timezone.now()
    run = _locked(run, actor)
    if run.status != RunStatus.RUNNING:
        raise Conflict(_("This run is over."))
    node = run.version.definition["nodes"][run.node]
    choices = tree.answers_of(node, get_language())
    try:
        index = int(index)
    except (TypeError, ValueError):
        index = -1
    if not 0 <= index < len(choices):
        raise InvalidInput({"answer": _("Choose one of the answers.")})
    step = {
        "node": run.node,
        "answer": None if node["kind"] == NodeKind.INSTRUCTION else index,
        "at": at.isoformat(),
    }
    run.path = [*run.path, step]
    run.node = choices[index][2]
    _event(run, actor, step_note(run, step), at=at)
    fields = ["path", "node"]
    if run.version.definition["nodes"][run.node]["kind"] == NodeKind.OUTCOME:
        fields += _finish(run, actor, at=at)
    _save(run, fields, at)
    return run


def _finish(run: ScriptRun, actor, *, at: datetime) -> list[str]:
    run.status = RunStatus.FINISHED
    run.outcome = run.node
    run.finished_at = at
    note = _("%(script)s — outcome: %(text)s") % {
        "script": heading(run),
        "text": _text(run, run.node),
    }
    _event(run, actor, note, at=at, new=run.node)
    fields = ["status", "outcome", "finished_at"]
    if run.ticket is not None:
        run.solved = apply_outcome(run=run, ticket=run.ticket, actor=actor, solve=True, at=at)
        fields.append("solved")
    return fields


@transaction.atomic
def step_back(*, run: ScriptRun, actor, at: datetime | None = None) -> ScriptRun:
    """Undo the last answer. An outcome already applied to a ticket stays applied, so a run
    that reached one on a ticket cannot go back; one before any ticket (intake, portal) can."""
    at = at or timezone.now()
    run = _locked(run, actor)
    reopen = run.status == RunStatus.FINISHED and run.ticket_id is None and not run.solved
    if run.status != RunStatus.RUNNING and not reopen:
        raise Conflict(_("This run is over."))
    stack = answered_steps(run)
    if not stack:
        raise Conflict(_("This is the first question: there is nothing to undo."))
    back_to = stack[-1]["node"]
    run.path = [*run.path, {"node": back_to, "back": True, "at": at.isoformat()}]
    run.node = back_to
    run.status, run.outcome, run.finished_at = RunStatus.RUNNING, "", None
    note = _("%(script)s — step back to “%(text)s”") % {
        "script": heading(run),
        "text": _text(run, back_to),
    }
    _event(run, actor, note, at=at)
    _save(run, ["path", "node", "status", "outcome", "finished_at"], at)
    return run


@transaction.atomic
def stop(*, run: ScriptRun, actor, at: datetime | None = None) -> ScriptRun:
    """Abandon the run where it stands (counted as a drop-out at its node)."""
    at = at or timezone.now()
    run = _locked(run, actor)
    if run.status != RunStatus.RUNNING:
        raise Conflict(_("This run is over."))
    run.status = RunStatus.ABANDONED
    run.finished_at = at
    note = _("%(script)s — stopped at “%(text)s”") % {
        "script": heading(run),
        "text": _text(run, run.node),
    }
    _event(run, actor, note, at=at)
    _save(run, ["status", "finished_at"], at)
    return run


def solving(run: ScriptRun) -> bool:
    """Whether the run ended on an outcome that solves."""
    if run.status != RunStatus.FINISHED or not run.outcome:
        return False
    node = run.version.definition["nodes"].get(run.outcome, {})
    return "solve" in (node.get("actions") or {})


@transaction.atomic
def confirm_solved(*, run: ScriptRun, actor, at: datetime | None = None) -> ScriptRun:
    """The requester (or the technician before any ticket) says the outcome solved it."""
    at = at or timezone.now()
    run = _locked(run, actor)
    if run.ticket_id is not None or run.user_id != actor.pk:
        raise Forbidden(_("This run is not yours to follow."))
    if not solving(run):
        raise Conflict(_("This run did not reach a solution."))
    if not run.solved:
        run.solved = True
        _save(run, ["solved"], at)
    return run


@transaction.atomic
def attach_run(
    *, run: ScriptRun, ticket: Ticket, actor, solve: bool = False, at: datetime | None = None
) -> ScriptRun:
    """Tie a run made before the ticket existed (phone intake) to it: its path goes to the
    timeline, a reached outcome is applied (solving only if asked: the form said so)."""
    at = at or timezone.now()
    run = _locked(run, actor)
    if run.ticket_id is not None or run.user_id != actor.pk:
        raise Conflict(_("This run already belongs to a ticket."))
    if not may_see_ticket(actor, ticket):
        raise Forbidden(_("You may not see this ticket."))
    run.ticket = ticket
    _save(run, ["ticket"], at)
    _event(run, actor, _("%(script)s — run during the call") % {"script": heading(run)}, at=at,
           new=str(run.version_id))  # fmt: skip
    for step in answered_steps(run):
        _event(run, actor, step_note(run, step), at=at)
    if run.status == RunStatus.FINISHED:
        note = _("%(script)s — outcome: %(text)s") % {
            "script": heading(run),
            "text": _text(run, run.outcome),
        }
        _event(run, actor, note, at=at, new=run.outcome)
        run.solved = apply_outcome(
            run=run, ticket=ticket, actor=actor, solve=solve and solving(run), at=at
        )
        _save(run, ["solved"], at)
    return run


@transaction.atomic
def open_ticket_after_run(*, run: ScriptRun | None, actor, solve: bool = False, **ticket) -> Ticket:
    """Phone intake: open the ticket and tie the run made during the call to it, in one
    transaction, so a ticket is never left without the run it came with."""
    from guichet.tickets.actions import open_ticket

    opened = open_ticket(actor=actor, **ticket)
    if run is not None:
        attach_run(run=run, ticket=opened, actor=actor, solve=solve)
    return opened
