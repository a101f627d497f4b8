"""Publishing a problem as a known error in one step: the knowledge article (created, or
updated when the problem has one), the problem's status and, on request, a follow-up with
the workaround on each of its open incidents, all in one transaction."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from guichet.accounts.access import visible_tickets
from guichet.knowledge import actions as knowledge
from guichet.knowledge.choices import ArticleKind, ArticleStatus, Audience
from guichet.knowledge.models import Article
from guichet.lib.errors import InvalidInput
from guichet.problems.actions.common import lock, record, require_staff
from guichet.problems.actions.problems import change_status
from guichet.problems.choices import TRANSITIONS, ProblemEventKind, ProblemStatus
from guichet.problems.models import Problem
from guichet.tickets.actions import add_followup
from guichet.tickets.choices import OPEN_STATUSES


def _language(actor) -> str:
    return actor.language if actor.language in ("fr", "en") else "fr"


def _article_fields(problem: Problem, language: str, public: bool) -> dict:
    """The problem's analysis as the known error's fields, in the author's language; the
    other language's fields are left as they are (a translator fills them in)."""
    return {
        f"title_{language}": problem.title,
        f"symptom_{language}": problem.description,
        f"cause_{language}": problem.root_cause,
        f"workaround_{language}": problem.workaround,
        f"solution_{language}": problem.permanent_fix,
        "kind": ArticleKind.KNOWN_ERROR,
        "audience": Audience.PUBLIC if public else Audience.INTERNAL,
    }


def _followup_text(problem: Problem) -> str:
    return _(
        "We have identified the cause of this incident (%(ref)s: %(title)s). Until it is fixed "
        "for good, here is how to work around it:\n\n%(workaround)s"
    ) % {"ref": problem.reference, "title": problem.title, "workaround": problem.workaround}


def _post_to_incidents(problem: Problem, article: Article, actor, *, at: datetime) -> int:
    """A public follow-up on each linked open incident the actor may see (never on another
    client's ticket they could not open), and the article tied to it; merged tickets live on
    in their target."""
    tickets = visible_tickets(actor).filter(
        problem_links__problem=problem, status__in=OPEN_STATUSES, merged_into__isnull=True
    )
    body = _followup_text(problem)
    count = 0
    for ticket in tickets.order_by("pk"):
        add_followup(ticket=ticket, actor=actor, body=body, at=at)
        knowledge.link_ticket(article=article, ticket=ticket, actor=actor, at=at)
        count += 1
    return count


@transaction.atomic
def publish_known_error(
    *,
    problem: Problem,
    actor,
    public: bool = False,
    post_to_incidents: bool = False,
    at: datetime | None = None,
) -> tuple[Article, int]:
    """Returns the article and how many incidents received the workaround."""
    require_staff(actor)
    at = at or timezone.now()
    problem = lock(problem)
    if not problem.workaround.strip():
        raise InvalidInput({"workaround": [_("Describe the workaround before publishing.")]})
    fields = _article_fields(problem, _language(actor), public)
    categories = [problem.category] if problem.category_id else []
    note = _("From the problem %(ref)s") % {"ref": problem.reference}
    article = problem.known_error
    if article is None:
        article = knowledge.create_article(
            actor=actor,
            categories=categories,
            status=ArticleStatus.PUBLISHED,
            note=note,
            at=at,
            **fields,
        )
    else:
        article = knowledge.update_article(
            article=article, actor=actor, categories=categories, note=note, at=at, **fields
        )
        if article.status != ArticleStatus.PUBLISHED:
            article = knowledge.set_status(
                article=article, actor=actor, status=ArticleStatus.PUBLISHED, note=note, at=at
            )
    saved = ["updated_at"]
    if problem.known_error_id != article.pk:
        problem.known_error = article
        saved.append("known_error")
    # A solved or closed problem keeps its status: only its article is brought up to date.
    if (
        problem.status != ProblemStatus.KNOWN_ERROR
        and ProblemStatus.KNOWN_ERROR in TRANSITIONS[ProblemStatus(problem.status)]
    ):
        saved += change_status(problem, actor, ProblemStatus.KNOWN_ERROR, at=at)
    posted = _post_to_incidents(problem, article, actor, at=at) if post_to_incidents else 0
    told = ngettext(
        "The workaround was posted on %(n)d incident.",
        "The workaround was posted on %(n)d incidents.",
        posted,
    ) % {"n": posted}
    record(problem, actor, ProblemEventKind.KNOWN_ERROR, at=at, field="known_error",
           new=article.pk, note=told if posted else "")  # fmt: skip
    problem.updated_at = at
    problem.save(update_fields=saved)
    return article, posted
