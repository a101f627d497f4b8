"""Files kept with an asset (invoices, photos, configuration backups), checked like a
ticket's: the desk's one size limit, and a content that matches the file's name."""

import mimetypes
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.accounts.access import visible_assets
from guichet.assets.actions.common import record, require_staff
from guichet.assets.choices import AssetEventKind, Source
from guichet.assets.models import Asset, AssetAttachment
from guichet.lib.errors import InvalidInput
from guichet.tickets.actions.conversation import ALLOWED_TYPES, EXTRA_EXTENSIONS

FILENAME_MAX = 200
# Configuration backups of network equipment come as plain text under these names.
EXTENSIONS = {**EXTRA_EXTENSIONS, ".cfg": "text/plain", ".conf": "text/plain"}


def max_bytes() -> int:
    # The same limit as a ticket's files: one setting for what the desk accepts.
    return settings.ATTACHMENT_MAX_BYTES


def _sniff_type(filename: str, head: bytes) -> str | None:
    """The type the name announces, if accepted and the first bytes agree with it."""
    ext = ("." + filename.rsplit(".", 1)[-1].lower()) if "." in filename else ""
    guessed = EXTENSIONS.get(ext) or mimetypes.guess_type(filename)[0]
    if guessed not in ALLOWED_TYPES:
        return None
    magic = ALLOWED_TYPES[guessed]
    if magic is not None and not head.startswith(magic):
        return None
    if magic is None and guessed.startswith("text/") and b"\x00" in head:
        return None
    return guessed


def _clean_name(upload) -> str:
    name = (getattr(upload, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1]
    return name.replace("\x00", "")[:FILENAME_MAX]


@transaction.atomic
def add_attachment(*, asset: Asset, actor, upload, at: datetime | None = None) -> AssetAttachment:
    """Keep a file with the asset; refused whole (no row, no file) if not acceptable. The
    addition is one event of the asset's history."""
    require_staff(actor)
    at = at or timezone.now()
    if not visible_assets(actor).filter(pk=asset.pk).exists():
        raise InvalidInput({"asset": [_("Unknown asset.")]})
    asset = Asset.objects.select_for_update().get(pk=asset.pk)
    filename = _clean_name(upload)
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
    content_type = _sniff_type(filename, head)
    if content_type is None:
        raise InvalidInput({"file": [_("This kind of file is not accepted.")]})
    attachment = AssetAttachment(
        asset=asset,
        filename=filename,
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor,
        created_at=at,
    )
    attachment.file.save(filename, upload, save=False)
    try:
        attachment.save()
        record(asset, actor, AssetEventKind.CHANGED, source=Source.UI, at=at,
               field="attachment", new=filename)  # fmt: skip
    except Exception:
        # No row, no file: a failed save must not leave an orphan in storage.
        attachment.file.delete(save=False)
        raise
    return attachment
