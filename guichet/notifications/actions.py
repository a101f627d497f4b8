"""Notification verbs. Called from other rooms' actions, inside their transaction."""

from collections.abc import Iterable

from django.utils import timezone

from guichet.notifications import channels
from guichet.notifications.models import Notification


def notify(*, users: Iterable, kind: str, message: str, ticket=None) -> int:
    rows = [
        Notification(user=u, kind=kind, message=message[:500], ticket=ticket)
        for u in {u.pk: u for u in users if u is not None}.values()
    ]
    Notification.objects.bulk_create(rows)
    if rows:
        channels.deliver(rows)
    return len(rows)


def mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    queryset = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        queryset = queryset.filter(pk__in=list(ids))
    return queryset.update(read_at=timezone.now())
