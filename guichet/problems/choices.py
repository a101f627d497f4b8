"""The problems' fixed lists (ITIL problem management)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProblemStatus(models.TextChoices):
    NEW = "new", _("New")
    ANALYSING = "analysing", _("Analysing")
    KNOWN_ERROR = "known_error", _("Known error")
    SOLVED = "solved", _("Solved")
    CLOSED = "closed", _("Closed")


OPEN_PROBLEM_STATUSES = (ProblemStatus.NEW, ProblemStatus.ANALYSING, ProblemStatus.KNOWN_ERROR)

TRANSITIONS = {
    ProblemStatus.NEW: {ProblemStatus.ANALYSING, ProblemStatus.KNOWN_ERROR, ProblemStatus.SOLVED,
                        ProblemStatus.CLOSED},
    ProblemStatus.ANALYSING: {ProblemStatus.KNOWN_ERROR, ProblemStatus.SOLVED,
                              ProblemStatus.CLOSED},
    ProblemStatus.KNOWN_ERROR: {ProblemStatus.ANALYSING, ProblemStatus.SOLVED,
                                ProblemStatus.CLOSED},
    ProblemStatus.SOLVED: {ProblemStatus.ANALYSING, ProblemStatus.CLOSED},
    ProblemStatus.CLOSED: {ProblemStatus.ANALYSING},
}  # fmt: skip


class ProblemEventKind(models.TextChoices):
    CREATED = "created", _("Created")
    CHANGED = "changed", _("Field changed")
    STATUS = "status", _("Status changed")
    LINKED = "linked", _("Incident linked")
    UNLINKED = "unlinked", _("Incident unlinked")
    KNOWN_ERROR = "known_error", _("Published as a known error")
