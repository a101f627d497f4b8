"""Background jobs of the tickets room; the periodic ones are scheduled by guichet.worker."""

from django_tasks import task

from guichet.tickets import actions


@task()
def wake_pending() -> int:
    return actions.wake_pending_tickets()


@task()
def autoclose() -> int:
    return actions.close_solved_tickets()
