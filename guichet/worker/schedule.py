"""The periodic jobs and the scheduler loop that enqueues them on the task queue.

The queue itself is django-tasks with its database backend; this only decides *when* to
enqueue. Each job lives in its own room's `tasks.py`.
"""

import logging
import threading
from dataclasses import dataclass
from datetime import timedelta

from django.db import close_old_connections
from django.utils import timezone
from django.utils.module_loading import import_string

from guichet.worker.models import PeriodicJob

logger = logging.getLogger("guichet.worker")


@dataclass(frozen=True)
class Job:
    name: str
    task: str  # dotted path to a django-tasks Task
    every: timedelta


JOBS = [
    Job("tickets.wake_pending", "guichet.tickets.tasks.wake_pending", timedelta(minutes=1)),
    Job("tickets.autoclose", "guichet.tickets.tasks.autoclose", timedelta(minutes=15)),
    Job("sla.escalate", "guichet.sla.tasks.escalate", timedelta(minutes=1)),
    Job("mail.poll", "guichet.mail.tasks.poll", timedelta(minutes=1)),
    Job("mail.send_due", "guichet.mail.tasks.send_due", timedelta(minutes=1)),
    Job("database.statistics", "guichet.worker.tasks.refresh_statistics", timedelta(hours=6)),
    Job("assets.contract_alerts", "guichet.assets.tasks.alert_contracts", timedelta(hours=1)),
    Job("assets.purge_imports", "guichet.assets.tasks.purge_imports", timedelta(hours=1)),
]


def claim(job: Job, now) -> bool:
    """Take this run of the job, or learn that another worker already did."""
    PeriodicJob.objects.get_or_create(name=job.name, defaults={"next_run_at": now})
    taken = PeriodicJob.objects.filter(name=job.name, next_run_at__lte=now).update(
        next_run_at=now + job.every, last_run_at=now
    )
    return taken == 1


def tick(now=None) -> list[str]:
    """Enqueue every job that is due; returns the names enqueued by this process."""
    now = now or timezone.now()
    enqueued = []
    for job in JOBS:
        if claim(job, now):
            import_string(job.task).enqueue()
            enqueued.append(job.name)
    return enqueued


def run_forever(stop: threading.Event, interval: float = 10.0) -> None:
    while not stop.is_set():
        try:
            close_old_connections()
            tick()
        except Exception:  # keep the scheduler alive; the failure is logged and retried
            logger.exception("Periodic scheduling failed")
        finally:
            close_old_connections()
        stop.wait(interval)
