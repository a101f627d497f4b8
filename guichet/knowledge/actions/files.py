"""Files of an article: checked like a ticket's (size, content matching the name)."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from guichet.knowledge.actions.articles import record, require_author
from guichet.knowledge.choices import ArticleEventKind
from guichet.knowledge.models import Article, ArticleAttachment
from guichet.lib.uploads import checked_upload

# Shown in the page (Markdown `![alt](attachment:ID)`); every other type is only downloaded.
# No SVG or HTML: a file displayed by the browser must not be able to run a script.
INLINE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}


@transaction.atomic
def add_attachment(*, article, actor, upload, at: datetime | None = None) -> ArticleAttachment:
    """Keep an image or file on the article; refused whole (no row, no file) if not acceptable."""
    require_author(actor)
    at = at or timezone.now()
    article = Article.objects.select_for_update().get(pk=article.pk)
    filename, content_type = checked_upload(upload)
    attachment = ArticleAttachment(
        article=article,
        filename=filename,
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor,
        created_at=at,
    )
    attachment.file.save(filename, upload, save=False)
    try:
        attachment.save()
        record(article, actor, ArticleEventKind.ATTACHMENT, at=at, field="file", new=filename)
    except Exception:
        # No row, no file: a failed save must not leave an orphan in storage.
        attachment.file.delete(save=False)
        raise
    return attachment
