"""Verbs for people, organisations, teams and tokens."""

import secrets
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.accounts.choices import Language, OrganisationKind, Role, SupportLevel
from guichet.accounts.models import ApiToken, Location, Organisation, Team, User
from guichet.accounts.queries import token_by_hash, user_by_id
from guichet.lib.errors import InvalidInput


@transaction.atomic
def create_user(
    *,
    username: str,
    role: str,
    email: str = "",
    password: str | None = None,
    organisation_name: str = "",
    team_name: str = "",
    first_name: str = "",
    last_name: str = "",
    language: str = "fr",
    phone: str = "",
    is_org_manager: bool = False,
    mobile: str = "",
    location: Location | None = None,
    password_hash: str = "",
) -> User:
    """Create a user; the organisation and team are created when they do not exist yet, and a
    team created here serves that organisation.

    `password_hash` (from `make_password`) lets a bulk load hash a shared password once instead
    of once per user, which costs about half a second each with the production hasher."""
    errors: dict = {}
    if role not in Role.values:
        errors["role"] = _("Must be one of: %(values)s.") % {"values": ", ".join(Role.values)}
    if not username or len(username) > 150:
        errors["username"] = _("Between 1 and 150 characters.")
    elif User.objects.filter(username=username).exists():
        errors["username"] = _("This username is taken.")
    if errors:
        raise InvalidInput(errors)
    organisation = None
    if organisation_name:
        organisation, _created = Organisation.objects.get_or_create(name=organisation_name)
    user = User(
        username=username,
        email=email,
        role=role,
        organisation=organisation,
        first_name=first_name,
        last_name=last_name,
        language=language,
        phone=phone,
        mobile=mobile,
        location=location,
        is_org_manager=is_org_manager,
    )
    if password:
        user.set_password(password)
    elif password_hash:
        user.password = password_hash
    else:
        user.set_unusable_password()
    user.save()
    if team_name:
        team, created = Team.objects.get_or_create(name=team_name)
        if created and organisation is not None:
            team.organisations.add(organisation)
        if role != Role.REQUESTER:
            team.members.add(user)
    return user


def _check_name(errors: dict, value: str, limit: int) -> str:
    value = (value or "").strip()
    if not value or len(value) > limit:
        errors["name"] = _("Between 1 and %(n)d characters.") % {"n": limit}
    return value


@transaction.atomic
def create_organisation(
    *,
    name: str,
    kind: str = OrganisationKind.COMPANY,
    language: str = Language.FRENCH,
    email_domain: str = "",
    phone: str = "",
    notes: str = "",
) -> Organisation:
    """Add a client: a company, or an individual served as a one-person organisation."""
    errors: dict = {}
    name = _check_name(errors, name, 200)
    if kind not in OrganisationKind.values:
        errors["kind"] = _("Must be one of: %(values)s.") % {
            "values": ", ".join(OrganisationKind.values)
        }
    if language not in Language.values:
        errors["language"] = _("Must be one of: %(values)s.") % {
            "values": ", ".join(Language.values)
        }
    if "name" not in errors and Organisation.objects.filter(name=name).exists():
        errors["name"] = _("An organisation with this name exists.")
    if errors:
        raise InvalidInput(errors)
    return Organisation.objects.create(
        name=name,
        kind=kind,
        language=language,
        email_domain=email_domain,
        phone=phone,
        notes=notes,
    )


@transaction.atomic
def create_contact(
    *, email: str, name: str = "", organisation: Organisation | None = None, language: str = ""
) -> User:
    """A requester known only by an address (someone who wrote to the desk). Without an
    organisation, the person becomes an individual client: a one-person organisation."""
    email = email.strip().lower()
    if "@" not in email or len(email) > 254:
        raise InvalidInput({"email": _("Enter a valid email address.")})
    first, _space, last = (name.strip() or email.split("@", 1)[0]).partition(" ")
    if organisation is None:
        label = f"{name.strip()} <{email}>" if name.strip() else email
        organisation = Organisation.objects.create(
            name=_unique_organisation_name(label[:200]),
            kind=OrganisationKind.INDIVIDUAL,
            language=language if language in Language.values else Language.FRENCH,
        )
    username = email[:150]
    suffix = 1
    while User.objects.filter(username=username).exists():
        suffix += 1
        username = f"{email[:140]}.{suffix}"
    user = User(
        username=username,
        email=email,
        role=Role.REQUESTER,
        organisation=organisation,
        first_name=first[:150],
        last_name=last[:150],
        language=language if language in Language.values else organisation.language,
    )
    user.set_unusable_password()
    user.save()
    return user


def _unique_organisation_name(name: str) -> str:
    candidate, n = name, 1
    while Organisation.objects.filter(name=candidate).exists():
        n += 1
        candidate = f"{name[:190]} ({n})"
    return candidate


@transaction.atomic
def create_location(*, organisation: Organisation, name: str, address: str = "") -> Location:
    """Add a site (an office, a warehouse, a home address) to an organisation."""
    errors: dict = {}
    name = _check_name(errors, name, 200)
    if "name" not in errors and organisation.locations.filter(name=name).exists():
        errors["name"] = _("This organisation already has a location with this name.")
    if errors:
        raise InvalidInput(errors)
    return Location.objects.create(organisation=organisation, name=name, address=address)


@transaction.atomic
def create_team(
    *,
    name: str,
    level: int = SupportLevel.LEVEL_1,
    skills: str = "",
    organisations=(),
    members=(),
) -> Team:
    """Add a team at a support level, serving `organisations`, with `members` (staff only)."""
    errors: dict = {}
    name = _check_name(errors, name, 100)
    if level not in SupportLevel.values:
        errors["level"] = _("Must be one of: %(values)s.") % {
            "values": ", ".join(str(v) for v in SupportLevel.values)
        }
    if "name" not in errors and Team.objects.filter(name=name).exists():
        errors["name"] = _("A team with this name exists.")
    if any(not member.is_support_staff for member in members):
        errors["members"] = _("Only members of the support staff can join a team.")
    if errors:
        raise InvalidInput(errors)
    team = Team.objects.create(name=name, level=level, skills=skills[:300])
    team.organisations.add(*organisations)
    team.members.add(*members)
    return team


@transaction.atomic
def create_token(*, user: User, name: str = "") -> tuple[ApiToken, str]:
    """Make a new API token; the clear key is returned once and never stored."""
    key = "gch_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name[:100], prefix=key[4:12], key_hash=ApiToken.hash_key(key)
    )
    return token, key


@transaction.atomic
def revoke_token(*, user: User, token_id: int) -> bool:
    deleted, _rows = ApiToken.objects.filter(user=user, pk=token_id).delete()
    return deleted > 0


# How precisely a token's last use is recorded: a busy client does not write on every request.
TOKEN_USE_PRECISION = timedelta(minutes=1)


def authenticate_token(key: str) -> User | None:
    """The active user behind a bearer key, or None."""
    if not key or len(key) > 200:
        return None
    tokens = token_by_hash(ApiToken.hash_key(key))
    if not tokens:
        return None
    token = tokens[0]
    found = user_by_id(token.user_id)
    if not found or not found[0].is_active:
        return None
    now = timezone.now()
    stale = now - TOKEN_USE_PRECISION
    if token.last_used_at is None or token.last_used_at < stale:
        # At most one write a minute per token, and the condition in the UPDATE makes
        # concurrent requests with the same token write once between them.
        ApiToken.objects.filter(pk=token.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lt=stale)
        ).update(last_used_at=now)
    return found[0]
