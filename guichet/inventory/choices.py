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


class ConflictReason(models.TextChoices):
    """Why an inventory was kept for a human; stored as a code, worded when shown."""

    AGENT_MACHINE = (
        "agent_machine",
        _(
            "The agent's machine reports another serial number or UUID than the asset it "
            "inventoried before."
        ),
    )
    SEVERAL = "several", _("Several assets match.")
    OTHER_ORGANISATION = (
        "other_organisation",
        _("The matching asset belongs to another organisation."),
    )
    MAC_SERIAL = "mac_serial", _("The MAC addresses match an asset with another serial number.")


class ConflictResolution(models.TextChoices):
    ATTACHED = "attached", _("Attached to an asset")
    CREATED = "created", _("Asset created")
    DISMISSED = "dismissed", _("Dismissed")
