"""Files kept with an asset (invoices, photos, configuration backups), checked like a
ticket's: the desk's one size limit, and a content that matches the file's name."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.accounts.access import visible_assets
from guichet.assets.actions.common import record, require_staff
from guichet.assets.choices import AssetEventKind, Source
from guichet.assets.models import Asset, AssetAttachment
from guichet.lib.errors import InvalidInput
from guichet.lib.uploads import checked_upload
from guichet.tickets.actions.conversation import EXTRA_EXTENSIONS

# Configuration backups of network equipment come as plain text under these names.
EXTENSIONS = {**EXTRA_EXTENSIONS, ".cfg": "text/plain", ".conf": "text/plain"}


@transaction.atomic
def add_attachment(*, asset: Asset, actor, upload, at: datetime | None = None) -> AssetAttachment:
    """Keep a file with the asset; refused whole (no row, no file) if not acceptable. The
    addition is one event of the asset's history."""
    require_staff(actor)
    at = at or timezone.now()
    if not visible_assets(actor).filter(pk=asset.pk).exists():
        raise InvalidInput({"asset": [_("Unknown asset.")]})
    asset = Asset.objects.select_for_update().get(pk=asset.pk)
    filename, content_type = checked_upload(upload, EXTENSIONS)
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


@transaction.atomic
def remove_attachment(*, attachment: AssetAttachment, actor, at: datetime | None = None) -> None:
    """Delete a file kept with an asset: one event of its history. The stored file goes once
    the deletion is committed, so a rollback leaves both row and file."""
    require_staff(actor)
    at = at or timezone.now()
    if not visible_assets(actor).filter(pk=attachment.asset_id).exists():
        raise InvalidInput({"asset": [_("Unknown asset.")]})
    asset = Asset.objects.select_for_update().get(pk=attachment.asset_id)
    attachment = AssetAttachment.objects.select_for_update().get(pk=attachment.pk)
    record(asset, actor, AssetEventKind.CHANGED, source=Source.UI, at=at,
           field="attachment", old=attachment.filename)  # fmt: skip
    stored, storage = attachment.file.name or "", attachment.file.storage
    attachment.delete()
    if stored:
        transaction.on_commit(lambda: storage.delete(stored))
