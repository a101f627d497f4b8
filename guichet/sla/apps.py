from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SlaConfig(AppConfig):
    name = "guichet.sla"
    label = "sla"
    verbose_name = _("Service contracts")

    def ready(self):
        from guichet.lib import refcache
        from guichet.sla.actions import clocks
        from guichet.tickets import hooks

        # Each ticket's clocks follow its history, in the transaction of the change.
        hooks.on_opened(clocks.on_opened)
        hooks.on_changed(clocks.on_changed)
        from guichet.sla.models import (
            BusinessRange,
            Calendar,
            CalendarVersion,
            ClosureDay,
            Contract,
            EscalationStep,
            Target,
            TeamTarget,
        )

        # Calendars and contracts are reference data: every clock reads them (see
        # guichet.lib.refcache).
        models = (
            Calendar,
            CalendarVersion,
            BusinessRange,
            ClosureDay,
            Contract,
            Target,
            TeamTarget,
            EscalationStep,
        )
        refcache.watch(
            *(refcache.Watch(model._meta.db_table) for model in models),
            refcache.Watch(Contract.pausing_reasons.through._meta.db_table),
        )
