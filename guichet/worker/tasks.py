"""Background jobs that look after the installation itself."""

from django_tasks import task

from guichet.lib.db import refresh_planner_statistics


@task()
def refresh_statistics() -> bool:
    return refresh_planner_statistics()
