"""The knowledge base's verbs: the only code that writes articles, their history and links."""

from guichet.knowledge.actions.articles import create_article, set_status, update_article

__all__ = ["create_article", "set_status", "update_article"]
