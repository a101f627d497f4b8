"""What a service report covers: the period, the filters, and whose figures the reader may see.

`parse_filters` is the one reading of the filters, shared by the report screen, its CSV and
PDF downloads and the API (each bad field gets its message, as a 422 or beside the form).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.accounts.access import sees_everything, served_organisation_ids
from guichet.accounts.choices import Role
from guichet.accounts.models import Organisation, Team, User
from guichet.lib.errors import Forbidden, InvalidInput
from guichet.lib.params import positive_id
from guichet.sla.models import Contract
from guichet.tickets.choices import Priority

DEFAULT_MONTHS = 12
MAX_MONTHS = 60


def report_scope(user: User) -> frozenset[int] | None:
    """The organisations whose figures `user` may read; None means every one.

    Administrators read everything; support staff (technicians, specialists, supervisors)
    the organisations their teams serve, as in the queues; a client's organisation manager
    their own organisation; anyone else nothing (Forbidden).
    """
    if not user.is_authenticated or not user.is_active:
        raise Forbidden(_("Only support staff and organisation managers may read reports."))
    if sees_everything(user):
        return None
    if user.is_support_staff:
        return frozenset(served_organisation_ids(user))
    if user.role == Role.REQUESTER and user.is_org_manager and user.organisation_id:
        return frozenset({user.organisation_id})
    raise Forbidden(_("Only support staff and organisation managers may read reports."))


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def month_start(month: date) -> datetime:
    """Midnight of the month's first day, in the service's time zone."""
    return datetime.combine(month, datetime.min.time(), tzinfo=timezone.get_default_timezone())


def month_label(month: date) -> str:
    return f"{month:%Y-%m}"


@dataclass(frozen=True)
class ReportFilters:
    """A report's period (whole months, `start` to `end` included) and filters.

    `scope` is what the reader may see (None: everything); `organisation`, `contract`,
    `team` and `priority` narrow it further. `now` is the moment the report is read at:
    running clocks overdue by then count as breached, open tickets are aged from it.
    """

    start: date
    end: date
    scope: frozenset[int] | None = None
    organisation: int | None = None
    contract: int | None = None
    team: int | None = None
    priority: int | None = None
    now: datetime = field(default_factory=timezone.now)

    @property
    def months(self) -> list[date]:
        count = (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1
        return [add_months(self.start, i) for i in range(count)]

    @property
    def bounds(self) -> list[datetime]:
        """The first instant of each month, then the end of the last one."""
        return [month_start(m) for m in self.months] + [month_start(add_months(self.end, 1))]

    def organisations(self, prefix: str = "") -> Q:
        """The tenancy and organisation conditions, on `prefix`organisation_id."""
        condition = Q()
        if self.scope is not None:
            condition &= Q(**{f"{prefix}organisation_id__in": sorted(self.scope)})
        if self.organisation is not None:
            condition &= Q(**{f"{prefix}organisation_id": self.organisation})
        return condition

    def as_params(self) -> dict[str, str]:
        """The filters as query parameters, to link to the same report in another form."""
        params = {"from": month_label(self.start), "to": month_label(self.end)}
        for name in ("organisation", "contract", "team", "priority"):
            value = getattr(self, name)
            if value is not None:
                params[name] = str(value)
        return params


def current_month(now: datetime) -> date:
    return timezone.localtime(now, timezone.get_default_timezone()).date().replace(day=1)


def parse_month(raw: str | None, errors: dict, name: str) -> date | None:
    if raw in (None, ""):
        return None
    text = str(raw)
    try:
        if len(text) != 7 or text[4] != "-":
            raise ValueError
        value = date(int(text[:4]), int(text[5:]), 1)
    except ValueError:
        errors[name] = _("Must be a month (YYYY-MM).")
        return None
    if not 2000 <= value.year <= 2999:
        errors[name] = _("This date is out of range.")
        return None
    return value


def visible_contracts(scope: frozenset[int] | None):
    """Contracts a reader with `scope` may report on: the default one (for the part of it
    they may see) and their organisations' own."""
    contracts = Contract.objects.all()
    if scope is None:
        return contracts
    return contracts.filter(Q(organisation__isnull=True) | Q(organisation_id__in=sorted(scope)))


def parse_filters(params, user: User, *, now: datetime | None = None) -> ReportFilters:
    """ReportFilters from a QueryDict or a dict of strings; InvalidInput names each bad field,
    Forbidden refuses a reader who may see no reports. An organisation or contract the reader
    may not see reads exactly like one that does not exist."""
    scope = report_scope(user)
    now = now or timezone.now()

    def get(name: str) -> str | None:
        value = params.get(name)
        return None if value is None else str(value).strip()

    errors: dict[str, str] = {}
    start = parse_month(get("from"), errors, "from")
    end = parse_month(get("to"), errors, "to")
    organisation = positive_id(get("organisation"), errors, "organisation")
    contract = positive_id(get("contract"), errors, "contract")
    team = positive_id(get("team"), errors, "team")
    priority_raw = get("priority")
    priority = None
    if priority_raw:
        try:
            priority = int(priority_raw)
        except ValueError:
            priority = 0
        if priority not in Priority.values:
            errors["priority"] = _("Must be an integer from 1 to 6.")
    if "from" in errors or "to" in errors:
        raise InvalidInput(errors)
    end = end or current_month(now)
    start = start or add_months(end, 1 - DEFAULT_MONTHS)
    if start > end:
        errors["from"] = _("Must not be after the last month.")
    elif add_months(start, MAX_MONTHS) <= end:
        errors["to"] = _("At most %(n)d months.") % {"n": MAX_MONTHS}
    organisations = Organisation.objects.all()
    if scope is not None:
        organisations = organisations.filter(pk__in=sorted(scope))
    if organisation and not organisations.filter(pk=organisation).exists():
        errors["organisation"] = _("Unknown organisation.")
    if contract and not visible_contracts(scope).filter(pk=contract).exists():
        errors["contract"] = _("Unknown contract.")
    if team and not Team.objects.filter(pk=team).exists():
        errors["team"] = _("Unknown team.")
    if errors:
        raise InvalidInput(errors)
    return ReportFilters(
        start=start,
        end=end,
        scope=scope,
        organisation=organisation,
        contract=contract,
        team=team,
        priority=priority,
        now=now,
    )


def day_start(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=timezone.get_default_timezone())


def days_ago(now: datetime, days: int) -> datetime:
    """Local midnight `days` calendar days before today."""
    today = timezone.localtime(now, timezone.get_default_timezone()).date()
    return day_start(today - timedelta(days=days))
