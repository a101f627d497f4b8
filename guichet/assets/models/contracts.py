"""Contracts with suppliers that cover assets: maintenance, warranty extensions, leasing,
support."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from guichet.assets.choices import ContractKind


class Contract(models.Model):
    """A supplier's contract over a period, with the assets it covers. The worker alerts
    the staff `alert_days` before it ends (`assets.tasks`)."""

    kind = models.CharField(_("type"), max_length=20, choices=ContractKind.choices)
    name = models.CharField(_("name"), max_length=200)
    number = models.CharField(_("contract number"), max_length=100, blank=True)
    supplier = models.ForeignKey(
        "assets.Supplier",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contracts",
        verbose_name=_("supplier"),
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="asset_contracts",
        verbose_name=_("organisation"),
    )
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"))
    notice_days = models.PositiveIntegerField(_("notice period (days)"), default=0)
    alert_days = models.PositiveIntegerField(_("alert before the end (days)"), default=30)
    price = models.DecimalField(_("price"), max_digits=12, decimal_places=2, null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    assets = models.ManyToManyField(
        "assets.Asset", related_name="contracts", blank=True, verbose_name=_("assets")
    )
    # The end date an alert was sent for: moving the end date re-arms the alert.
    alerted_for = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["ends_on", "name"]
        indexes = [models.Index(fields=["ends_on"], name="contract_ends_idx")]
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")

    def __str__(self) -> str:
        return self.name
