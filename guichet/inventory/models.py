"""Inventory agents, the keys that tie them to organisations, the rules that route and
reconcile their inventories, and the conflicts left for a human."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from guichet.inventory.choices import (
    ConflictReason,
    ConflictResolution,
    ConflictStatus,
    Criterion,
    Protocol,
)


class InventoryKey(models.Model):
    """An organisation's secret for its agents' URL (`/inventory/o/<key>/`) or their HTTP
    basic auth password: agents posting with it are tied to that organisation."""

    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="inventory_key"
    )
    key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.organisation_id}"


class Agent(models.Model):
    """An agent installation, known by the device id it sends."""

    device_id = models.CharField(_("device id"), max_length=200, unique=True)
    protocol = models.CharField(_("protocol"), max_length=10, choices=Protocol.choices)
    version = models.CharField(_("agent version"), max_length=100, blank=True)
    tag = models.CharField(_("tag"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="agents",
        verbose_name=_("organisation"),
    )
    asset = models.ForeignKey(
        "assets.Asset",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agents",
        verbose_name=_("asset"),
    )
    remote_address = models.GenericIPAddressField(null=True, blank=True)
    first_contact_at = models.DateTimeField()
    last_contact_at = models.DateTimeField()
    last_inventory_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-last_contact_at"]
        verbose_name = _("inventory agent")
        verbose_name_plural = _("inventory agents")

    def __str__(self) -> str:
        return self.device_id


class TagRule(models.Model):
    """ACCOUNTINFO TAG → organisation (and location), first matching rule wins. The pattern
    is an exact tag or a shell-style pattern (`PARIS-*`)."""

    position = models.PositiveIntegerField(_("order"), default=0)
    pattern = models.CharField(_("tag pattern"), max_length=200)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("organisation"),
    )
    location = models.ForeignKey(
        "accounts.Location",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("location"),
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("tag rule")
        verbose_name_plural = _("tag rules")

    def __str__(self) -> str:
        return self.pattern


class ReconciliationRule(models.Model):
    """One way to recognise a machine already known, tried in order (editable)."""

    position = models.PositiveIntegerField(_("order"), default=0)
    criterion = models.CharField(
        _("criterion"), max_length=20, choices=Criterion.choices, unique=True
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("reconciliation rule")
        verbose_name_plural = _("reconciliation rules")

    def __str__(self) -> str:
        return self.criterion


class Conflict(models.Model):
    """An inventory that matched several assets, or matched one in a way that contradicts
    another rule: kept whole for a human to attach or create, never merged silently."""

    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="conflicts")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, null=True, related_name="+"
    )
    # Codes, worded in the reader's language when shown (`reason_text`).
    reason = models.CharField(max_length=30, choices=ConflictReason.choices)
    criterion = models.CharField(max_length=20, choices=Criterion.choices, blank=True)
    candidates = models.ManyToManyField("assets.Asset", related_name="+")
    # The normalised inventory (`inventory.normal.Inventory` as JSON), applied on resolution.
    document = models.JSONField()
    status = models.CharField(
        max_length=20, choices=ConflictStatus.choices, default=ConflictStatus.OPEN
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.CharField(max_length=20, choices=ConflictResolution.choices, blank=True)
    resolved_asset = models.ForeignKey(
        "assets.Asset", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["status", "-id"], name="conflict_status_idx")]
        verbose_name = _("inventory conflict")
        verbose_name_plural = _("inventory conflicts")

    def __str__(self) -> str:
        return f"{self.agent_id}: {self.reason}"

    def reason_text(self) -> str:
        if self.reason == ConflictReason.SEVERAL and self.criterion in Criterion.values:
            label = Criterion(self.criterion).label
            return gettext("Several assets match by %(criterion)s.") % {"criterion": label}
        return str(ConflictReason(self.reason).label) if self.reason else ""

    def resolution_text(self) -> str:
        """What was done, naming the asset (needs `resolved_asset` loaded to avoid a query)."""
        asset = self.resolved_asset
        if self.resolution == ConflictResolution.ATTACHED and asset is not None:
            return gettext("Attached to %(asset)s.") % {"asset": asset.reference}
        if self.resolution == ConflictResolution.CREATED and asset is not None:
            return gettext("Created %(asset)s.") % {"asset": asset.reference}
        return str(ConflictResolution(self.resolution).label) if self.resolution else ""
