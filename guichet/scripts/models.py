"""Questioning scripts: decision trees a technician (or a requester) follows to find the fault."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from guichet.scripts.choices import RunChannel, RunStatus


class Script(models.Model):
    """A questioning script; its tree lives in versions, `current` is the one that runs."""

    code = models.SlugField(_("code"), max_length=100, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    category = models.ForeignKey(
        "tickets.Category",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("category"),
    )
    active = models.BooleanField(_("active"), default=True)
    in_portal = models.BooleanField(_("offered in the portal as self-diagnosis"), default=False)
    current = models.ForeignKey(
        "ScriptVersion", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["code"]
        verbose_name = _("questioning script")
        verbose_name_plural = _("questioning scripts")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if (get_language() or "fr").startswith("en"):
            return self.name_en or self.name_fr
        return self.name_fr or self.name_en


class ScriptVersion(models.Model):
    """One saved tree, never edited: a run records the version it followed.

    `definition` is {"start": node id, "nodes": {id: node}}; see `scripts.tree` for the shape
    and its validation.
    """

    script = models.ForeignKey(Script, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    definition = models.JSONField()
    note = models.CharField(_("change note"), max_length=250, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["script", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["script", "number"], name="script_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.script_id} v{self.number}"


class ScriptRun(models.Model):
    """One walk through a version: the answers given, in order, and where it ended."""

    version = models.ForeignKey(ScriptVersion, on_delete=models.PROTECT, related_name="runs")
    ticket = models.ForeignKey(
        "tickets.Ticket",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="script_runs",
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=20, choices=RunChannel.choices)
    status = models.CharField(max_length=20, choices=RunStatus.choices, default=RunStatus.RUNNING)
    # [{"node": id, "answer": index or null, "at": ISO time}, ...]: the steps taken.
    path = models.JSONField(default=list)
    node = models.CharField(max_length=100)
    outcome = models.CharField(max_length=100, blank=True)
    # Solved at first contact by the script's outcome (no escalation, no second call).
    solved = models.BooleanField(default=False)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["version", "status"], name="script_run_version_idx")]

    def __str__(self) -> str:
        return f"{self.version_id} {self.status}"
