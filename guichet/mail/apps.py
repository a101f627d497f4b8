from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailConfig(AppConfig):
    name = "guichet.mail"
    label = "mail"
    verbose_name = _("Mail")

    def ready(self):
        from guichet.lib import refcache
        from guichet.mail.actions import notifications
        from guichet.mail.models import Mailbox
        from guichet.notifications import channels
        from guichet.tickets import hooks

        # Requesters hear of their tickets by mail; staff get their in-app notifications by
        # mail too. Both are explicit registrations, called inside the verbs' transactions.
        hooks.on_event(notifications.on_event)
        channels.register(notifications.on_notified)
        # Mailboxes are reference data; a poll's bookkeeping does not make them stale.
        refcache.watch(
            refcache.Watch(
                Mailbox._meta.db_table, ignore=("polling_until", "last_polled_at", "last_error")
            )
        )
