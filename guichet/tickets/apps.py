from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "guichet.tickets"
    label = "tickets"
    verbose_name = _("Tickets")

    def ready(self):
        from guichet.tickets.search import repair_sqlite_triggers

        # Schema upkeep, not business logic: SQLite table rebuilds drop the search triggers.
        post_migrate.connect(repair_sqlite_triggers, sender=self)
