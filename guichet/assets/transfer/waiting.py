"""Uploaded CSV files waiting between the dry run of an import and its "Import": kept in
storage under a random name, deleted when applied, replaced, or left too long."""

import secrets
from datetime import datetime, timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

FOLDER = "asset-imports"
KEPT = timedelta(days=1)  # an import not applied within a day is uploaded again


def keep(content: bytes) -> tuple[str, str]:
    """(storage name, token) of a file kept for its import."""
    token = secrets.token_hex(16)
    return default_storage.save(f"{FOLDER}/{token}.csv", ContentFile(content)), token


def forget(name: str) -> None:
    if name.startswith(f"{FOLDER}/"):
        default_storage.delete(name)


def purge(now: datetime | None = None) -> int:
    """Delete the files left longer than `KEPT`; returns how many."""
    now = now or timezone.now()
    if not default_storage.exists(FOLDER):
        return 0
    deleted = 0
    for filename in default_storage.listdir(FOLDER)[1]:
        name = f"{FOLDER}/{filename}"
        try:
            if now - default_storage.get_modified_time(name) > KEPT:
                default_storage.delete(name)
                deleted += 1
        except FileNotFoundError:  # applied meanwhile
            continue
    return deleted
