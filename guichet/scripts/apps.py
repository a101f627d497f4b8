from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScriptsConfig(AppConfig):
    name = "guichet.scripts"
    label = "scripts"
    verbose_name = _("Questioning scripts")
