"""Knowledge base: articles and known errors, each in French and English, with their history."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from guichet.knowledge.choices import ArticleEventKind, ArticleKind, ArticleStatus, Audience


def attachment_path(instance, filename: str) -> str:
    return f"knowledge/{instance.article_id}/{uuid.uuid4().hex}"


class Article(models.Model):
    """One article (or known error) with both language versions side by side.

    Either version may be empty ("missing"): an article written in French only shows as such to
    an English reader. A known error also fills in symptom, cause, workaround and solution.
    The current text is here; every saved state is an `ArticleRevision`.
    """

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(
        _("kind"), max_length=20, choices=ArticleKind.choices, default=ArticleKind.ARTICLE
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT
    )
    audience = models.CharField(
        _("audience"), max_length=20, choices=Audience.choices, default=Audience.INTERNAL
    )
    title_fr = models.CharField(_("title (French)"), max_length=250, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=250, blank=True)
    body_fr = models.TextField(_("text (French)"), blank=True)
    body_en = models.TextField(_("text (English)"), blank=True)
    symptom_fr = models.TextField(_("symptom (French)"), blank=True)
    symptom_en = models.TextField(_("symptom (English)"), blank=True)
    cause_fr = models.TextField(_("cause (French)"), blank=True)
    cause_en = models.TextField(_("cause (English)"), blank=True)
    workaround_fr = models.TextField(_("workaround (French)"), blank=True)
    workaround_en = models.TextField(_("workaround (English)"), blank=True)
    solution_fr = models.TextField(_("definitive solution (French)"), blank=True)
    solution_en = models.TextField(_("definitive solution (English)"), blank=True)
    keywords = models.CharField(_("keywords"), max_length=500, blank=True)
    software = models.CharField(_("affected software"), max_length=500, blank=True)
    categories = models.ManyToManyField(
        "tickets.Category", blank=True, related_name="articles", verbose_name=_("categories")
    )
    # A public article shown to these clients only; none means every client.
    organisations = models.ManyToManyField(
        "accounts.Organisation",
        blank=True,
        related_name="articles",
        verbose_name=_("organisations"),
    )
    revision = models.PositiveIntegerField(_("revision"), default=1)
    source_ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Kept by the actions that change them, so lists and ranking never count rows.
    helpful_count = models.PositiveIntegerField(default=0)
    unhelpful_count = models.PositiveIntegerField(default=0)
    solved_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [
            models.Index(fields=["status", "audience", "-updated_at"], name="article_status_idx"),
            models.Index(fields=["kind", "status"], name="article_kind_idx"),
            models.Index(fields=["-updated_at"], name="article_updated_idx"),
            # The staff list filters on each of these and always shows the newest edits first.
            models.Index(fields=["kind", "-updated_at"], name="article_kind_updated_idx"),
            models.Index(fields=["audience", "-updated_at"], name="article_audience_idx"),
            # "Missing English/French version": partial indexes hold only the articles lacking
            # one, so the filter reads a small index in date order instead of the whole table.
            models.Index(
                fields=["-updated_at"],
                condition=models.Q(title_en=""),
                name="article_missing_en_idx",
            ),
            models.Index(
                fields=["-updated_at"],
                condition=models.Q(title_fr=""),
                name="article_missing_fr_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def text(self, name: str, language: str | None = None) -> str:
        """A translated field in the reader's language, falling back to the other one."""
        first = (language or get_language() or "fr")[:2]
        other = "en" if first == "fr" else "fr"
        return getattr(self, f"{name}_{first}", "") or getattr(self, f"{name}_{other}", "")

    def has_language(self, language: str) -> bool:
        return bool(getattr(self, f"title_{language}", ""))

    @property
    def title(self) -> str:
        return self.text("title") or f"#{self.pk}"

    @property
    def is_known_error(self) -> bool:
        return self.kind == ArticleKind.KNOWN_ERROR


class ArticleRevision(models.Model):
    """A saved state of an article: every field in `choices.REVISED_FIELDS`, who, when."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    data = models.JSONField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    note = models.CharField(_("change note"), max_length=250, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["article", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="article_revision_unique")
        ]

    def __str__(self) -> str:
        return f"{self.article_id} r{self.number}"


class ArticleEvent(models.Model):
    """One change to an article: creation, edit (naming the revision), status, file, link."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=ArticleEventKind.choices)
    # The names of the fields an edit changed, comma-separated (all of them fit).
    field = models.CharField(max_length=500, blank=True)
    old_value = models.TextField(blank=True)
    new_value = models.TextField(blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["article", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.article_id} {self.kind}"


class ArticleAttachment(models.Model):
    """An image or file of an article; its Markdown refers to it as `attachment:<id>`."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=300)
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["article", "id"]

    def __str__(self) -> str:
        return self.filename


class ArticleVote(models.Model):
    """Helpful or not, one per person and article (a second vote replaces the first)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    helpful = models.BooleanField()
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], name="article_vote_unique")
        ]

    def __str__(self) -> str:
        return f"{self.article_id} {self.user_id} {self.helpful}"


class ArticleTicket(models.Model):
    """An article used on a ticket; `solved` when it solved it ("used to solve N tickets")."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="ticket_links")
    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.CASCADE, related_name="article_links"
    )
    solved = models.BooleanField(default=False)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "ticket"], name="article_ticket_unique")
        ]
        indexes = [models.Index(fields=["ticket"], name="article_ticket_ticket_idx")]

    def __str__(self) -> str:
        return f"{self.article_id} → #{self.ticket_id}"


class Deflection(models.Model):
    """A requester said an article solved their problem before submitting: no ticket opened."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="deflections")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    query = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.article_id} {self.user_id}"
