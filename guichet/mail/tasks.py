"""Background jobs of the mail room; the periodic ones are scheduled by guichet.worker."""

from django_tasks import task

from guichet.mail.actions import outbound, polling


@task()
def send(message_id: int) -> str:
    """Send one mail, queued by the transaction that caused it."""
    return outbound.send(message_id)


@task()
def send_due() -> int:
    """Retries whose wait is over (every minute)."""
    return outbound.send_due()


@task()
def poll() -> int:
    """Read every IMAP mailbox (every minute)."""
    return polling.poll_all()
