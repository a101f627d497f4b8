"""Reads that tie tickets and assets together, each through the access door and in a fixed
number of queries whatever the number of assets, events or tickets shown."""

from django.apps import apps
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When, Window
from django.db.models.functions import RowNumber

from guichet.accounts.access import visible_assets, visible_tickets, visible_users
from guichet.assets.choices import ACTIVE_STATES
from guichet.assets.models import Asset, AssetEvent

EVENTS_SHOWN = 3
OTHER_TICKETS_SHOWN = 5
CANDIDATES_SHOWN = 200
CALLER_ASSETS_SHOWN = 15
SEARCH_RESULTS = 20
PEOPLE_LISTED = 300

DETAILS = ("manufacturer", "user", "location")


def linked_assets(user, ticket) -> QuerySet[Asset]:
    """The ticket's assets that `user` may see, in the order they were linked."""
    assets = visible_assets(user).filter(ticket_links__ticket_id=ticket.pk)
    return assets.select_related(*DETAILS).order_by("ticket_links__created_at", "pk")


def recent_events(asset_ids, limit: int = EVENTS_SHOWN) -> dict[int, list[AssetEvent]]:
    """The newest `limit` events of each asset, newest first, in one query."""
    if not asset_ids:
        return {}
    rows = (
        AssetEvent.objects.filter(asset_id__in=asset_ids)
        .annotate(rank=Window(RowNumber(), partition_by=F("asset_id"), order_by=F("id").desc()))
        .filter(rank__lte=limit)
        .select_related("actor")
        .order_by("asset_id", "-id")
    )
    found: dict[int, list[AssetEvent]] = {pk: [] for pk in asset_ids}
    for event in rows:
        found[event.asset_id].append(event)
    return found


def other_tickets(user, asset_ids, *, ticket_id, limit: int = OTHER_TICKETS_SHOWN) -> dict:
    """For each asset, (its newest `limit` tickets other than `ticket_id` that `user` may see,
    how many such tickets there are), in one query."""
    if not asset_ids:
        return {}
    Ticket = apps.get_model("tickets", "Ticket")
    about = Ticket.objects.filter(asset_links__asset_id__in=asset_ids).exclude(pk=ticket_id)
    # The annotations reuse the join of the filter above: one row per ticket and asset.
    rows = (
        visible_tickets(user, about)
        .annotate(
            via=F("asset_links__asset_id"),
            rank=Window(
                RowNumber(), partition_by=F("asset_links__asset_id"), order_by=F("id").desc()
            ),
            total=Window(Count("id"), partition_by=F("asset_links__asset_id")),
        )
        .filter(rank__lte=limit)
        .only("id", "title", "status", "created_at")
        .order_by("via", "-id")
    )
    found: dict[int, tuple[list, int]] = {pk: ([], 0) for pk in asset_ids}
    for row in rows:
        shown, _total = found[row.via]
        shown.append(row)
        found[row.via] = (shown, row.total)
    return found


def assets_of_person(
    user,
    *,
    person_id: int | None,
    organisation_id: int | None,
    exclude_ids=(),
    limit: int,
) -> list[Asset]:
    """Active assets `user` may see: those assigned to the person first, then the others of
    the organisation, by name; at most `limit` + 1, so callers know whether there are more."""
    condition = Q(user_id=person_id) if person_id else Q(pk__in=[])
    if organisation_id:
        condition |= Q(organisation_id=organisation_id)
    theirs = Case(When(user_id=person_id, then=Value(1)), default=Value(0))
    assets = (
        visible_assets(user)
        .filter(condition, state__in=ACTIVE_STATES)
        .exclude(pk__in=list(exclude_ids))
        .annotate(theirs=theirs if person_id else Value(0, output_field=IntegerField()))
        .select_related(*DETAILS)
        .order_by("-theirs", "name", "pk")
    )
    return list(assets[: limit + 1])


def find_assets(user, *, organisation_id: int | None, text: str, limit: int = SEARCH_RESULTS):
    """Assets `user` may see, of the organisation when there is one, whose inventory number,
    serial or name is `text` (those matching exactly, else those containing it)."""
    text = text.replace("\x00", "").strip()[:100]
    if not text:
        return []
    assets = visible_assets(user).select_related(*DETAILS).order_by("name", "pk")
    if organisation_id:
        assets = assets.filter(organisation_id=organisation_id)
    exact = Q(inventory_number__iexact=text) | Q(serial__iexact=text) | Q(name__iexact=text)
    found = list(assets.filter(exact)[: limit + 1])
    if found:
        return found
    near = Q(inventory_number__icontains=text) | Q(serial__icontains=text)
    return list(assets.filter(near | Q(name__icontains=text))[: limit + 1])


def people_of(user, organisation_ids) -> dict[int | None, list]:
    """The active people `user` may see in each organisation, by name, for "assigned user"
    lists; one query for all of them."""
    if not organisation_ids:
        return {}
    people = (
        visible_users(user)
        .filter(organisation_id__in=list(organisation_ids))
        .only("id", "username", "first_name", "last_name", "organisation_id")
        .order_by("last_name", "first_name", "pk")
    )
    found: dict[int | None, list] = {pk: [] for pk in organisation_ids}
    for person in people[:PEOPLE_LISTED]:
        found[person.organisation_id].append(person)
    return found


def own_assets(user) -> QuerySet[Asset]:
    """What is assigned to `user` personally, among what they may see (an organisation's
    manager sees the organisation's assets elsewhere, not here)."""
    return visible_assets(user).filter(user_id=user.pk).select_related("manufacturer")
