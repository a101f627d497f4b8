from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "guichet.accounts"
    label = "accounts"
    verbose_name = _("People and organisations")

    def ready(self):
        from guichet.accounts.choices import Role
        from guichet.accounts.models import Location, Organisation, Team, User
        from guichet.lib import refcache

        # The lists every staff screen caches (see guichet.lib.refcache): the staff, the
        # teams and whom they serve, the organisations and their sites. Clients' contacts
        # are not cached, so adding one does not make the lists stale, nor does signing in.
        refcache.watch(
            refcache.Watch(
                User._meta.db_table,
                when=f"{{row}}.role <> '{Role.REQUESTER}'",
                ignore=("last_login", "password"),
            ),
            refcache.Watch(Team._meta.db_table),
            refcache.Watch(Team.members.through._meta.db_table),
            refcache.Watch(Team.organisations.through._meta.db_table),
            refcache.Watch(Organisation._meta.db_table),
            refcache.Watch(Location._meta.db_table),
        )
        # Schema upkeep, not business logic: triggers follow the tables after every migrate.
        post_migrate.connect(refcache.install, sender=self, dispatch_uid="refcache-install")
