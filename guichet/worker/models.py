"""Schedule of periodic jobs, shared by every worker process."""

from django.db import models


class PeriodicJob(models.Model):
    """When a periodic job is next due. Workers claim a run with a conditional UPDATE, so with
    several workers on several machines each run is enqueued exactly once."""

    name = models.CharField(max_length=100, unique=True)
    next_run_at = models.DateTimeField()
    last_run_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
