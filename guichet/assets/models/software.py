"""The software catalogue (publishers, products, versions, and the dictionary that maps what
agents report to them), what is installed where, and the licences that entitle it."""

from django.conf import settings
from django.db import models
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from guichet.assets.choices import LicenceKind


class Publisher(models.Model):
    """A software publisher under one normalised name."""

    name = models.CharField(_("name"), max_length=200, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("publisher")
        verbose_name_plural = _("publishers")

    def __str__(self) -> str:
        return self.name


class Product(models.Model):
    """A software product ("Microsoft 365 Apps", "Firefox"), whatever its versions."""

    publisher = models.ForeignKey(
        Publisher,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="products",
        verbose_name=_("publisher"),
    )
    name = models.CharField(_("name"), max_length=255)
    # Hidden products (system libraries, updates) stay out of reports and lists by default.
    hidden = models.BooleanField(_("hidden from reports"), default=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            # A product without publisher is unique by name too (NULLs would all differ).
            models.UniqueConstraint(
                Coalesce("publisher", Value(0)), "name", name="product_unique_name"
            )
        ]
        verbose_name = _("software product")
        verbose_name_plural = _("software products")

    def __str__(self) -> str:
        return self.name


class SoftwareVersion(models.Model):
    """One version of a product."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="versions")
    version = models.CharField(_("version"), max_length=100, blank=True)

    class Meta:
        ordering = ["product", "version"]
        constraints = [
            models.UniqueConstraint(fields=["product", "version"], name="version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.product} {self.version}".strip()


class SoftwareAlias(models.Model):
    """The dictionary: a raw (name, publisher) as agents report it → a product. Keys are
    folded (`assets.catalogue.fold`) so case and spacing do not matter. Entries are created
    automatically for names seen first; an administrator can point them elsewhere."""

    raw_name = models.CharField(max_length=255)
    raw_publisher = models.CharField(max_length=200, blank=True)
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="aliases")
    edited = models.BooleanField(default=False)  # set by hand: never rewritten automatically

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["raw_name", "raw_publisher"], name="alias_unique")
        ]
        verbose_name = _("software dictionary entry")
        verbose_name_plural = _("software dictionary")

    def __str__(self) -> str:
        return f"{self.raw_name} → {self.product_id}"


class Installation(models.Model):
    """A version of a product installed on an asset. Present ones only: the last sighting is
    the asset's last inventory, a removal is an event."""

    asset = models.ForeignKey(
        "assets.Asset", on_delete=models.CASCADE, related_name="installations"
    )
    # The product is kept beside the version so compliance counts without a join.
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey(
        SoftwareVersion, on_delete=models.PROTECT, related_name="installations"
    )
    installed_on = models.DateField(null=True, blank=True)
    first_seen = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["asset", "version"], name="installation_unique")
        ]
        indexes = [models.Index(fields=["product", "asset"], name="installation_product_idx")]

    def __str__(self) -> str:
        return f"{self.asset_id}: {self.version_id}"


class ProductUsage(models.Model):
    """How many active machines (`choices.ACTIVE_STATES`) of an organisation have a product
    installed, any version: what licence compliance counts against the seats. Derived from
    the installations, kept in the same transaction by the verbs that change them, a machine's
    state or its organisation (`assets.usage`), so that compliance reads a thousand rows
    instead of grouping tens of millions of installations."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    machines = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["product", "organisation"], name="product_usage_unique")
        ]
        indexes = [models.Index(fields=["organisation", "product"], name="product_usage_org_idx")]

    def __str__(self) -> str:
        return f"{self.product_id} in {self.organisation_id}: {self.machines}"


class Licence(models.Model):
    """An entitlement to use a product in an organisation."""

    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="licences", verbose_name=_("product")
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="licences",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=LicenceKind.choices)
    seats = models.PositiveIntegerField(
        _("seats"), null=True, blank=True, help_text=_("Empty for a site licence.")
    )
    # Encrypted at rest (`lib.crypto`); shown only to those allowed (`assets.access`).
    key_encrypted = models.TextField(blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    supplier = models.ForeignKey(
        "assets.Supplier",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="licences",
        verbose_name=_("supplier"),
    )
    purchase_price = models.DecimalField(
        _("purchase price"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["organisation", "product"], name="licence_org_product_idx")]
        verbose_name = _("licence")
        verbose_name_plural = _("licences")

    def __str__(self) -> str:
        return self.name


class LicenceAssignment(models.Model):
    """A seat of a licence given to a machine (per device) or a person (per user)."""

    licence = models.ForeignKey(Licence, on_delete=models.CASCADE, related_name="assignments")
    asset = models.ForeignKey(
        "assets.Asset",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="licence_assignments",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="licence_assignments",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    assigned_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(asset__isnull=False, user__isnull=True)
                | models.Q(asset__isnull=True, user__isnull=False),
                name="licence_assignment_one_target",
            ),
            models.UniqueConstraint(fields=["licence", "asset"], name="licence_asset_unique"),
            models.UniqueConstraint(fields=["licence", "user"], name="licence_user_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.licence_id} → {self.asset_id or self.user_id}"
