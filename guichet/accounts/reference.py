"""People and teams as reference data: read once per process and revision (see
guichet.lib.refcache). Who may see them is decided in access.py, the door to tenant data.

The objects are shared by every request of the process: read them, never change them.
"""

from collections import defaultdict

from guichet.accounts.choices import STAFF_ROLES
from guichet.accounts.models import Location, Organisation, Team, User
from guichet.lib import refcache


def _memberships() -> dict[int, list[int]]:
    teams: dict[int, list[int]] = defaultdict(list)
    for user_id, team_id in Team.members.through.objects.values_list("user_id", "team_id"):
        teams[user_id].append(team_id)
    return dict(teams)


def memberships() -> dict[int, list[int]]:
    """user id -> the ids of their teams."""
    return refcache.cached("accounts.memberships", _memberships)


def _served_by_team() -> dict[int, list[int]]:
    served: dict[int, list[int]] = defaultdict(list)
    through = Team.organisations.through.objects.values_list("team_id", "organisation_id")
    for team_id, organisation_id in through:
        served[team_id].append(organisation_id)
    return dict(served)


def served_by_member(user_id: int) -> list[int]:
    """The organisations served by the teams of a staff member, in id order."""

    def build() -> list[int]:
        served = refcache.cached("accounts.served", _served_by_team)
        teams = memberships().get(user_id, [])
        return sorted({o for team in teams for o in served.get(team, [])})

    return refcache.cached(("accounts.served", user_id), build)


def teams() -> list[Team]:
    """Every team, by level then name."""
    return refcache.cached("accounts.teams", lambda: list(Team.objects.order_by("level", "name")))


def team_names() -> dict[int, str]:
    return refcache.cached("accounts.team_names", lambda: {t.pk: t.name for t in teams()})


def _staff() -> list[User]:
    staff = User.objects.filter(role__in=STAFF_ROLES)
    return list(staff.order_by("last_name", "first_name", "username"))


def staff() -> list[User]:
    """The support staff, active or not, by name."""
    return refcache.cached("accounts.all_staff", _staff)


def active_staff() -> list[User]:
    return refcache.cached("accounts.staff", lambda: [u for u in staff() if u.is_active])


def staff_names() -> dict[int, str]:
    """Staff member id -> display name, the former staff included (old tickets name them)."""
    return refcache.cached("accounts.staff_names", lambda: {u.pk: u.display_name for u in staff()})


def organisations_by_id() -> dict[int, Organisation]:
    """Every organisation (names for lists, the object for a ticket's header)."""
    return refcache.cached(
        "accounts.organisations", lambda: {o.pk: o for o in Organisation.objects.all()}
    )


def locations_by_id() -> dict[int, Location]:
    """Every site of every organisation (a ticket's header names its site)."""
    return refcache.cached(
        "accounts.locations", lambda: {loc.pk: loc for loc in Location.objects.all()}
    )


def organisation_names() -> list[tuple[int, str]]:
    """(id, name) of every organisation, by name."""

    def build() -> list[tuple[int, str]]:
        names = [(o.pk, o.name) for o in organisations_by_id().values()]
        return sorted(names, key=lambda pair: pair[1])

    return refcache.cached("accounts.organisation_names", build)


def organisation_name_map() -> dict[int, str]:
    return refcache.cached(
        "accounts.organisation_name_map",
        lambda: {pk: o.name for pk, o in organisations_by_id().items()},
    )


def staff_by_id() -> dict[int, User]:
    return refcache.cached("accounts.staff_by_id", lambda: {u.pk: u for u in staff()})


def teams_by_id() -> dict[int, Team]:
    return refcache.cached("accounts.teams_by_id", lambda: {t.pk: t for t in teams()})


def attach_people(pairs, *, known=()) -> None:
    """Fill in the person each item points to, without joining the user table.

    `pairs` are (items, field) with items holding `<field>_id`: the staff come from the
    cache, the `known` users (the ticket's requester, the viewer) as they are, and anyone else
    in one query for all the lists together.
    """
    people: dict[int, User] = dict(staff_by_id())
    people.update((user.pk, user) for user in known if user is not None)
    wanted = {getattr(item, f"{field}_id") for items, field in pairs for item in items}
    missing = wanted - people.keys() - {None}
    if missing:
        people.update((user.pk, user) for user in User.objects.filter(pk__in=missing))
    for items, field in pairs:
        for item in items:
            pk = getattr(item, f"{field}_id")
            if pk in people:
                setattr(item, field, people[pk])
