"""The knowledge API (see guichet/api.py for authentication and errors).

Requesters read what `visible_articles` lets them (the published public FAQ) and may vote;
every other write is the support staff's (403), on an article they may not see a 404.
"""

from datetime import datetime
from typing import Annotated, Literal

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import ConfigDict, Field

from guichet.accounts.access import (
    article_or_404,
    is_staff_member,
    visible_articles,
    visible_organisations,
    visible_tickets,
)
from guichet.knowledge import actions
from guichet.knowledge.actions.articles import MAX_TEXT_CHARS, require_author
from guichet.knowledge.choices import LANGUAGES, ArticleKind, ArticleStatus, Audience
from guichet.knowledge.models import Article
from guichet.knowledge.queries import LIST_FIELDS, ArticleFilters, changed_fields
from guichet.lib.errors import InvalidInput
from guichet.lib.pagination import keyset_page
from guichet.lib.schemas import (
    Id,
    Moment,
    PageOut,
    Ref,
    Text,
    built_response,
    optional,
    page_cursor,
    responses,
)
from guichet.tickets.models import Category

router = Router(tags=["knowledge"])

ArticleId = Id
RevisionNumber = Annotated[int, Field(ge=1, le=2**31)]
TITLE_MAX = 250
SHORT_MAX = 500
NOTE_MAX = 250


class Input(Schema):
    model_config = ConfigDict(extra="forbid")


# --- Schemas ----------------------------------------------------------------------------------
class CategoryRef(Schema):
    id: int
    code: str
    name: str


class ArticleSummary(Schema):
    id: int
    kind: ArticleKind
    status: ArticleStatus
    audience: Audience
    title_fr: str
    title_en: str
    languages: list[str] = Field(description="The versions written (`fr`, `en`).")
    revision: int
    helpful_count: int
    unhelpful_count: int
    solved_count: int
    updated_at: datetime


class ArticleOut(ArticleSummary):
    body_fr: str
    body_en: str
    symptom_fr: str
    symptom_en: str
    cause_fr: str
    cause_en: str
    workaround_fr: str
    workaround_en: str
    solution_fr: str
    solution_en: str
    keywords: str
    software: str
    categories: list[CategoryRef]
    organisations: list[Ref]
    source_ticket: int | None
    created_at: datetime
    published_at: datetime | None


class ArticlePage(PageOut):
    items: list[ArticleSummary]


class ArticleFiltersIn(Schema):
    kind: ArticleKind | None = None
    status: ArticleStatus | None = None
    audience: Audience | None = None
    category: Text | None = Field(None, max_length=100, pattern=r"^[-a-zA-Z0-9_]+$")
    missing: Literal["fr", "en"] | None = Field(None, description="Without this version.")
    updated_since: Moment | None = None
    cursor: Text | None = Field(None, max_length=500)
    limit: int = Field(50, ge=1, le=200)


class ArticleFields(Input):
    """Every field may be left out; texts are Markdown, each language on its own."""

    kind: ArticleKind = optional()
    audience: Audience = optional()
    title_fr: Text = optional(max_length=TITLE_MAX)
    title_en: Text = optional(max_length=TITLE_MAX)
    body_fr: Text = optional(max_length=MAX_TEXT_CHARS)
    body_en: Text = optional(max_length=MAX_TEXT_CHARS)
    symptom_fr: Text = optional(max_length=MAX_TEXT_CHARS)
    symptom_en: Text = optional(max_length=MAX_TEXT_CHARS)
    cause_fr: Text = optional(max_length=MAX_TEXT_CHARS)
    cause_en: Text = optional(max_length=MAX_TEXT_CHARS)
    workaround_fr: Text = optional(max_length=MAX_TEXT_CHARS)
    workaround_en: Text = optional(max_length=MAX_TEXT_CHARS)
    solution_fr: Text = optional(max_length=MAX_TEXT_CHARS)
    solution_en: Text = optional(max_length=MAX_TEXT_CHARS)
    keywords: Text = optional(max_length=SHORT_MAX)
    software: Text = optional(max_length=SHORT_MAX)
    categories: list[Text] = optional(max_length=50, description="Category codes.")
    organisations: list[Id] = optional(max_length=50, description="Organisation ids.")
    note: Text = optional(max_length=NOTE_MAX, description="The change note of the revision.")


class StatusIn(Input):
    status: ArticleStatus
    note: Text = Field("", max_length=NOTE_MAX)


class RevisionSummary(Schema):
    number: int
    author: Ref | None
    note: str
    created_at: datetime
    changed: list[str]


class RevisionOut(RevisionSummary):
    data: dict


class VoteIn(Input):
    helpful: bool


class VoteOut(Schema):
    helpful: bool
    helpful_count: int
    unhelpful_count: int


class LinkIn(Input):
    ticket: Id
    solved: bool = False


class LinkOut(Schema):
    article: int
    ticket: int
    solved: bool
    solved_count: int


# --- Representations --------------------------------------------------------------------------
def _summary(article: Article) -> dict:
    return {
        "id": article.pk,
        "kind": article.kind,
        "status": article.status,
        "audience": article.audience,
        "title_fr": article.title_fr,
        "title_en": article.title_en,
        "languages": [lang for lang in LANGUAGES if article.has_language(lang)],
        "revision": article.revision,
        "helpful_count": article.helpful_count,
        "unhelpful_count": article.unhelpful_count,
        "solved_count": article.solved_count,
        "updated_at": article.updated_at,
    }


def article_out(article: Article, user) -> dict:
    data = _summary(article)
    for name in ArticleOut.model_fields:
        if name not in data and hasattr(article, name) and name.endswith(("_fr", "_en")):
            data[name] = getattr(article, name)
    data["keywords"] = article.keywords
    data["software"] = article.software
    data["categories"] = [
        {"id": c.pk, "code": c.code, "name": c.name} for c in article.categories.all()
    ]
    # A requester learns nothing of the other clients an article is meant for.
    organisations = article.organisations.all()
    if not is_staff_member(user):
        organisations = organisations.filter(pk=user.organisation_id or 0)
    data["organisations"] = [{"id": o.pk, "name": o.name} for o in organisations]
    data["source_ticket"] = article.source_ticket_id if is_staff_member(user) else None
    data["created_at"] = article.created_at
    data["published_at"] = article.published_at
    return data


def _article(user, article_id: int) -> Article:
    return article_or_404(user, article_id)


def _lookups(user, payload: ArticleFields) -> dict:
    """Category codes and organisation ids to objects; unknown ones are 422 together."""
    changes = payload.model_dump(exclude_unset=True)
    errors: dict[str, list[str]] = {}
    if "categories" in changes:
        codes = set(changes["categories"])
        found = list(Category.objects.filter(active=True, code__in=codes))
        if len(found) != len(codes):
            errors["categories"] = [_("Unknown category.")]
        changes["categories"] = found
    if "organisations" in changes:
        ids = set(changes["organisations"])
        chosen = list(visible_organisations(user).filter(pk__in=ids))
        if len(chosen) != len(ids):
            errors["organisations"] = [_("Unknown organisation.")]
        changes["organisations"] = chosen
    if errors:
        raise InvalidInput(errors)
    for name in ("kind", "audience"):
        if name in changes:
            changes[name] = str(getattr(changes[name], "value", changes[name]))
    return changes


# --- Endpoints --------------------------------------------------------------------------------
@router.get("", response=responses(ArticlePage))
def list_articles(request, filters: Query[ArticleFiltersIn]):
    """Articles the caller may see, latest edits first; pass `next_cursor` back as `cursor`."""
    user = request.auth
    parsed = ArticleFilters(
        kind=filters.kind.value if filters.kind else "",
        status=filters.status.value if filters.status else "",
        audience=filters.audience.value if filters.audience else "",
        category=filters.category or "",
        missing=filters.missing or "",
        updated_since=filters.updated_since,
    )
    page = keyset_page(
        parsed.apply(visible_articles(user)).only(*LIST_FIELDS),
        field="updated_at",
        descending=True,
        size=filters.limit,
        cursor=page_cursor(filters.cursor, datetime),
    )
    payload = {
        "items": [_summary(a) for a in page.items],
        "next_cursor": page.next_cursor,
        "prev_cursor": page.prev_cursor,
    }
    return built_response(request, payload)


@router.post("", response=responses(ArticleOut, 201))
def create_article(request, payload: ArticleFields):
    """A new draft (support staff). A title in French or English is needed."""
    user = request.auth
    require_author(user)
    changes = _lookups(user, payload)
    article = actions.create_article(actor=user, **changes)
    return built_response(request, article_out(article, user), status=201)


@router.get("/{article_id}", response=responses(ArticleOut))
def read_article(request, article_id: ArticleId):
    user = request.auth
    return article_out(_article(user, article_id), user)


@router.patch("/{article_id}", response=responses(ArticleOut))
def update_article(request, article_id: ArticleId, payload: ArticleFields):
    """Change some fields (support staff); a new revision when something changed."""
    user = request.auth
    article = _article(user, article_id)
    require_author(user)
    changes = _lookups(user, payload)
    if "organisations" in changes:
        # Keep the clients the caller does not serve: they cannot see them to keep them.
        hidden = article.organisations.exclude(pk__in=visible_organisations(user))
        changes["organisations"] = [*changes["organisations"], *hidden]
    article = actions.update_article(article=article, actor=user, **changes)
    return article_out(article, user)


@router.post("/{article_id}/status", response=responses(ArticleOut))
def change_status(request, article_id: ArticleId, payload: StatusIn):
    """Draft, in review, published, archived: a move not allowed is a 409."""
    user = request.auth
    article = _article(user, article_id)
    article = actions.set_status(
        article=article, actor=user, status=payload.status.value, note=payload.note
    )
    return article_out(article, user)


def _revision_out(revision, previous: dict | None, with_data: bool) -> dict:
    author = revision.author
    data = {
        "number": revision.number,
        "author": {"id": author.pk, "name": author.display_name} if author else None,
        "note": revision.note,
        "created_at": revision.created_at,
        "changed": changed_fields(previous, revision.data),
    }
    if with_data:
        data["data"] = revision.data
    return data


def _staff_article(user, article_id: int) -> Article:
    article = _article(user, article_id)
    if not is_staff_member(user):
        raise Http404  # the history (drafts, notes) is the staff's
    return article


@router.get("/{article_id}/revisions", response=responses(list[RevisionSummary]))
def list_revisions(request, article_id: ArticleId):
    """Every revision, newest first, with the fields it changed (support staff)."""
    article = _staff_article(request.auth, article_id)
    revisions = list(article.revisions.select_related("author").order_by("number"))
    out, previous = [], None
    for revision in revisions:
        out.append(_revision_out(revision, previous, with_data=False))
        previous = revision.data
    out.reverse()
    return out


@router.get("/{article_id}/revisions/{number}", response=responses(RevisionOut))
def read_revision(request, article_id: ArticleId, number: RevisionNumber):
    article = _staff_article(request.auth, article_id)
    revision = article.revisions.select_related("author").filter(number=number).first()
    if revision is None:
        raise Http404
    previous = article.revisions.filter(number=number - 1).values_list("data", flat=True).first()
    return _revision_out(revision, previous, with_data=True)


@router.post("/{article_id}/vote", response=responses(VoteOut))
def vote(request, article_id: ArticleId, payload: VoteIn):
    """Helpful or not (anyone who may read the article); a second vote replaces the first."""
    user = request.auth
    article = _article(user, article_id)
    cast = actions.vote(article=article, user=user, helpful=payload.helpful)
    article.refresh_from_db(fields=["helpful_count", "unhelpful_count"])
    return {
        "helpful": cast.helpful,
        "helpful_count": article.helpful_count,
        "unhelpful_count": article.unhelpful_count,
    }


@router.post("/{article_id}/tickets", response=responses(LinkOut, 201))
def link_ticket(request, article_id: ArticleId, payload: LinkIn):
    """Tie the article to a ticket the caller may see; `solved` when it solved it."""
    user = request.auth
    article = _article(user, article_id)
    require_author(user)
    ticket = visible_tickets(user).filter(pk=payload.ticket).first()
    if ticket is None:
        raise InvalidInput({"ticket": [_("Unknown ticket.")]})
    link = actions.link_ticket(article=article, ticket=ticket, actor=user, solved=payload.solved)
    article.refresh_from_db(fields=["solved_count"])
    out = {
        "article": article.pk,
        "ticket": ticket.pk,
        "solved": link.solved,
        "solved_count": article.solved_count,
    }
    return built_response(request, out, status=201)
