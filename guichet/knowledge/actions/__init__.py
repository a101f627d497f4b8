"""The knowledge base's verbs: the only code that writes articles, their history and links."""

from guichet.knowledge.actions.articles import create_article, set_status, update_article
from guichet.knowledge.actions.files import add_attachment
from guichet.knowledge.actions.usage import deflect, draft_from_ticket, link_ticket, vote

__all__ = [
    "add_attachment",
    "create_article",
    "deflect",
    "draft_from_ticket",
    "link_ticket",
    "set_status",
    "update_article",
    "vote",
]
