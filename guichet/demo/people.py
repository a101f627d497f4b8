"""The demo's people: an IT services company (five teams, fifteen technicians, a supervisor and
an administrator) serving three client companies and a dozen individuals (data in `cast.py`).
"""

import unicodedata
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from guichet.accounts import actions
from guichet.accounts.choices import Language, OrganisationKind, Role
from guichet.accounts.models import Organisation, Team, User
from guichet.demo.cast import (
    COMPANIES,
    INDIVIDUAL_TEAMS,
    INDIVIDUALS,
    INDIVIDUALS_WEIGHT,
    PASSWORD,
    STAFF,
    STAFF_DOMAIN,
    TEAMS,
)


@dataclass
class Client:
    """An organisation as the ticket generator sees it."""

    organisation: Organisation
    contacts: list[User]
    weight: float
    teams: list[str]

    @property
    def language(self) -> str:
        return self.organisation.language


@dataclass
class Cast:
    teams: dict[str, Team]
    members: dict[str, list[User]]  # team key -> technicians and specialists (no supervisor)
    supervisor: User
    admin: User
    clients: list[Client]


def _ensure_user(username: str, password_hash: str, **fields) -> User:
    existing = User.objects.filter(username=username).first()
    if existing is not None:
        return existing  # refresh: people already there are left as they are
    return actions.create_user(username=username, password_hash=password_hash, **fields)


def _ensure_organisation(name: str, **fields) -> Organisation:
    return Organisation.objects.filter(name=name).first() or actions.create_organisation(
        name=name, **fields
    )


def _ensure_location(organisation: Organisation, name: str, address: str):
    return organisation.locations.filter(name=name).first() or actions.create_location(
        organisation=organisation, name=name, address=address
    )


@transaction.atomic
def ensure_cast() -> Cast:
    """Create whatever part of the cast is missing; never duplicates anyone."""
    password_hash = make_password(PASSWORD)  # hashed once: the same for every demo login
    team_names = {key: name for key, name, *_rest in TEAMS}
    staff: dict[str, User] = {}
    for username, first, last, role, team_keys, language in STAFF:
        main_team = team_names[team_keys[0]] if team_keys else ""
        staff[username] = _ensure_user(
            username,
            password_hash,
            role=role,
            first_name=first,
            last_name=last,
            email=f"{_ascii(first)[0]}.{_ascii(last)}@{STAFF_DOMAIN}",
            language=language,
            # Someone recreated after the teams exist joins their main team again (create_user
            # would otherwise make a team of that name with default settings).
            team_name=main_team if Team.objects.filter(name=main_team).exists() else "",
        )
    clients: list[Client] = []
    for company in COMPANIES:
        organisation = _ensure_organisation(
            company.name,
            kind=OrganisationKind.COMPANY,
            language=company.language,
            email_domain=company.domain,
            phone=company.phone,
            notes=company.notes,
        )
        sites = [_ensure_location(organisation, n, a) for n, a in company.sites]
        contacts = [
            _ensure_user(
                username,
                password_hash,
                role=Role.REQUESTER,
                first_name=first,
                last_name=last,
                email=f"{_ascii(first)}.{_ascii(last)}@{company.domain}",
                organisation_name=organisation.name,
                location=sites[site],
                phone=phone,
                mobile=mobile,
                language=company.language,
                is_org_manager=manager,
            )
            for username, first, last, _job, site, phone, mobile, manager in company.contacts
        ]
        clients.append(Client(organisation, contacts, company.weight, company.teams))
    share = INDIVIDUALS_WEIGHT / len(INDIVIDUALS)
    for username, first, last, address, phone, mobile, language in INDIVIDUALS:
        organisation = _ensure_organisation(
            f"{first} {last}",
            kind=OrganisationKind.INDIVIDUAL,
            language=language,
            phone=phone or mobile,
            notes="Particulier – services à la personne (crédit d'impôt 50 %)."
            if language == Language.FRENCH
            else "Private client – home IT assistance.",
        )
        home = _ensure_location(
            organisation, "Domicile" if language == Language.FRENCH else "Home", address
        )
        person = _ensure_user(
            username,
            password_hash,
            role=Role.REQUESTER,
            first_name=first,
            last_name=last,
            email=f"{_ascii(first)}.{_ascii(last)}@particulier.example",
            organisation_name=organisation.name,
            location=home,
            phone=phone,
            mobile=mobile,
            language=language,
        )
        clients.append(Client(organisation, [person], share, INDIVIDUAL_TEAMS))

    teams: dict[str, Team] = {}
    for key, name, level, skills in TEAMS:
        team = Team.objects.filter(name=name).first()
        if team is None:
            team = actions.create_team(
                name=name,
                level=level,
                skills=skills,
                organisations=[c.organisation for c in clients if key in c.teams],
                members=[staff[s[0]] for s in STAFF if key in s[4]],
            )
        teams[key] = team
    members = {
        key: [staff[s[0]] for s in STAFF if key in s[4] and s[3] != Role.SUPERVISOR]
        for key, *_rest in TEAMS
    }
    return Cast(teams, members, staff["superviseur"], staff["admin"], clients)


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in plain.lower() if c.isalnum() or c == "-")


LOGINS = [
    ("supervisor", "superviseur"),
    ("technician", "tech1 … tech15"),
    ("requester", f"client1 ({COMPANIES[0].name})"),
    ("individual client", "particulier1"),
    ("admin", "admin"),
]
