"""Writing articles: every save is one transaction with a new revision and its events."""

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.accounts.access import is_staff_member
from guichet.knowledge.choices import (
    LANGUAGES,
    REVISED_FIELDS,
    TEXT_FIELDS,
    TRANSITIONS,
    ArticleEventKind,
    ArticleKind,
    ArticleStatus,
    Audience,
)
from guichet.knowledge.models import Article, ArticleEvent, ArticleRevision
from guichet.lib.errors import Conflict, Forbidden, InvalidInput

# A long article is fine; a pasted log of megabytes is a mistake that would bloat every revision.
MAX_TEXT_CHARS = 200_000
EDITABLE = tuple(f"{name}_{lang}" for name in TEXT_FIELDS for lang in LANGUAGES) + (
    "kind",
    "audience",
    "keywords",
    "software",
)


def require_author(actor) -> None:
    if not is_staff_member(actor):
        raise Forbidden(_("Only the support staff can write in the knowledge base."))


def record(article: Article, actor, kind: str, *, at: datetime, field="", old="", new="", note=""):
    return ArticleEvent.objects.create(
        article=article,
        actor=actor,
        kind=kind,
        field=field,
        old_value="" if old is None else str(old),
        new_value="" if new is None else str(new),
        note=note,
        created_at=at,
    )


def snapshot(article: Article) -> dict:
    """The revised fields as plain JSON: categories by code, organisations by id, sorted."""
    data: dict = {name: getattr(article, name) for name in REVISED_FIELDS[:-2]}
    data["categories"] = sorted(article.categories.values_list("code", flat=True))
    data["organisations"] = sorted(article.organisations.values_list("pk", flat=True))
    return data


def _clean(values: dict) -> dict:
    errors: dict[str, list[str]] = {}
    cleaned = {}
    for name, value in values.items():
        if name not in EDITABLE:
            errors[name] = [_("Unknown field.")]
            continue
        value = "" if value is None else str(value).replace("\x00", "")
        limit = getattr(Article._meta.get_field(name), "max_length", None) or MAX_TEXT_CHARS
        if len(value) > limit:
            errors[name] = [
                _("At most %(limit)s characters (this has %(count)s).")
                % {"limit": limit, "count": len(value)}
            ]
        cleaned[name] = value
    if "kind" in cleaned and cleaned["kind"] not in ArticleKind.values:
        errors["kind"] = [_("Choose an article or a known error.")]
    if "audience" in cleaned and cleaned["audience"] not in Audience.values:
        errors["audience"] = [_("Choose technicians only or the public FAQ.")]
    if errors:
        raise InvalidInput(errors)
    return cleaned


def _check_titles(article: Article) -> None:
    if not (article.title_fr.strip() or article.title_en.strip()):
        raise InvalidInput({"title_fr": [_("Give a title in French, in English, or both.")]})


def _save_revision(article: Article, actor, *, at: datetime, note: str) -> ArticleRevision:
    return ArticleRevision.objects.create(
        article=article,
        number=article.revision,
        data=snapshot(article),
        author=actor,
        note=note[:250],
        created_at=at,
    )


@transaction.atomic
def create_article(
    *,
    actor,
    categories: Iterable = (),
    organisations: Iterable = (),
    status: str = ArticleStatus.DRAFT,
    source_ticket=None,
    note: str = "",
    at: datetime | None = None,
    **values,
) -> Article:
    """A new article from text fields (`title_fr`, `body_en`, `kind`, `audience`...)."""
    require_author(actor)
    at = at or timezone.now()
    if status not in ArticleStatus.values:
        raise InvalidInput({"status": [_("Unknown status.")]})
    article = Article(
        **_clean(values),
        status=status,
        source_ticket=source_ticket,
        created_by=actor,
        created_at=at,
        updated_at=at,
        published_at=at if status == ArticleStatus.PUBLISHED else None,
    )
    _check_titles(article)
    article.save()
    article.categories.set(list(categories))
    article.organisations.set(list(organisations))
    record(article, actor, ArticleEventKind.CREATED, at=at, new=status, note=note)
    _save_revision(article, actor, at=at, note=note)
    return article


@transaction.atomic
def update_article(
    *,
    article: Article,
    actor,
    categories: Iterable | None = None,
    organisations: Iterable | None = None,
    note: str = "",
    at: datetime | None = None,
    **values,
) -> Article:
    """Change some fields; a new revision is kept only when something changed."""
    require_author(actor)
    at = at or timezone.now()
    article = Article.objects.select_for_update().get(pk=article.pk)
    before = snapshot(article)
    for name, value in _clean(values).items():
        setattr(article, name, value)
    _check_titles(article)
    if categories is not None:
        article.categories.set(list(categories))
    if organisations is not None:
        article.organisations.set(list(organisations))
    after = snapshot(article)
    changed = [name for name in REVISED_FIELDS if before[name] != after[name]]
    if not changed:
        return article
    article.revision += 1
    article.updated_at = at
    article.save(update_fields=[*(n for n in changed if n in EDITABLE), "revision", "updated_at"])
    record(
        article,
        actor,
        ArticleEventKind.EDITED,
        at=at,
        field=",".join(changed),
        new=article.revision,
        note=note,
    )
    _save_revision(article, actor, at=at, note=note)
    return article


@transaction.atomic
def set_status(*, article: Article, actor, status: str, note: str = "", at=None) -> Article:
    """Draft, in review, published, archived: only the moves in `choices.TRANSITIONS`."""
    require_author(actor)
    at = at or timezone.now()
    article = Article.objects.select_for_update().get(pk=article.pk)
    old = article.status
    if status == old:
        return article
    if status not in ArticleStatus.values or status not in TRANSITIONS[ArticleStatus(old)]:
        raise Conflict(
            _("An article cannot go from “%(old)s” to “%(new)s”.")
            % {"old": ArticleStatus(old).label, "new": status}
        )
    article.status = status
    article.updated_at = at
    fields = ["status", "updated_at"]
    if status == ArticleStatus.PUBLISHED:
        article.published_at = at
        fields.append("published_at")
    article.save(update_fields=fields)
    record(article, actor, ArticleEventKind.STATUS, at=at, field="status", old=old, new=status,
           note=note)  # fmt: skip
    return article
