"""The checks every uploaded file goes through, wherever it is kept (articles, assets): one
size limit for the desk, a name, and a content that matches the type the name announces."""

import mimetypes

from django.conf import settings
from django.utils.translation import gettext as _

from guichet.lib.errors import InvalidInput
from guichet.tickets.actions.conversation import ALLOWED_TYPES, EXTRA_EXTENSIONS

FILENAME_MAX = 200


def max_bytes() -> int:
    # The same limit as a ticket's files: one setting for what the desk accepts.
    return settings.ATTACHMENT_MAX_BYTES


def sniff_type(filename: str, head: bytes, extensions: dict = EXTRA_EXTENSIONS) -> str | None:
    """The type the name announces, if accepted and the first bytes agree with it."""
    ext = ("." + filename.rsplit(".", 1)[-1].lower()) if "." in filename else ""
    guessed = extensions.get(ext) or mimetypes.guess_type(filename)[0]
    if guessed not in ALLOWED_TYPES:
        return None
    magic = ALLOWED_TYPES[guessed]
    if magic is not None and not head.startswith(magic):
        return None
    if magic is None and b"\x00" in head and guessed.startswith("text/"):
        return None
    return guessed


def checked_upload(upload, extensions: dict = EXTRA_EXTENSIONS) -> tuple[str, str]:
    """(file name, content type) of an acceptable upload, else InvalidInput on "file"."""
    filename = (getattr(upload, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1]
    filename = filename[:FILENAME_MAX].replace("\x00", "")
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
    content_type = sniff_type(filename, head, extensions)
    if content_type is None:
        raise InvalidInput({"file": [_("This kind of file is not accepted.")]})
    return filename, content_type
