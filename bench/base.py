"""The benchmark's cast: about 60 client organisations, 40 technicians in 8 teams, and a couple
of thousand contacts. Written through the ORM in bulk (a benchmark loader is the one place
that may write models directly); runs inside a configured Django process.

The teams split the clients the way a service desk of this size does: three first-level pods
each serve a third of the clients, two second-level teams each half, and the experts, the
on-site and the network teams serve everyone. The supervisor belongs to every team (the
service reports are read as them, over every client).

Every client is on the default contract (office hours, the seeded targets), to which the base
adds an escalation ladder (`LADDER`), so that clocks have escalation steps ahead of them.
"""

import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction

from guichet.accounts.actions import create_token
from guichet.accounts.choices import OrganisationKind, Role
from guichet.accounts.models import Location, Organisation, Team, User
from guichet.sla.models import Contract, EscalationStep

PASSWORD = "bench"
TECHNICIAN = "bench-tech"  # the technician whose pages are measured (first-level pod A)
REQUESTER = "bench-client"  # the requester who creates tickets through the API
SUPERVISOR = "bench-supervisor"  # who reads the service reports
# The default contract's escalation ladder: (clock, % of its target, action).
LADDER = [
    (kind, percent, action)
    for kind in ("own", "resolve")
    for percent, action in (
        (50, "notify_assignee"),
        (100, "notify_supervisor"),
        (150, "raise_priority"),
    )
]

COMPANY_KINDS = [
    "Cabinet", "Transports", "Clinique", "Mairie de", "Garage", "Pharmacie", "Lycée", "Agence",
    "Imprimerie", "Hôtel", "Laboratoires", "Menuiserie",
]  # fmt: skip
COMPANY_NAMES = [
    "Dupont", "Lambert", "Saint-Exupéry", "Rousseau", "Vidal", "Carpentier", "des Alpes",
    "Meunier", "du Parc", "Lemoine", "Barbier", "Renard",
]  # fmt: skip
ENGLISH_COMPANIES = [
    "Northwind Ltd", "Contoso UK", "Fabrikam Europe", "Tailspin Toys", "Wingtip Partners",
    "Adatum Consulting", "Litware Inc", "Proseware Group", "Woodgrove Analytics",
    "Coho Vineyard", "Alpine Ski House", "Margie's Travel",
]  # fmt: skip
FIRST_NAMES = [
    "Marie", "Jean", "Camille", "Nicolas", "Julie", "Thomas", "Sophie", "Pierre", "Laura",
    "Karim", "Inès", "Hugo", "Emma", "Lucas", "Chloé", "Mehdi", "Sarah", "Paul", "Léa", "Yann",
]  # fmt: skip
LAST_NAMES = [
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
    "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
    "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier", "Dupuis", "Lambert",
]  # fmt: skip
# key, name, level, number of members, which clients (None: all; else pods of `of`)
TEAMS = [
    ("n1a", "N1 – pôle A", 1, 7, (0, 3)),
    ("n1b", "N1 – pôle B", 1, 7, (1, 3)),
    ("n1c", "N1 – pôle C", 1, 7, (2, 3)),
    ("n2a", "N2 – équipe 1", 2, 5, (0, 2)),
    ("n2b", "N2 – équipe 2", 2, 5, (1, 2)),
    ("n3", "Experts N3", 3, 4, None),
    ("onsite", "Intervention sur site", 2, 3, None),
    ("network", "Réseau", 3, 2, None),
]


@dataclass
class Client:
    id: int
    language: str
    weight: float
    contacts: list[tuple[int, int | None]]  # (user id, location id)
    teams: dict[str, int] = field(default_factory=dict)  # level key -> team id


@dataclass
class Base:
    clients: list[Client]
    teams: dict[str, int]
    members: dict[int, list[int]]  # team id -> technician ids
    technician_id: int
    technician_token: str
    requester_token: str
    supervisor_id: int
    supervisor_token: str = ""


def _person(rng: random.Random) -> tuple[str, str]:
    return rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)


@transaction.atomic
def build_base(seed: int = 7) -> Base:
    rng = random.Random(seed)
    password = make_password(PASSWORD)
    names = [f"{k} {n}" for k in COMPANY_KINDS for n in COMPANY_NAMES]
    rng.shuffle(names)
    organisations = [
        Organisation(name=name, kind=OrganisationKind.COMPANY, language="fr") for name in names[:36]
    ]
    organisations += [
        Organisation(name=name, kind=OrganisationKind.COMPANY, language="en")
        for name in ENGLISH_COMPANIES
    ]
    organisations += [
        Organisation(name=f"{first} {last} ({n})", kind=OrganisationKind.INDIVIDUAL, language="fr")
        for n, (first, last) in enumerate(_person(rng) for _ in range(12))
    ]
    rng.shuffle(organisations)
    Organisation.objects.bulk_create(organisations)
    organisations = list(Organisation.objects.order_by("id"))

    staff = [
        User(
            username=f"tech{n}" if n else TECHNICIAN,
            first_name=first,
            last_name=last,
            role=Role.TECHNICIAN if n < 26 else Role.SPECIALIST,
            password=password,
            email=f"tech{n}@desk.example",
        )
        for n, (first, last) in enumerate(_person(rng) for _ in range(40))
    ]
    staff.append(User(username=SUPERVISOR, role=Role.SUPERVISOR, password=password))
    User.objects.bulk_create(staff)
    staff_ids = list(User.objects.filter(role__in=[Role.TECHNICIAN, Role.SPECIALIST]))
    staff_ids.sort(key=lambda u: (u.username != TECHNICIAN, u.pk))

    clients: list[Client] = []
    for index, organisation in enumerate(organisations):
        individual = organisation.kind == OrganisationKind.INDIVIDUAL
        sites = [
            Location(organisation=organisation, name=name)
            for name in (["Domicile"] if individual else ["Siège", "Agence", "Entrepôt"])[
                : rng.randint(1, 3)
            ]
        ]
        Location.objects.bulk_create(sites)
        people = 1 if individual else rng.randint(8, 70)
        contacts = []
        for n in range(people):
            first, last = _person(rng)
            contacts.append(
                User(
                    username=f"c{organisation.pk}-{n}",
                    first_name=first,
                    last_name=last,
                    email=f"{first}.{last}.{n}@client{organisation.pk}.example".lower(),
                    phone=f"+33 1 99 00 {organisation.pk % 100:02d} {n:02d}",
                    role=Role.REQUESTER,
                    organisation=organisation,
                    location=sites[n % len(sites)],
                    language=organisation.language,
                    is_org_manager=n == 0 and not individual,
                    password=password if n == 0 else "!",
                )
            )
        User.objects.bulk_create(contacts)
        saved = User.objects.filter(organisation=organisation).order_by("id")
        # Big clients call much more than small ones (a Zipf-like spread).
        weight = (1.0 if individual else 6.0) / (index + 3) ** 0.7
        clients.append(
            Client(
                organisation.pk,
                organisation.language,
                weight,
                [(u.pk, u.location_id) for u in saved],
            )
        )

    teams: dict[str, int] = {}
    members: dict[int, list[int]] = {}
    taken = 0
    for key, name, level, size, pods in TEAMS:
        team = Team.objects.create(name=name, level=level)
        crew = staff_ids[taken : taken + size]
        taken += size
        team.members.add(*crew)
        served = [c for i, c in enumerate(clients) if pods is None or i % pods[1] == pods[0]]
        team.organisations.add(*[c.id for c in served])
        for client in served:
            client.teams[key[:2] if key.startswith("n1") or key.startswith("n2") else key] = team.pk
        teams[key] = team.pk
        members[team.pk] = [u.pk for u in crew]
    supervisor = User.objects.get(username=SUPERVISOR)
    supervisor.teams.add(*teams.values())
    default = Contract.objects.get(is_default=True)
    EscalationStep.objects.bulk_create(
        EscalationStep(contract=default, kind=kind, percent=percent, action=action)
        for kind, percent, action in LADDER
    )

    technician = User.objects.get(username=TECHNICIAN)
    first_client = next(c for c in clients if "n1" in c.teams and c.teams["n1"] == teams["n1a"])
    requester = User.objects.get(pk=first_client.contacts[0][0])
    requester.username = REQUESTER
    requester.save(update_fields=["username"])
    _token, technician_key = create_token(user=technician, name="bench")
    _token, requester_key = create_token(user=requester, name="bench")
    _token, supervisor_key = create_token(user=supervisor, name="bench")
    return Base(
        clients=clients,
        teams=teams,
        members=members,
        technician_id=technician.pk,
        technician_token=technician_key,
        requester_token=requester_key,
        supervisor_id=supervisor.pk,
        supervisor_token=supervisor_key,
    )
