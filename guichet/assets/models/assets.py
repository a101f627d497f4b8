"""Assets: every machine or device a client owns, its components and its history."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guichet.assets.choices import (
    AssetEventKind,
    AssetKind,
    AssetState,
    AssetSubtype,
    ComponentKind,
    Source,
)


class Manufacturer(models.Model):
    """A maker of hardware, under one normalised name ("HP" for "Hewlett-Packard")."""

    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("manufacturer")
        verbose_name_plural = _("manufacturers")

    def __str__(self) -> str:
        return self.name


class Supplier(models.Model):
    """Who sold an asset or a licence, or holds a contract."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")

    def __str__(self) -> str:
        return self.name


class Asset(models.Model):
    """A computer, monitor, printer, peripheral, network device, phone or other item."""

    kind = models.CharField(_("type"), max_length=20, choices=AssetKind.choices)
    subtype = models.CharField(
        _("subtype"), max_length=20, choices=AssetSubtype.choices, blank=True
    )
    name = models.CharField(_("name"), max_length=200)
    inventory_number = models.CharField(_("inventory number"), max_length=60, blank=True)
    serial = models.CharField(_("serial number"), max_length=100, blank=True)
    uuid = models.CharField(_("UUID"), max_length=64, blank=True)
    manufacturer = models.ForeignKey(
        Manufacturer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("manufacturer"),
    )
    model = models.CharField(_("model"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="assets",
        verbose_name=_("organisation"),
    )
    location = models.ForeignKey(
        "accounts.Location",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assets",
        verbose_name=_("location"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assets",
        verbose_name=_("assigned user"),
    )
    state = models.CharField(
        _("state"), max_length=20, choices=AssetState.choices, default=AssetState.IN_USE
    )
    state_since = models.DateField(_("in this state since"))
    purchase_date = models.DateField(_("purchase date"), null=True, blank=True)
    supplier = models.ForeignKey(
        Supplier,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assets",
        verbose_name=_("supplier"),
    )
    purchase_price = models.DecimalField(
        _("purchase price"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    invoice_reference = models.CharField(_("invoice reference"), max_length=100, blank=True)
    warranty_end = models.DateField(_("warranty end"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    custom_fields = models.JSONField(_("custom fields"), default=dict, blank=True)
    # Phones.
    extension = models.CharField(_("extension"), max_length=20, blank=True)
    imei = models.CharField(_("IMEI"), max_length=20, blank=True)
    line_number = models.CharField(_("line number"), max_length=40, blank=True)
    # Computers, as the inventory agent last reported them.
    os_name = models.CharField(_("operating system"), max_length=200, blank=True)
    os_version = models.CharField(_("OS version"), max_length=100, blank=True)
    os_arch = models.CharField(_("architecture"), max_length=30, blank=True)
    domain = models.CharField(_("domain"), max_length=200, blank=True)
    last_user = models.CharField(_("last user seen"), max_length=200, blank=True)
    memory_mb = models.PositiveIntegerField(_("memory (MB)"), null=True, blank=True)
    device_id = models.CharField(_("agent device id"), max_length=200, blank=True)
    last_inventory_at = models.DateTimeField(_("last inventory"), null=True, blank=True)
    # The sections of the last full inventory and a digest of each, so that an unchanged
    # re-inventory is recognised without reading the components or the software.
    inventory_digests = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("asset")
        verbose_name_plural = _("assets")
        constraints = [
            models.UniqueConstraint(
                fields=["inventory_number"],
                condition=~Q(inventory_number=""),
                name="asset_inventory_number_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "kind", "-id"], name="asset_org_kind_idx"),
            models.Index(fields=["kind", "-id"], name="asset_kind_idx"),
            models.Index(fields=["state", "-id"], name="asset_state_idx"),
            models.Index(fields=["serial"], name="asset_serial_idx"),
            models.Index(fields=["uuid"], name="asset_uuid_idx"),
            models.Index(fields=["organisation", "name"], name="asset_org_name_idx"),
            models.Index(fields=["name"], name="asset_name_idx"),
            models.Index(fields=["user"], name="asset_user_idx"),
            models.Index(fields=["location"], name="asset_location_idx"),
            models.Index(fields=["device_id"], name="asset_device_idx"),
            models.Index(fields=["warranty_end"], name="asset_warranty_idx"),
            models.Index(fields=["last_inventory_at"], name="asset_last_inventory_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def reference(self) -> str:
        return self.inventory_number or f"AS-{self.pk}"


class Component(models.Model):
    """A part inside an asset as its agent reports it (processor, memory, disk, volume,
    network interface, monitor, battery). Present ones only: a removed part is deleted and the
    removal kept as an event. Its last sighting is the asset's last inventory."""

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="components")
    kind = models.CharField(max_length=20, choices=ComponentKind.choices)
    identity = models.CharField(max_length=200)
    label = models.CharField(max_length=255, blank=True)
    size = models.BigIntegerField(null=True, blank=True)
    free = models.BigIntegerField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)
    first_seen = models.DateTimeField()

    class Meta:
        ordering = ["asset", "kind", "identity"]
        constraints = [
            models.UniqueConstraint(
                fields=["asset", "kind", "identity"], name="component_unique_identity"
            )
        ]
        # MAC addresses find machines during reconciliation.
        indexes = [models.Index(fields=["kind", "identity"], name="component_identity_idx")]

    def __str__(self) -> str:
        return self.label or self.identity


class AssetEvent(models.Model):
    """One change to an asset: who (or which agent), when, what, old → new. Component
    changes that deserve a look (memory removed, disk replaced) are flagged until someone
    reviews them."""

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.UI)
    kind = models.CharField(max_length=20, choices=AssetEventKind.choices)
    field = models.CharField(max_length=50, blank=True)
    old_value = models.TextField(blank=True)
    new_value = models.TextField(blank=True)
    note = models.TextField(blank=True)
    # An agent's facts (`assets.event_words`), worded when shown; a person's note is `note`.
    details = models.JSONField(null=True, blank=True)
    flagged = models.BooleanField(default=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["asset", "created_at", "id"]
        indexes = [
            models.Index(fields=["asset", "-id"], name="asset_event_asset_idx"),
            models.Index(
                fields=["-id"],
                condition=Q(flagged=True, reviewed_at__isnull=True),
                name="asset_event_flagged_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.asset_id} {self.kind}"

    def note_text(self) -> str:
        """The note in the reader's language: worded from `details`, or as it was typed."""
        if self.details:
            from guichet.assets.event_words import note

            return note(self.kind, self.details)
        return self.note


def asset_attachment_path(instance: "AssetAttachment", filename: str) -> str:
    return f"assets/{instance.asset_id}/{filename}"


class AssetAttachment(models.Model):
    """A file kept with an asset (invoice, photo, configuration backup)."""

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=asset_attachment_path, max_length=300)
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.filename


class TicketAsset(models.Model):
    """A ticket about an asset."""

    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.CASCADE, related_name="asset_links"
    )
    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="ticket_links")
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ticket", "asset"], name="ticket_asset_unique")
        ]
        indexes = [models.Index(fields=["asset", "-ticket"], name="ticket_asset_asset_idx")]

    def __str__(self) -> str:
        return f"#{self.ticket_id} → {self.asset_id}"


class AssetView(models.Model):
    """A named asset list filter a user keeps (the query string of the list page)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="asset_views"
    )
    name = models.CharField(_("name"), max_length=100)
    query = models.CharField(_("filters"), max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="asset_view_unique_name")
        ]
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")

    def __str__(self) -> str:
        return self.name
