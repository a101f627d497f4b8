"""Other ways of delivering in-app notifications (the mail room registers itself here).
Explicit, not signals: `notify` calls each channel inside the caller's transaction."""

from collections.abc import Callable

from guichet.notifications.models import Notification

_channels: list[Callable[[list[Notification]], None]] = []


def register(channel: Callable[[list[Notification]], None]) -> None:
    if channel not in _channels:
        _channels.append(channel)


def deliver(notifications: list[Notification]) -> None:
    for channel in _channels:
        channel(notifications)
