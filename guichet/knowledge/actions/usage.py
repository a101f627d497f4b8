"""How articles are used: linked to tickets (and solving them), voted on, read instead of
opening a ticket. Each verb keeps the article's counters in step in its own transaction."""

from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from guichet.accounts.access import may_see_ticket, visible_articles
from guichet.knowledge.actions.articles import (
    MAX_TEXT_CHARS,
    create_article,
    record,
    require_author,
)
from guichet.knowledge.choices import ArticleEventKind
from guichet.knowledge.models import Article, ArticleTicket, ArticleVote, Deflection
from guichet.lib.errors import Forbidden, InvalidInput
from guichet.tickets.actions.common import record as record_on_ticket
from guichet.tickets.choices import EventKind
from guichet.tickets.models import Ticket

MAX_QUERY_CHARS = 500


def _link_note(article: Article, solved: bool) -> str:
    values = {"id": article.pk, "title": article.title}
    if solved:
        return _("Article #%(id)s “%(title)s” used to solve the ticket") % values
    return _("Article #%(id)s “%(title)s” linked to the ticket") % values


@transaction.atomic
def link_ticket(*, article, ticket, actor, solved: bool = False, at: datetime | None = None):
    """Tie an article to a ticket; linking again with `solved` marks an existing link solved.

    A link is never "unsolved" here: "used to solve N tickets" only grows with evidence.
    """
    require_author(actor)
    if not may_see_ticket(actor, ticket):
        raise Forbidden(_("You may not see this ticket."))
    at = at or timezone.now()
    article = Article.objects.select_for_update().get(pk=article.pk)
    link = ArticleTicket.objects.filter(article=article, ticket=ticket).first()
    if link is not None and (link.solved or not solved):
        return link
    if link is None:
        link = ArticleTicket.objects.create(
            article=article, ticket=ticket, solved=solved, linked_by=actor, created_at=at
        )
    else:
        link.solved = True
        link.save(update_fields=["solved"])
    if solved:
        Article.objects.filter(pk=article.pk).update(solved_count=F("solved_count") + 1)
    note = _link_note(article, solved)
    record(article, actor, ArticleEventKind.LINKED, at=at, field="ticket", new=ticket.pk,
           note=note)  # fmt: skip
    # Internal: the requester is not told which article the technician read.
    record_on_ticket(ticket, actor, EventKind.ARTICLE, at=at, field="article", new=article.pk,
                     note=note, public=False)  # fmt: skip
    return link


@transaction.atomic
def draft_from_ticket(*, ticket, actor, at: datetime | None = None) -> Article:
    """A draft article from a solved ticket, in the technician's language, linked as solved."""
    require_author(actor)
    if not may_see_ticket(actor, ticket):
        raise Forbidden(_("You may not see this ticket."))
    # Read again: the caller's copy may predate the solution.
    ticket = Ticket.objects.get(pk=ticket.pk)
    if not (ticket.solution or "").strip():
        raise InvalidInput({"ticket": [_("This ticket has no solution to write up yet.")]})
    language = actor.language if actor.language in ("fr", "en") else "fr"
    with translation.override(language):
        heading = _("Solution")
    parts = [(ticket.description or "").strip(), f"## {heading}", ticket.solution.strip()]
    body = "\n\n".join(part for part in parts if part)[:MAX_TEXT_CHARS]
    article = create_article(
        actor=actor,
        categories=[ticket.category] if ticket.category_id else [],
        source_ticket=ticket,
        note=_("Written from ticket #%(id)s") % {"id": ticket.pk},
        at=at,
        **{f"title_{language}": ticket.title[:250], f"body_{language}": body},
    )
    link_ticket(article=article, ticket=ticket, actor=actor, solved=True, at=at)
    article.refresh_from_db()
    return article


def _require_visible(article: Article, user) -> Article:
    found = visible_articles(user).filter(pk=article.pk).first()
    if found is None:
        raise Forbidden(_("You may not see this article."))
    return found


@transaction.atomic
def vote(*, article, user, helpful: bool, at: datetime | None = None) -> ArticleVote:
    """Helpful or not: one vote per person, a second one replaces the first."""
    _require_visible(article, user)
    at = at or timezone.now()
    # The article's row lock orders concurrent votes, so the counters never drift.
    Article.objects.select_for_update().filter(pk=article.pk).first()
    helpful = bool(helpful)
    existing = ArticleVote.objects.filter(article_id=article.pk, user=user).first()
    if existing is not None and existing.helpful == helpful:
        return existing
    gained = "helpful_count" if helpful else "unhelpful_count"
    changes = {gained: F(gained) + 1}
    if existing is None:
        existing = ArticleVote.objects.create(
            article_id=article.pk, user=user, helpful=helpful, created_at=at
        )
    else:
        taken = "unhelpful_count" if helpful else "helpful_count"
        changes[taken] = F(taken) - 1
        existing.helpful = helpful
        existing.created_at = at
        existing.save(update_fields=["helpful", "created_at"])
    Article.objects.filter(pk=article.pk).update(**changes)
    return existing


@transaction.atomic
def deflect(*, article, user, query: str, at: datetime | None = None) -> Deflection:
    """A requester found their answer in this article before submitting a request."""
    _require_visible(article, user)
    query = (query or "").replace("\x00", "").strip()[:MAX_QUERY_CHARS]
    return Deflection.objects.create(
        article_id=article.pk, user=user, query=query, created_at=at or timezone.now()
    )
