from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "guichet.tickets"
    label = "tickets"
    verbose_name = _("Tickets")

    def ready(self):
        from guichet.lib import refcache
        from guichet.tickets.models import Category, PendingReason, PriorityRule, SolutionType
        from guichet.tickets.search import repair_sqlite_triggers

        # Reference lists cached by every process (see guichet.lib.refcache).
        refcache.watch(
            *(
                refcache.Watch(model._meta.db_table)
                for model in (Category, PendingReason, SolutionType, PriorityRule)
            )
        )
        # Schema upkeep, not business logic: SQLite table rebuilds drop the search triggers.
        post_migrate.connect(repair_sqlite_triggers, sender=self)
