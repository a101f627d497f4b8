"""The history of what is shared or sits beside the assets: software products and the
dictionary, suppliers, licences and contracts. Who changed what, when, and from where."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guichet.assets.choices import CatalogueEventKind, CatalogueSubject, Source


class CatalogueEvent(models.Model):
    """One change. The subject is named by kind and id, without a foreign key, so that its
    history outlives a deletion or a merge; `label` is its name at the time. Licences and
    contracts carry their organisation, which decides who may read their history."""

    subject = models.CharField(max_length=20, choices=CatalogueSubject.choices)
    subject_id = models.PositiveBigIntegerField()
    label = models.CharField(max_length=255)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.UI)
    kind = models.CharField(max_length=20, choices=CatalogueEventKind.choices)
    field = models.CharField(max_length=50, blank=True)
    old_value = models.TextField(blank=True)
    new_value = models.TextField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["subject", "subject_id", "-id"], name="catalogue_event_idx")
        ]
        verbose_name = _("catalogue event")
        verbose_name_plural = _("catalogue events")

    def __str__(self) -> str:
        return f"{self.subject} {self.subject_id}: {self.kind}"
