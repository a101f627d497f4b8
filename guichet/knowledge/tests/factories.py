"""Small factory functions for the knowledge base, through the real actions."""

from guichet.knowledge import actions
from guichet.knowledge.choices import ArticleStatus, Audience


def make_article(author, *, title: str = "Printer jams", status=ArticleStatus.DRAFT, **values):
    values.setdefault("title_en", title)
    return actions.create_article(actor=author, status=status, **values)


def make_faq(author, *, title: str = "Reset your password", organisations=(), **values):
    """A published public article (the portal's FAQ)."""
    return make_article(
        author,
        title=title,
        status=ArticleStatus.PUBLISHED,
        audience=Audience.PUBLIC,
        organisations=organisations,
        **values,
    )
