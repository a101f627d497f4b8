"""Applying an outcome's actions to a ticket, through the tickets' own verbs."""

import uuid
from datetime import datetime

from django.db.models import Q
from django.utils.translation import get_language

from guichet.accounts.access import visible_articles
from guichet.accounts.models import Team
from guichet.scripts import tree
from guichet.tickets import actions as tickets
from guichet.tickets.actions.lifecycle import current_visit
from guichet.tickets.choices import Visit
from guichet.tickets.models import Category, Ticket


def _team(value) -> Team | None:
    if isinstance(value, int):
        return Team.objects.filter(pk=value).first()
    return Team.objects.filter(name__iexact=str(value).strip()).first()


def _article(actor, value):
    """An article by number (its id) or uid, if the actor may see it."""
    condition = Q(pk=value) if isinstance(value, int) else Q()
    if isinstance(value, str):
        if value.isdigit():
            condition = Q(pk=int(value))
        else:
            try:
                condition = Q(uid=uuid.UUID(value))
            except ValueError:
                return None
    return visible_articles(actor).filter(condition).first() if condition else None


def qualification(actions: dict) -> dict:
    """The ticket fields an outcome sets (a category only if it exists and is active)."""
    changes: dict = {}
    if "category" in actions:
        category = Category.objects.filter(code=actions["category"], active=True).first()
        if category is not None:
            changes["category"] = category
    for field in ("type", "impact", "urgency"):
        if field in actions:
            changes[field] = actions[field]
    return changes


def apply_outcome(*, run, ticket: Ticket, actor, solve: bool, at: datetime) -> bool:
    """Apply the run's outcome to the ticket; returns whether it solved the ticket.

    Runs inside the caller's transaction. Actions that no longer make sense (a closed ticket,
    the team it already has, a visit already asked) are skipped rather than refused: the
    script's answers stand whatever state the ticket reached meanwhile.
    """
    node = run.version.definition["nodes"][run.outcome]
    actions = node.get("actions") or {}
    ticket = Ticket.objects.get(pk=ticket.pk)
    if not ticket.is_open:
        return False
    language = get_language()
    note = tree.text_of(node.get("text"), language)
    changes = qualification(actions)
    if changes:
        ticket = tickets.update_ticket(ticket=ticket, actor=actor, at=at, **changes)
    solves = solve and "solve" in actions and "escalate" not in actions
    if "article" in actions:
        article = _article(actor, actions["article"])
        if article is not None:
            from guichet.knowledge.actions import link_ticket

            link_ticket(article=article, ticket=ticket, actor=actor, solved=solves, at=at)
    if actions.get("visit") and current_visit(ticket) != Visit.REQUIRED:
        ticket = tickets.require_visit(ticket=ticket, actor=actor, note=note, at=at)
    team = _team(actions["escalate"]) if "escalate" in actions else None
    if team is not None and team.pk != ticket.team_id:
        ticket = tickets.escalate(ticket=ticket, actor=actor, team=team, note=note, at=at)
    if solves:
        solution = tree.text_of(actions["solve"], language)
        tickets.solve(ticket=ticket, actor=actor, solution=solution, at=at)
    return solves
