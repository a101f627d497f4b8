from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    REQUESTER = "requester", _("Requester")
    TECHNICIAN = "technician", _("Technician")
    SPECIALIST = "specialist", _("Specialist")
    SUPERVISOR = "supervisor", _("Supervisor")
    ADMIN = "admin", _("Administrator")


STAFF_ROLES = frozenset({Role.TECHNICIAN, Role.SPECIALIST, Role.SUPERVISOR, Role.ADMIN})


class OrganisationKind(models.TextChoices):
    COMPANY = "company", _("Company")
    INDIVIDUAL = "individual", _("Individual")


class Language(models.TextChoices):
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")


class SupportLevel(models.IntegerChoices):
    LEVEL_1 = 1, _("Level 1")
    LEVEL_2 = 2, _("Level 2")
    LEVEL_3 = 3, _("Level 3")
