"""The one door to tenant data.

Every read of tickets, people or organisations on behalf of a user goes through these
functions. A user who may not see an object gets a 404 from the caller, never a 403: the
existence of another client's ticket is itself private. One condition per line, so that the
access tests cover each case.
"""

from django.apps import apps
from django.db.models import Q, QuerySet
from django.http import Http404

from guichet.accounts import reference
from guichet.accounts.choices import Role
from guichet.accounts.models import Organisation, Team, User
from guichet.lib.prepared import Prepared


def team_ids(user: User) -> list[int]:
    """The teams a staff member belongs to."""
    return reference.memberships().get(user.pk, [])


def served_organisation_ids(user: User) -> list[int]:
    """Organisations served by the teams of a staff member."""
    return reference.served_by_member(user.pk)


def sees_everything(user: User) -> bool:
    return user.is_superuser or user.role == Role.ADMIN


def ticket_condition(user: User) -> Q | None:
    """The filter that limits tickets to those `user` may see; None means all of them."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if sees_everything(user):
        return None
    if user.role == Role.REQUESTER:
        condition = Q(requester_id=user.pk)
        if user.is_org_manager and user.organisation_id:
            condition |= Q(organisation_id=user.organisation_id)
        return condition
    condition = Q(assignee_id=user.pk)
    condition |= Q(organisation_id__in=served_organisation_ids(user))
    condition |= Q(team_id__in=team_ids(user))
    return condition


def visible_tickets(user: User, queryset: QuerySet | None = None) -> QuerySet:
    if queryset is None:
        queryset = apps.get_model("tickets", "Ticket").objects.all()
    condition = ticket_condition(user)
    return queryset if condition is None else queryset.filter(condition)


def may_see_ticket(user: User, ticket) -> bool:
    """`ticket_condition` for one ticket already read: the same rule, case for case (a test
    compares the two on every combination of people and tickets)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if sees_everything(user):
        return True
    if user.role == Role.REQUESTER:
        if ticket.requester_id == user.pk:
            return True
        return bool(
            user.is_org_manager
            and user.organisation_id
            and ticket.organisation_id == user.organisation_id
        )
    if ticket.assignee_id == user.pk:
        return True
    if ticket.organisation_id in served_organisation_ids(user):
        return True
    return ticket.team_id in team_ids(user)


# The ticket by id alone, compiled once: the page of a ticket reads it, then checks it.
_ticket_by_pk = Prepared(lambda pk: apps.get_model("tickets", "Ticket").objects.filter(pk=pk), int)


def ticket_or_404(user: User, pk, queryset: QuerySet | None = None):
    """The ticket if `user` may see it, else 404. Without a queryset (to join related rows)
    the ticket is read by id and checked with `may_see_ticket`."""
    Ticket = apps.get_model("tickets", "Ticket")
    try:
        if queryset is None:
            found = _ticket_by_pk(int(pk))
            if not found or not may_see_ticket(user, found[0]):
                raise Http404
            return found[0]
        return visible_tickets(user, queryset).get(pk=int(pk))
    except (ValueError, TypeError, OverflowError):
        raise Http404 from None
    except Ticket.DoesNotExist:
        raise Http404 from None


def visible_organisations(user: User) -> QuerySet[Organisation]:
    queryset = Organisation.objects.all()
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if sees_everything(user):
        return queryset
    if user.role == Role.REQUESTER:
        return queryset.filter(pk=user.organisation_id or 0)
    return queryset.filter(pk__in=served_organisation_ids(user))


def visible_users(user: User) -> QuerySet[User]:
    """Staff see their colleagues and the contacts of the organisations they serve;
    requesters see themselves and the support staff who work on their tickets."""
    queryset = User.objects.filter(is_active=True)
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if sees_everything(user):
        return queryset
    staff = Q(role__in=[Role.TECHNICIAN, Role.SPECIALIST, Role.SUPERVISOR, Role.ADMIN])
    if user.role == Role.REQUESTER:
        colleagues = Q(pk=user.pk)
        if user.is_org_manager and user.organisation_id:
            colleagues |= Q(organisation_id=user.organisation_id)
        return queryset.filter(colleagues | staff)
    return queryset.filter(staff | Q(organisation_id__in=served_organisation_ids(user)))


def visible_teams(user: User) -> QuerySet[Team]:
    if not user.is_authenticated or not user.is_active:
        return Team.objects.none()
    return Team.objects.all()


def team_list(user: User) -> list[Team]:
    """`visible_teams` by level then name, from the process's cache (read-only objects)."""
    if not user.is_authenticated or not user.is_active:
        return []
    return reference.teams()


def staff_members(user: User) -> list[User]:
    """The active support staff, by name, from the process's cache (read-only objects):
    every signed-in user may see them (see `visible_users`)."""
    if not user.is_authenticated or not user.is_active:
        return []
    return reference.active_staff()


def organisation_names(user: User) -> list[tuple[int, str]]:
    """(id, name) of the organisations `user` may see, by name, for select lists."""
    if not user.is_authenticated or not user.is_active:
        return []
    names = reference.organisation_names()
    if sees_everything(user):
        return names
    if user.role == Role.REQUESTER:
        return [(pk, name) for pk, name in names if pk == user.organisation_id]
    served = set(served_organisation_ids(user))
    return [(pk, name) for pk, name in names if pk in served]


def is_staff_member(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.is_support_staff


def visible_articles(user: User, queryset: QuerySet | None = None) -> QuerySet:
    """Staff see the whole knowledge base, drafts included; a requester sees the published
    public FAQ meant for every client or for their own organisation."""
    if queryset is None:
        queryset = apps.get_model("knowledge", "Article").objects.all()
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_support_staff or sees_everything(user):
        return queryset
    public = queryset.filter(status="published", audience="public")
    for_all = Q(organisations__isnull=True)
    if not user.organisation_id:
        return public.filter(for_all)
    chosen = apps.get_model("knowledge", "Article").organisations.through.objects.filter(
        organisation_id=user.organisation_id
    )
    return public.filter(for_all | Q(pk__in=chosen.values("article_id")))


def article_or_404(user: User, pk, queryset: QuerySet | None = None):
    try:
        return visible_articles(user, queryset).get(pk=int(pk))
    except (ValueError, TypeError, OverflowError):
        raise Http404 from None
    except apps.get_model("knowledge", "Article").DoesNotExist:
        raise Http404 from None


def visible_problems(user: User, queryset: QuerySet | None = None) -> QuerySet:
    """Problems are the support staff's work: requesters never see them. Their incidents are
    still read through `visible_tickets`."""
    if queryset is None:
        queryset = apps.get_model("problems", "Problem").objects.all()
    if not is_staff_member(user) and not (user.is_authenticated and sees_everything(user)):
        return queryset.none()
    return queryset


def problem_or_404(user: User, pk, queryset: QuerySet | None = None):
    try:
        return visible_problems(user, queryset).get(pk=int(pk))
    except (ValueError, TypeError, OverflowError):
        raise Http404 from None
    except apps.get_model("problems", "Problem").DoesNotExist:
        raise Http404 from None


def visible_scripts(user: User, queryset: QuerySet | None = None) -> QuerySet:
    """Staff see every script; a requester only active ones offered in the portal."""
    if queryset is None:
        queryset = apps.get_model("scripts", "Script").objects.all()
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_support_staff or sees_everything(user):
        return queryset
    return queryset.filter(active=True, in_portal=True)


def visible_script_runs(user: User, queryset: QuerySet | None = None) -> QuerySet:
    """Staff see the runs of the tickets they may see and those not tied to a ticket yet;
    a requester sees their own runs only."""
    if queryset is None:
        queryset = apps.get_model("scripts", "ScriptRun").objects.all()
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if sees_everything(user):
        return queryset
    if user.role == Role.REQUESTER:
        return queryset.filter(user_id=user.pk)
    condition = ticket_condition(user)
    tickets = apps.get_model("tickets", "Ticket").objects.filter(condition or Q())
    return queryset.filter(
        Q(ticket__isnull=True, user_id=user.pk) | Q(ticket_id__in=tickets.values("pk"))
    )


def asset_condition(user: User, *, organisation_field: str = "organisation_id") -> Q | None:
    """The filter that limits assets (or licences, contracts: anything with an organisation)
    to those `user` may see; None means all of them. Staff see the organisations their teams
    serve; a requester sees what is assigned to them, an organisation's manager all of its
    assets."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if sees_everything(user):
        return None
    if user.role == Role.REQUESTER:
        if user.is_org_manager and user.organisation_id:
            return Q(**{organisation_field: user.organisation_id})
        if organisation_field != "organisation_id":
            return Q(pk__in=[])
        return Q(user_id=user.pk)
    return Q(**{f"{organisation_field}__in": served_organisation_ids(user)})


def visible_assets(user: User, queryset: QuerySet | None = None) -> QuerySet:
    if queryset is None:
        queryset = apps.get_model("assets", "Asset").objects.all()
    condition = asset_condition(user)
    return queryset if condition is None else queryset.filter(condition)


def asset_or_404(user: User, pk, queryset: QuerySet | None = None):
    try:
        return visible_assets(user, queryset).get(pk=int(pk))
    except (ValueError, TypeError, OverflowError):
        raise Http404 from None
    except apps.get_model("assets", "Asset").DoesNotExist:
        raise Http404 from None


def visible_licences(user: User, queryset: QuerySet | None = None) -> QuerySet:
    """Licences of the organisations the user may see: staff those served, an
    organisation's manager their own; other requesters none."""
    if queryset is None:
        queryset = apps.get_model("assets", "Licence").objects.all()
    condition = asset_condition(user, organisation_field="organisation")
    return queryset if condition is None else queryset.filter(condition)


def visible_contracts(user: User, queryset: QuerySet | None = None) -> QuerySet:
    """Asset contracts, under the licences' rule."""
    if queryset is None:
        queryset = apps.get_model("assets", "Contract").objects.all()
    condition = asset_condition(user, organisation_field="organisation")
    return queryset if condition is None else queryset.filter(condition)


def may_read_licence_keys(user: User) -> bool:
    """Licence keys are secrets: supervisors and administrators only."""
    if not user.is_authenticated or not user.is_active:
        return False
    if sees_everything(user):
        return True
    return user.role == Role.SUPERVISOR


def may_manage_inventory(user: User) -> bool:
    """Agent keys, tag and reconciliation rules, conflicts: supervisors and administrators."""
    return may_read_licence_keys(user)
