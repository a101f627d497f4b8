"""Read IMAP mailboxes: each message is ingested (and committed) before it is flagged or moved
on the server, so a crash in between only means reading it again, which ingestion
recognises by its Message-ID."""

import logging
import ssl
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from guichet.lib.crypto import Undecryptable, decrypt
from guichet.mail.actions.ingest import ingest
from guichet.mail.imap import ImapError, ImapSettings, open_session
from guichet.mail.models import Mailbox

logger = logging.getLogger("guichet.mail")

LEASE = timedelta(minutes=10)
# Flag on the server every so many messages: a long first poll makes progress that lasts.
MARK_EVERY = 50


def imap_settings(mailbox: Mailbox) -> ImapSettings:
    try:
        password = decrypt(mailbox.imap_password)
    except Undecryptable:
        raise ImapError(
            "The stored password cannot be decrypted (the secret key changed): enter it again."
        ) from None
    return ImapSettings(
        host=mailbox.imap_host,
        port=mailbox.imap_port,
        security=mailbox.imap_security,
        username=mailbox.imap_username,
        password=password,
        folder=mailbox.imap_folder or "INBOX",
        done_folder=mailbox.imap_done_folder,
        ssl_context=(
            ssl.create_default_context(cafile=settings.IMAP_CA_FILE)
            if settings.IMAP_CA_FILE
            else None
        ),
    )


def _claim(mailbox: Mailbox, now: datetime) -> bool:
    """One worker polls a mailbox at a time; a lease, so a dead worker's claim runs out."""
    free = Q(polling_until__isnull=True) | Q(polling_until__lt=now)
    return Mailbox.objects.filter(free, pk=mailbox.pk).update(polling_until=now + LEASE) == 1


def poll_mailbox(mailbox: Mailbox, *, limit: int = 5000, now: datetime | None = None) -> int:
    """Ingest what waits in the mailbox; returns how many messages were processed."""
    now = now or timezone.now()
    if not _claim(mailbox, now):
        return 0
    processed, error = 0, ""
    try:
        with open_session(imap_settings(mailbox)) as session:
            done: list[int] = []
            for uid, raw in session.fetch(session.pending_uids()[:limit]):
                ingest(raw=raw, mailbox=mailbox)
                done.append(uid)
                processed += 1
                if len(done) >= MARK_EVERY:
                    session.mark_done(done)
                    done = []
            if done:
                session.mark_done(done)
    except ImapError as failure:
        error = str(failure)
        logger.warning("Mailbox %s: %s", mailbox.name, error)
    finally:
        Mailbox.objects.filter(pk=mailbox.pk).update(
            polling_until=None, last_polled_at=timezone.now(), last_error=error
        )
    return processed


def poll_all() -> int:
    mailboxes = Mailbox.objects.filter(active=True).exclude(imap_host="")
    return sum(poll_mailbox(mailbox) for mailbox in mailboxes)
