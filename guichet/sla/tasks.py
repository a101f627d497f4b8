"""Background jobs of the service contracts room; the periodic one is scheduled by
guichet.worker."""

from django_tasks import task

from guichet.sla.actions import clocks, escalation


@task()
def escalate() -> int:
    """Fire the escalation steps that are due (every minute)."""
    return escalation.run_escalations()


@task()
def recompute_open_tickets() -> int:
    """Recompute open tickets' clocks after a calendar, contract or OLA changed."""
    return clocks.refresh_open_tickets()
