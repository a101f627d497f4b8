"""What the knowledge screens share: who is staff here, reading an article through the access
door, and the per-language pieces an article page shows."""

from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from guichet.accounts.access import article_or_404, is_staff_member
from guichet.knowledge.choices import KNOWN_ERROR_FIELDS, LANGUAGES, ArticleStatus
from guichet.knowledge.forms import TEXT_LABELS
from guichet.knowledge.models import Article, ArticleVote

# The label of the button that moves an article to each state.
MOVE_LABELS = {
    ArticleStatus.REVIEW: _("Submit for review"),
    ArticleStatus.PUBLISHED: _("Publish"),
    ArticleStatus.DRAFT: _("Back to draft"),
    ArticleStatus.ARCHIVED: _("Archive"),
}
MISSING = {"en": _("No English version yet."), "fr": _("No French version yet.")}
VERSION_TITLES = {"en": _("English version"), "fr": _("French version")}


def staff_only(user) -> None:
    """The staff screens answer 404 to anyone else: requesters read the FAQ."""
    if not is_staff_member(user):
        raise Http404


def staff_article(request, pk) -> Article:
    staff_only(request.user)
    return article_or_404(request.user, pk, Article.objects.select_related("created_by"))


def reader_languages() -> list[str]:
    """The reader's language first, then the other one."""
    first = (get_language() or "fr")[:2]
    first = first if first in LANGUAGES else "fr"
    return [first, *(lang for lang in LANGUAGES if lang != first)]


def versions(article: Article) -> list[dict]:
    """Each language version, the reader's first: present or not, and its known-error parts."""
    found = []
    for language in reader_languages():
        found.append(
            {
                "language": language,
                "heading": VERSION_TITLES[language],
                "present": article.has_language(language),
                "missing": MISSING[language],
                "title": getattr(article, f"title_{language}"),
                "parts": [
                    (name, TEXT_LABELS[name])
                    for name in KNOWN_ERROR_FIELDS
                    if getattr(article, f"{name}_{language}")
                ]
                if article.is_known_error
                else [],
            }
        )
    return found


def article_context(request, article: Article) -> dict:
    """What the staff page and the FAQ page both show of an article."""
    vote = ArticleVote.objects.filter(article=article, user=request.user).first()
    return {
        "article": article,
        "versions": versions(article),
        "categories": list(article.categories.select_related("parent")),
        "attachments": {item.pk: item for item in article.attachments.all()},
        "my_vote": None if vote is None else vote.helpful,
    }


def error_text(error) -> str:
    """An action's refusal as one sentence (an `InvalidInput` without its field names)."""
    errors = getattr(error, "errors", None)
    if errors:
        return " ".join(message for messages in errors.values() for message in messages)
    return error.message
