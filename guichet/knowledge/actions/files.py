"""Files of an article: checked like a ticket's (size, content matching the name)."""

import mimetypes
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.knowledge.actions.articles import record, require_author
from guichet.knowledge.choices import ArticleEventKind
from guichet.knowledge.models import Article, ArticleAttachment
from guichet.lib.errors import InvalidInput
from guichet.tickets.actions.conversation import ALLOWED_TYPES, EXTRA_EXTENSIONS

# Shown in the page (Markdown `![alt](attachment:ID)`); every other type is only downloaded.
# No SVG or HTML: a file displayed by the browser must not be able to run a script.
INLINE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}


def sniff_type(filename: str, head: bytes) -> str | None:
    """The type the name announces, if accepted and the first bytes agree with it."""
    ext = ("." + filename.rsplit(".", 1)[-1].lower()) if "." in filename else ""
    guessed = EXTRA_EXTENSIONS.get(ext) or mimetypes.guess_type(filename)[0]
    if guessed not in ALLOWED_TYPES:
        return None
    magic = ALLOWED_TYPES[guessed]
    if magic is not None and not head.startswith(magic):
        return None
    if magic is None and b"\x00" in head and guessed.startswith("text/"):
        return None
    return guessed


def max_bytes() -> int:
    # The same limit as a ticket's files: one setting for what the desk accepts.
    return settings.ATTACHMENT_MAX_BYTES


@transaction.atomic
def add_attachment(*, article, actor, upload, at: datetime | None = None) -> ArticleAttachment:
    """Keep an image or file on the article; refused whole (no row, no file) if not acceptable."""
    require_author(actor)
    at = at or timezone.now()
    article = Article.objects.select_for_update().get(pk=article.pk)
    filename = (getattr(upload, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1][:200]
    filename = filename.replace("\x00", "")
    if not filename or filename.startswith("."):
        raise InvalidInput({"file": [_("The file needs a name.")]})
    limit = max_bytes()
    if upload.size > limit:
        raise InvalidInput(
            {"file": [_("The file is larger than %(mb).1f MB.") % {"mb": limit / 1024 / 1024}]}
        )
    if upload.size == 0:
        raise InvalidInput({"file": [_("The file is empty.")]})
    upload.seek(0)
    head = upload.read(512)
    upload.seek(0)
    content_type = sniff_type(filename, head)
    if content_type is None:
        raise InvalidInput({"file": [_("This kind of file is not accepted.")]})
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
