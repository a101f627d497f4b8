"""The inventory room's fixed lists."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Protocol(models.TextChoices):
    OCS = "ocs", _("OCS / FusionInventory XML")
    GLPI = "glpi", _("GLPI Agent JSON")


class Criterion(models.TextChoices):
    """What a reconciliation rule compares, tried in the rules' order."""

    UUID_SERIAL = "uuid_serial", _("UUID and serial number")
    SERIAL = "serial", _("Serial number")
    MAC = "mac", _("MAC addresses")
    NAME = "name", _("Name within the organisation")


DEFAULT_RULES = (Criterion.UUID_SERIAL, Criterion.SERIAL, Criterion.MAC, Criterion.NAME)


class ConflictStatus(models.TextChoices):
    OPEN = "open", _("To resolve")
    RESOLVED = "resolved", _("Resolved")
    DISMISSED = "dismissed", _("Dismissed")
