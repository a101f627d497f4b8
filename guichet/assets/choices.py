"""The assets' fixed lists."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AssetKind(models.TextChoices):
    COMPUTER = "computer", _("Computer")
    MONITOR = "monitor", _("Monitor")
    PRINTER = "printer", _("Printer")
    PERIPHERAL = "peripheral", _("Peripheral")
    NETWORK = "network", _("Network equipment")
    PHONE = "phone", _("Phone")
    OTHER = "other", _("Other")


class AssetSubtype(models.TextChoices):
    """The finer kind, for computers and phones; blank for the others."""

    DESKTOP = "desktop", _("Desktop")
    LAPTOP = "laptop", _("Laptop")
    SERVER = "server", _("Server")
    VIRTUAL = "virtual", _("Virtual machine")
    DESK_PHONE = "desk_phone", _("Desk IP phone")
    MOBILE = "mobile", _("Mobile phone")
    TABLET = "tablet", _("Tablet")


SUBTYPES = {
    AssetKind.COMPUTER: {AssetSubtype.DESKTOP, AssetSubtype.LAPTOP, AssetSubtype.SERVER,
                         AssetSubtype.VIRTUAL},
    AssetKind.PHONE: {AssetSubtype.DESK_PHONE, AssetSubtype.MOBILE, AssetSubtype.TABLET},
}  # fmt: skip


class AssetState(models.TextChoices):
    IN_STOCK = "in_stock", _("In stock")
    IN_USE = "in_use", _("In use")
    IN_REPAIR = "in_repair", _("In repair")
    ON_LOAN = "on_loan", _("On loan")
    RETIRED = "retired", _("Retired")
    DISPOSED = "disposed", _("Disposed")


# Retired and disposed machines stay in the records but leave the fleet's figures.
ACTIVE_STATES = (AssetState.IN_STOCK, AssetState.IN_USE, AssetState.IN_REPAIR, AssetState.ON_LOAN)


class Source(models.TextChoices):
    """Where a change came from."""

    UI = "ui", _("Web interface")
    API = "api", _("API")
    AGENT = "agent", _("Inventory agent")
    IMPORT = "import", _("CSV import")
    TICKET = "ticket", _("Ticket")


class AssetEventKind(models.TextChoices):
    CREATED = "created", _("Created")
    CHANGED = "changed", _("Field changed")
    STATE = "state", _("State changed")
    COMPONENT_ADDED = "component_added", _("Component added")
    COMPONENT_REMOVED = "component_removed", _("Component removed")
    COMPONENT_CHANGED = "component_changed", _("Component changed")
    SOFTWARE = "software", _("Software changed")
    INCOMPLETE = "incomplete", _("Incomplete inventory")
    INVENTORY = "inventory", _("Inventory received")
    TICKET = "ticket", _("Ticket linked")
    LICENCE = "licence", _("Licence assigned")
    CONTRACT = "contract", _("Contract linked")
    NOTE = "note", _("Note")


class CatalogueSubject(models.TextChoices):
    """What a catalogue event is about."""

    PRODUCT = "product", _("Software product")
    ALIAS = "alias", _("Dictionary entry")
    SUPPLIER = "supplier", _("Supplier")
    LICENCE = "licence", _("Licence")
    CONTRACT = "contract", _("Contract")


class CatalogueEventKind(models.TextChoices):
    CREATED = "created", _("Created")
    CHANGED = "changed", _("Field changed")
    MERGED = "merged", _("Merged")
    DELETED = "deleted", _("Deleted")
    SEAT_GIVEN = "seat_given", _("Seat given")
    SEAT_TAKEN = "seat_taken", _("Seat taken back")
    COVERED = "covered", _("Assets covered")


class ComponentKind(models.TextChoices):
    """The same names as the inventory sections (`inventory.normal.SECTIONS`)."""

    CPU = "cpus", _("Processor")
    MEMORY = "memories", _("Memory")
    STORAGE = "storages", _("Disk")
    VOLUME = "volumes", _("Volume")
    NETWORK = "networks", _("Network interface")
    MONITOR = "monitors", _("Monitor")
    BATTERY = "batteries", _("Battery")


class LicenceKind(models.TextChoices):
    PER_DEVICE = "per_device", _("Per device")
    PER_USER = "per_user", _("Per user")
    SITE = "site", _("Site")
    SUBSCRIPTION = "subscription", _("Subscription")


class ContractKind(models.TextChoices):
    MAINTENANCE = "maintenance", _("Maintenance")
    WARRANTY = "warranty", _("Warranty extension")
    LEASING = "leasing", _("Leasing")
    SUPPORT = "support", _("Support")
