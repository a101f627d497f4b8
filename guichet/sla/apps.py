from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SlaConfig(AppConfig):
    name = "guichet.sla"
    label = "sla"
    verbose_name = _("Service contracts")

    def ready(self):
        from guichet.lib import refcache
        from guichet.sla.models import (
            BusinessRange,
            Calendar,
            CalendarVersion,
            ClosureDay,
            Contract,
            Target,
        )

        # Calendars and contracts are reference data: every clock reads them (see
        # guichet.lib.refcache).
        models = (Calendar, CalendarVersion, BusinessRange, ClosureDay, Contract, Target)
        refcache.watch(
            *(refcache.Watch(model._meta.db_table) for model in models),
            refcache.Watch(Contract.pausing_reasons.through._meta.db_table),
        )
