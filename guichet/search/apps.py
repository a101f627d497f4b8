from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "guichet.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self):
        from django.db.models.signals import post_migrate

        from guichet.search.indexes import repair_sqlite_triggers

        # Not business logic: the full-text triggers must follow table rebuilds (see indexes).
        post_migrate.connect(repair_sqlite_triggers, sender=self)
