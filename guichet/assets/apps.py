from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssetsConfig(AppConfig):
    name = "guichet.assets"
    label = "assets"
    verbose_name = _("Assets")

    def ready(self):
        from django.db.models.signals import post_migrate

        from guichet.assets.catalogue import MEMO_WATCHES
        from guichet.assets.models import Manufacturer
        from guichet.assets.text_index import repair
        from guichet.lib import refcache

        # Not business logic: the text index's triggers must follow table rebuilds.
        post_migrate.connect(repair, sender=self)
        refcache.watch(
            *(
                refcache.Watch(model._meta.db_table, events=events)
                for model, events in MEMO_WATCHES
            ),
            refcache.Watch(Manufacturer._meta.db_table),  # the list's makers
        )
