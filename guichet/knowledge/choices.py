"""The knowledge base's fixed lists."""

from django.db import models
from django.utils.translation import gettext_lazy as _

LANGUAGES = ("fr", "en")


class ArticleKind(models.TextChoices):
    ARTICLE = "article", _("Article")
    KNOWN_ERROR = "known_error", _("Known error")


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("In review")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class Audience(models.TextChoices):
    INTERNAL = "internal", _("Technicians only")
    PUBLIC = "public", _("Public FAQ (portal)")


# Allowed moves between states; anything else is a Conflict.
TRANSITIONS = {
    ArticleStatus.DRAFT: {ArticleStatus.REVIEW, ArticleStatus.PUBLISHED, ArticleStatus.ARCHIVED},
    ArticleStatus.REVIEW: {ArticleStatus.DRAFT, ArticleStatus.PUBLISHED, ArticleStatus.ARCHIVED},
    ArticleStatus.PUBLISHED: {ArticleStatus.DRAFT, ArticleStatus.ARCHIVED},
    ArticleStatus.ARCHIVED: {ArticleStatus.DRAFT, ArticleStatus.PUBLISHED},
}


class ArticleEventKind(models.TextChoices):
    CREATED = "created", _("Created")
    EDITED = "edited", _("Edited")
    STATUS = "status", _("Status changed")
    ATTACHMENT = "attachment", _("Attachment")
    LINKED = "linked", _("Linked to a ticket")
    IMPORTED = "imported", _("Imported")


# The translated text fields; each exists as <name>_fr and <name>_en on Article.
TEXT_FIELDS = ("title", "body", "symptom", "cause", "workaround", "solution")
# Fields only a known error fills in.
KNOWN_ERROR_FIELDS = ("symptom", "cause", "workaround", "solution")
# Everything a revision records, in a stable order (diffs and exports follow it).
REVISED_FIELDS = (
    *(f"{name}_{lang}" for name in TEXT_FIELDS for lang in LANGUAGES),
    "kind",
    "audience",
    "keywords",
    "software",
    "categories",
    "organisations",
)
