"""The `guichet createuser` and `guichet token create` commands."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from guichet.accounts.actions import authenticate_token
from guichet.accounts.models import Organisation, Team, User


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_it_creates_organisation_and_team_serving_it(db):
    run(
        "createuser",
        "tech",
        "--role",
        "technician",
        "--organisation",
        "Acme",
        "--team",
        "N1",
        "--password",
        "s3cret-pass",
        "--email",
        "t@example.test",
    )
    user = User.objects.get(username="tech")
    team = Team.objects.get(name="N1")
    assert user.role == "technician" and user.check_password("s3cret-pass")
    assert list(team.members.all()) == [user]
    assert list(team.organisations.all()) == [Organisation.objects.get(name="Acme")]


def test_it_reuses_an_existing_team_without_changing_what_it_serves(db):
    run("createuser", "a", "--role", "technician", "--organisation", "Acme", "--team", "N1")
    run("createuser", "b", "--role", "requester", "--organisation", "Globex", "--team", "N1")
    team = Team.objects.get(name="N1")
    assert [o.name for o in team.organisations.all()] == ["Acme"]
    # A requester is a client contact, never a team member.
    assert [u.username for u in team.members.all()] == ["a"]


def test_it_refuses_a_duplicate_username(db):
    run("createuser", "a", "--role", "admin")
    # Commands speak the site language (French by default); the assertion reads English.
    with translation.override("en"), pytest.raises(CommandError, match="taken"):
        run("createuser", "a", "--role", "admin")


def test_token_create_prints_the_token_alone(alice):
    out = run("token", "create", "alice")
    lines = out.splitlines()
    assert len(lines) == 1
    assert authenticate_token(lines[0]) == alice


def test_token_create_for_unknown_user_fails(db):
    with pytest.raises(CommandError, match="nobody"):
        run("token", "create", "nobody")
