"""Questioning scripts' fixed lists."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class NodeKind(models.TextChoices):
    QUESTION = "question", _("Question")
    INSTRUCTION = "instruction", _("Instruction")
    CHECK = "check", _("Check")
    OUTCOME = "outcome", _("Outcome")


class RunChannel(models.TextChoices):
    INTAKE = "intake", _("Phone intake")
    TICKET = "ticket", _("Ticket page")
    PORTAL = "portal", _("Portal self-diagnosis")


class RunStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Outcome reached")
    ABANDONED = "abandoned", _("Abandoned")
