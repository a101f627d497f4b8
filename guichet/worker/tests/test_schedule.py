"""Periodic jobs are enqueued exactly once per due time, however many workers run."""

from datetime import timedelta

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from guichet.worker import schedule
from guichet.worker.models import PeriodicJob


def test_it_enqueues_every_due_job_once(db):
    now = timezone.now()
    first = schedule.tick(now)
    second = schedule.tick(now)  # a second worker at the same instant
    assert sorted(first) == sorted(job.name for job in schedule.JOBS)
    assert second == []
    assert DBTaskResult.objects.count() == len(schedule.JOBS)


def test_it_enqueues_again_when_the_next_run_is_due(db):
    now = timezone.now()
    schedule.tick(now)
    later = now + timedelta(minutes=1, seconds=1)
    # The jobs that run every minute.
    assert schedule.tick(later) == [
        "tickets.wake_pending",
        "sla.escalate",
        "mail.poll",
        "mail.send_due",
    ]
    job = PeriodicJob.objects.get(name="tickets.wake_pending")
    assert job.next_run_at == later + timedelta(minutes=1)


def test_a_worker_stopped_for_hours_runs_a_job_once_on_restart(db):
    now = timezone.now()
    schedule.tick(now)
    DBTaskResult.objects.all().delete()
    schedule.tick(now + timedelta(hours=7))
    # Missed runs are not replayed one by one: the job catches up in a single run.
    assert DBTaskResult.objects.count() == len(schedule.JOBS)


def test_planner_statistics_are_refreshed(db):
    from django.db import connection

    from guichet.lib.db import refresh_planner_statistics
    from guichet.worker.tasks import refresh_statistics

    ran = refresh_statistics.call()
    assert ran == (connection.vendor == "sqlite") == refresh_planner_statistics()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
            assert cursor.fetchone()[0] == 1
