from django.db import models
from django.utils.translation import gettext_lazy as _


class TargetKind(models.TextChoices):
    OWN = "own", _("Time to own")
    RESOLVE = "resolve", _("Time to resolve")
    NEXT_RESPONSE = "next_response", _("Time between updates")
    INTERVENE = "intervene", _("Time to intervene on site")


class ReopenRule(models.TextChoices):
    CONTINUE = "continue", _("The resolution clock goes on from where it stopped")
    RESTART = "restart", _("The resolution clock starts again from zero")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class ClockKind(models.TextChoices):
    """What a ticket's clocks measure: the contract's targets, and the team's share (OLA)."""

    OWN = "own", _("Time to own")
    RESOLVE = "resolve", _("Time to resolve")
    NEXT_RESPONSE = "next_response", _("Time between updates")
    INTERVENE = "intervene", _("Time to intervene on site")
    OLA = "ola", _("Team's share (OLA)")


class EscalationAction(models.TextChoices):
    NOTIFY_ASSIGNEE = "notify_assignee", _("Notify the assignee")
    NOTIFY_SUPERVISOR = "notify_supervisor", _("Notify the supervisor (hierarchical escalation)")
    REASSIGN = "reassign", _("Hand over to a team (functional escalation)")
    RAISE_PRIORITY = "raise_priority", _("Raise the priority by one")
    FLAG_MAJOR = "flag_major", _("Flag as a major incident")
