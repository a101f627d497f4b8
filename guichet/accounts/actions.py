"""Verbs for people, organisations, teams and tokens."""

import secrets

from django.db import transaction
from django.utils.translation import gettext as _

from guichet.accounts.choices import Role
from guichet.accounts.models import ApiToken, Organisation, Team, User
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
) -> User:
    """Create a user; the organisation and team are created when they do not exist yet, and a
    team created here serves that organisation."""
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
        is_org_manager=is_org_manager,
    )
    if password:
        user.set_password(password)
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


def authenticate_token(key: str) -> User | None:
    """The active user behind a bearer key, or None."""
    if not key or len(key) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.hash_key(key), user__is_active=True)
        .first()
    )
    return token.user if token else None
