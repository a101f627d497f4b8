"""People, the organisations they belong to, the teams that serve them, and API tokens."""

import hashlib

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from guichet.accounts.choices import STAFF_ROLES, Language, OrganisationKind, Role, SupportLevel


class Organisation(models.Model):
    """A client: a company with sites, or an individual served as a one-person client."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=OrganisationKind.choices, default=OrganisationKind.COMPANY
    )
    email_domain = models.CharField(_("email domain"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.FRENCH
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Location(models.Model):
    """A site of an organisation (an office, a shop, a home address)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="locations"
    )
    name = models.CharField(_("name"), max_length=200)
    address = models.TextField(_("address"), blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="location_unique_name")
        ]
        verbose_name = _("location")
        verbose_name_plural = _("locations")

    def __str__(self) -> str:
        return f"{self.organisation.name} – {self.name}"


class User(AbstractUser):
    """Anyone who signs in: a client's contact (requester) or a member of the support staff.

    Requesters double as the organisation's contacts: name, email and phones are what phone
    intake searches when a caller rings.
    """

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.REQUESTER)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="members",
        null=True,
        blank=True,
    )
    location = models.ForeignKey(
        Location, verbose_name=_("location"), on_delete=models.SET_NULL, null=True, blank=True
    )
    is_org_manager = models.BooleanField(_("sees all the organisation's tickets"), default=False)
    phone = models.CharField(_("phone"), max_length=40, blank=True, db_index=True)
    mobile = models.CharField(_("mobile"), max_length=40, blank=True, db_index=True)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.FRENCH
    )

    objects = UserManager()  # type: ignore[misc]

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        indexes = [
            models.Index(fields=["last_name", "first_name"], name="user_name_idx"),
            # The mail channel finds a sender's contact by address, whatever its case.
            models.Index(Lower("email"), name="user_email_idx"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_support_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN or self.is_superuser

    @property
    def is_supervisor(self) -> bool:
        return self.role in (Role.SUPERVISOR, Role.ADMIN) or self.is_superuser


class Team(models.Model):
    """A group of technicians at one support level, serving some client organisations."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    level = models.PositiveSmallIntegerField(
        _("support level"), choices=SupportLevel.choices, default=SupportLevel.LEVEL_1
    )
    skills = models.CharField(
        _("skills"), max_length=300, blank=True, help_text=_("Comma-separated keywords.")
    )
    members = models.ManyToManyField(User, related_name="teams", blank=True)
    organisations = models.ManyToManyField(Organisation, related_name="teams", blank=True)

    class Meta:
        ordering = ["level", "name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name

    @property
    def skill_list(self) -> list[str]:
        return [s.strip() for s in self.skills.split(",") if s.strip()]


class ApiToken(models.Model):
    """A bearer token for the API. Only a hash is stored; the key is shown once at creation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()
