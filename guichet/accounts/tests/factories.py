"""Small factory functions for people, organisations and teams."""

import itertools

from guichet.accounts.choices import OrganisationKind, Role
from guichet.accounts.models import Location, Organisation, Team, User

_seq = itertools.count(1)


def make_organisation(name: str | None = None, **fields) -> Organisation:
    return Organisation.objects.create(name=name or f"Org {next(_seq)}", **fields)


def make_individual(name: str | None = None) -> Organisation:
    return make_organisation(name, kind=OrganisationKind.INDIVIDUAL)


def make_location(organisation: Organisation, name: str = "Siège") -> Location:
    return Location.objects.create(organisation=organisation, name=name)


def make_team(name: str | None = None, *, organisations=(), members=(), level: int = 1) -> Team:
    team = Team.objects.create(name=name or f"Team {next(_seq)}", level=level)
    team.organisations.add(*organisations)
    team.members.add(*members)
    return team


def make_user(
    username: str | None = None,
    *,
    role: str = Role.REQUESTER,
    organisation: Organisation | None = None,
    password: str = "password",
    language: str = "en",
    **fields,
) -> User:
    username = username or f"user{next(_seq)}"
    fields.setdefault("first_name", username.capitalize())
    fields.setdefault("last_name", "Test")
    fields.setdefault("email", f"{username}@example.test")
    user = User(
        username=username, role=role, organisation=organisation, language=language, **fields
    )
    user.set_password(password)
    user.save()
    return user


def make_staff(
    username: str | None = None, *, role: str = Role.TECHNICIAN, teams=(), **fields
) -> User:
    user = make_user(username, role=role, **fields)
    for team in teams:
        team.members.add(user)
    return user
