"""API v1: people, organisations and teams, read-only, through the access helper."""

from django.db.models import Q, QuerySet
from django.http import Http404
from ninja import Field, Query, Router, Schema

from guichet.accounts.access import visible_organisations, visible_teams, visible_users
from guichet.accounts.choices import Role
from guichet.accounts.models import Location, Organisation, User
from guichet.lib.pagination import keyset_page
from guichet.lib.schemas import Id, PageOut, Ref, Text, page_cursor, responses

router = Router(tags=["people"])

SEARCH_TERMS = 8


class UserOut(Schema):
    id: int
    username: str
    name: str
    first_name: str
    last_name: str
    email: str
    phone: str
    mobile: str
    role: str
    language: str
    is_org_manager: bool
    organisation: Ref | None
    location: Ref | None


class UserPage(PageOut):
    items: list[UserOut]


class LocationOut(Schema):
    id: int
    name: str
    address: str


class OrganisationOut(Schema):
    id: int
    name: str
    kind: str
    email_domain: str
    phone: str
    language: str


class OrganisationDetail(OrganisationOut):
    locations: list[LocationOut]
    teams: list[Ref]


class OrganisationPage(PageOut):
    items: list[OrganisationOut]


class TeamOut(Schema):
    id: int
    name: str
    level: int
    skills: list[str]


class UserFilters(Schema):
    q: Text = Field(
        "", max_length=200, description="Words to find in names, emails and phone numbers."
    )
    role: Role | None = None
    organisation: Id | None = None
    team: Id | None = None
    cursor: Text | None = Field(None, max_length=500)
    limit: int = Field(50, ge=1, le=200)


class OrganisationFilters(Schema):
    q: Text = Field("", max_length=200)
    cursor: Text | None = Field(None, max_length=500)
    limit: int = Field(50, ge=1, le=200)


def user_out(user: User) -> dict:
    return {
        "id": user.pk,
        "username": user.username,
        "name": user.display_name,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "phone": user.phone,
        "mobile": user.mobile,
        "role": user.role,
        "language": user.language,
        "is_org_manager": user.is_org_manager,
        "organisation": _ref(user.organisation),
        "location": _ref(user.location),
    }


def _ref(obj: Organisation | Location | None) -> dict | None:
    return None if obj is None else {"id": obj.pk, "name": obj.name}


def organisation_out(organisation: Organisation) -> dict:
    return {
        "id": organisation.pk,
        "name": organisation.name,
        "kind": organisation.kind,
        "email_domain": organisation.email_domain,
        "phone": organisation.phone,
        "language": organisation.language,
    }


def search_people(queryset: QuerySet, q: str) -> QuerySet:
    """Every word must appear in a name, the username, the email or a phone number."""
    for term in q.split()[:SEARCH_TERMS]:
        queryset = queryset.filter(
            Q(first_name__icontains=term)
            | Q(last_name__icontains=term)
            | Q(username__icontains=term)
            | Q(email__icontains=term)
            | Q(phone__icontains=term)
            | Q(mobile__icontains=term)
        )
    return queryset


@router.get("/users", response=responses(UserPage))
def list_users(request, filters: Query[UserFilters]):
    """People the caller may see, by last name; `q` finds a caller by name, email or phone."""
    users = visible_users(request.auth).select_related("organisation", "location")
    users = search_people(users, filters.q)
    if filters.role:
        users = users.filter(role=filters.role)
    if filters.organisation:
        users = users.filter(organisation_id=filters.organisation)
    if filters.team:
        users = users.filter(teams=filters.team)
    page = keyset_page(
        users,
        field="last_name",
        descending=False,
        size=filters.limit,
        cursor=page_cursor(filters.cursor, str),
    )
    return {
        "items": [user_out(u) for u in page.items],
        "next_cursor": page.next_cursor,
        "prev_cursor": page.prev_cursor,
    }


@router.get("/users/me", response=responses(UserOut))
def read_me(request):
    """The caller."""
    return user_out(request.auth)


@router.get("/users/{user_id}", response=responses(UserOut))
def read_user(request, user_id: Id):
    user = (
        visible_users(request.auth)
        .select_related("organisation", "location")
        .filter(pk=user_id)
        .first()
    )
    if user is None:
        raise Http404
    return user_out(user)


@router.get("/organisations", response=responses(OrganisationPage))
def list_organisations(request, filters: Query[OrganisationFilters]):
    """Client organisations the caller may see, by name."""
    organisations = visible_organisations(request.auth)
    for term in filters.q.split()[:SEARCH_TERMS]:
        organisations = organisations.filter(name__icontains=term)
    page = keyset_page(
        organisations,
        field="name",
        descending=False,
        size=filters.limit,
        cursor=page_cursor(filters.cursor, str),
    )
    return {
        "items": [organisation_out(o) for o in page.items],
        "next_cursor": page.next_cursor,
        "prev_cursor": page.prev_cursor,
    }


@router.get("/organisations/{organisation_id}", response=responses(OrganisationDetail))
def read_organisation(request, organisation_id: Id):
    """One organisation with its locations and the teams that serve it."""
    organisation = visible_organisations(request.auth).filter(pk=organisation_id).first()
    if organisation is None:
        raise Http404
    return {
        **organisation_out(organisation),
        "locations": [
            {"id": loc.pk, "name": loc.name, "address": loc.address}
            for loc in organisation.locations.all()
        ],
        "teams": [{"id": t.pk, "name": t.name} for t in organisation.teams.all()],
    }


@router.get("/teams", response=responses(list[TeamOut]))
def list_teams(request):
    """Support teams with their level and skills."""
    return [
        {"id": t.pk, "name": t.name, "level": t.level, "skills": t.skill_list}
        for t in visible_teams(request.auth)
    ]
