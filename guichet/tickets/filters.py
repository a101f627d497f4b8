"""One definition of the ticket filters, shared by the queues in the UI and the API list.

`parse_filters` turns query parameters into a TicketFilter (collecting one error per bad
field); `TicketFilter.apply` narrows a queryset that is already limited to what the user may
see (through the access helper).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.accounts.access import team_ids
from guichet.lib.errors import InvalidInput
from guichet.lib.params import positive_id
from guichet.tickets.choices import OPEN_STATUSES, Priority, Status, TicketType
from guichet.tickets.search import text_filter

SCOPES = ("mine", "team", "unassigned", "open", "all")
SORTS = {
    "-id": ("id", True),
    "id": ("id", False),
    "-created": ("created_at", True),
    "created": ("created_at", False),
    "-updated": ("updated_at", True),
    "updated": ("updated_at", False),
    "-priority": ("priority", True),
    "priority": ("priority", False),
    # Due next: the earliest due date of a ticket's running service clocks first.
    "due": ("due_at", False),
    "-due": ("due_at", True),
}


@dataclass
class TicketFilter:
    scope: str = "all"
    status: list[str] = field(default_factory=list)
    priority: list[int] = field(default_factory=list)
    type: str = ""
    team: int | None = None
    assignee: int | str | None = None  # an id, "me" or "none"
    organisation: int | None = None
    category: int | None = None
    requester: int | None = None
    created_after: date | None = None
    created_before: date | None = None
    q: str = ""
    sort: str = "-id"

    def apply(self, queryset: QuerySet, user) -> QuerySet:
        if self.scope == "mine":
            queryset = queryset.filter(assignee_id=user.pk, status__in=OPEN_STATUSES)
        elif self.scope == "team":
            queryset = queryset.filter(team_id__in=team_ids(user), status__in=OPEN_STATUSES)
        elif self.scope == "unassigned":
            queryset = queryset.filter(assignee__isnull=True, status__in=OPEN_STATUSES)
        elif self.scope == "open":
            queryset = queryset.filter(status__in=OPEN_STATUSES)
        if self.status:
            queryset = queryset.filter(status__in=self.status)
        if self.priority:
            queryset = queryset.filter(priority__in=self.priority)
        if self.type:
            queryset = queryset.filter(type=self.type)
        if self.team is not None:
            queryset = queryset.filter(team_id=self.team)
        if self.assignee == "me":
            queryset = queryset.filter(assignee_id=user.pk)
        elif self.assignee == "none":
            queryset = queryset.filter(assignee__isnull=True)
        elif self.assignee is not None:
            queryset = queryset.filter(assignee_id=self.assignee)
        if self.organisation is not None:
            queryset = queryset.filter(organisation_id=self.organisation)
        if self.category is not None:
            queryset = queryset.filter(
                Q(category_id=self.category) | Q(category__parent_id=self.category)
            )
        if self.requester is not None:
            queryset = queryset.filter(requester_id=self.requester)
        tz = timezone.get_current_timezone()
        if self.created_after:
            start = datetime.combine(self.created_after, time.min, tzinfo=tz)
            queryset = queryset.filter(created_at__gte=start)
        if self.created_before:
            end = datetime.combine(self.created_before, time.max, tzinfo=tz)
            queryset = queryset.filter(created_at__lte=end)
        if self.q:
            queryset = text_filter(queryset, self.q)
        return queryset

    @property
    def order(self) -> tuple[str, bool]:
        """(field, descending) for keyset pagination."""
        return SORTS[self.sort]


def _ints(raw: list[str], errors: dict, name: str) -> list[int]:
    values = []
    for item in raw:
        for part in str(item).split(","):
            part = part.strip()
            if not part:
                continue
            try:
                values.append(int(part))
            except ValueError:
                errors[name] = _("Must be a whole number.")
    return values


def _date(raw: str | None, errors: dict, name: str) -> date | None:
    if raw in (None, ""):
        return None
    try:
        value = date.fromisoformat(str(raw))
    except ValueError:
        errors[name] = _("Must be a date (YYYY-MM-DD).")
        return None
    # Far years overflow once combined with a time zone; no ticket lives there anyway.
    if not 1900 <= value.year <= 9000:
        errors[name] = _("This date is out of range.")
        return None
    return value


def parse_filters(params, *, default_scope: str = "all") -> TicketFilter:
    """Build a TicketFilter from a QueryDict or a plain dict of lists/strings."""

    def get(name: str) -> str | None:
        value = params.get(name)
        if isinstance(value, list):
            value = value[0] if value else None
        return None if value is None else str(value)

    def get_list(name: str) -> list[str]:
        if hasattr(params, "getlist"):
            return [v for v in params.getlist(name) if v != ""]
        value = params.get(name)
        if value in (None, ""):
            return []
        return [str(v) for v in value] if isinstance(value, list) else [str(value)]

    errors: dict = {}
    scope = get("scope") or default_scope
    if scope not in SCOPES:
        errors["scope"] = _("Must be one of: %(values)s.") % {"values": ", ".join(SCOPES)}
    statuses = [s.strip() for item in get_list("status") for s in item.split(",") if s.strip()]
    bad = [s for s in statuses if s not in Status.values]
    if bad:
        errors["status"] = _("Unknown status: %(values)s.") % {"values": ", ".join(bad)}
    priorities = _ints(get_list("priority"), errors, "priority")
    if any(p not in Priority.values for p in priorities):
        errors["priority"] = _("Must be from 1 to 6.")
    ticket_type = get("type") or ""
    if ticket_type and ticket_type not in TicketType.values:
        errors["type"] = _("Must be one of: %(values)s.") % {"values": ", ".join(TicketType.values)}
    assignee_raw = get("assignee")
    assignee: int | str | None
    if assignee_raw in ("me", "none"):
        assignee = assignee_raw
    else:
        assignee = positive_id(assignee_raw, errors, "assignee")
    q = (get("q") or "").strip()
    if len(q) > 200:
        errors["q"] = _("At most %(n)d characters.") % {"n": 200}
    sort = get("sort") or "-id"
    if sort not in SORTS:
        errors["sort"] = _("Must be one of: %(values)s.") % {"values": ", ".join(SORTS)}
    result = TicketFilter(
        scope=scope,
        status=statuses,
        priority=priorities,
        type=ticket_type,
        team=positive_id(get("team"), errors, "team"),
        assignee=assignee,
        organisation=positive_id(get("organisation"), errors, "organisation"),
        category=positive_id(get("category"), errors, "category"),
        requester=positive_id(get("requester"), errors, "requester"),
        created_after=_date(get("created_after"), errors, "created_after"),
        created_before=_date(get("created_before"), errors, "created_before"),
        q=q.replace("\x00", ""),
        sort=sort,
    )
    if errors:
        raise InvalidInput(errors)
    return result
