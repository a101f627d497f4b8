"""Verbs of the service contracts room: calendars and contracts (administrators only)."""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import available_timezones

import holidays
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.lib.errors import Forbidden, InvalidInput
from guichet.sla.choices import ReopenRule, TargetKind, Weekday
from guichet.sla.models import (
    MINUTES_A_DAY,
    BusinessRange,
    Calendar,
    CalendarVersion,
    ClosureDay,
    Contract,
    Target,
)

NAME_MAX = 100
LABEL_MAX = 100
MAX_TARGET_MINUTES = 366 * 24 * 60


@dataclass(frozen=True)
class Opening:
    """One opening range of a weekday, in minutes from midnight (24:00 is 1440)."""

    weekday: int
    start_minute: int
    end_minute: int


@dataclass(frozen=True)
class Closure:
    day: date
    label: str = ""


def _require_admin(actor) -> None:
    if not actor.is_admin:
        raise Forbidden(_("Only administrators can change this."))


def _check_openings(errors: dict, openings: list[Opening], always_open: bool) -> None:
    by_day: dict[int, list[Opening]] = {}
    for opening in openings:
        if opening.weekday not in Weekday.values:
            errors.setdefault("ranges", []).append(_("Unknown day of the week."))
            continue
        day = Weekday(opening.weekday).label
        if not 0 <= opening.start_minute < opening.end_minute <= MINUTES_A_DAY:
            errors.setdefault("ranges", []).append(
                _("%(day)s: a range must close after it opens, between 00:00 and 24:00.")
                % {"day": day}
            )
            continue
        by_day.setdefault(opening.weekday, []).append(opening)
    for weekday, ranges in sorted(by_day.items()):
        ranges.sort(key=lambda o: o.start_minute)
        for before, after in zip(ranges, ranges[1:], strict=False):
            if after.start_minute < before.end_minute:
                errors.setdefault("ranges", []).append(
                    _("%(day)s: two ranges overlap.") % {"day": Weekday(weekday).label}
                )
                break
    if not always_open and not by_day and "ranges" not in errors:
        errors["ranges"] = [
            _("Give at least one range of business hours, or make the calendar open 24/7.")
        ]


def _check_holidays(errors: dict, country: str, subdivision: str) -> None:
    if not country:
        if subdivision:
            errors["holiday_subdivision"] = [_("Choose the country first.")]
        return
    supported = holidays.list_supported_countries()
    if country not in supported:
        errors["holiday_country"] = [_("Unknown country for public holidays.")]
    elif subdivision and subdivision not in supported[country]:
        errors["holiday_subdivision"] = [_("Unknown region for this country.")]


@transaction.atomic
def save_calendar(
    *,
    actor,
    name: str,
    time_zone: str = "Europe/Paris",
    always_open: bool = False,
    holiday_country: str = "FR",
    holiday_subdivision: str = "",
    openings: list[Opening] = (),  # type: ignore[assignment]
    closures: list[Closure] = (),  # type: ignore[assignment]
    calendar: Calendar | None = None,
) -> Calendar:
    """Create a calendar, or give an existing one new hours and closed days from now on."""
    _require_admin(actor)
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("Give the calendar a name.")]
    elif len(name) > NAME_MAX:
        errors["name"] = [_("At most %(n)d characters.") % {"n": NAME_MAX}]
    elif Calendar.objects.filter(name=name).exclude(pk=calendar.pk if calendar else 0).exists():
        errors["name"] = [_("Another calendar has this name.")]
    if time_zone not in available_timezones():
        errors["time_zone"] = [_("Unknown time zone (for instance Europe/Paris).")]
    holiday_country = (holiday_country or "").strip().upper()
    holiday_subdivision = (holiday_subdivision or "").strip()
    _check_holidays(errors, holiday_country, holiday_subdivision)
    openings = list(openings)
    _check_openings(errors, openings, always_open)
    closures = list(closures)
    days = [c.day for c in closures]
    if len(set(days)) != len(days):
        errors["closures"] = [_("A day is listed twice.")]
    if any(len(c.label) > LABEL_MAX for c in closures):
        errors["closures"] = [_("At most %(n)d characters.") % {"n": LABEL_MAX}]
    if errors:
        raise InvalidInput(errors)

    now = timezone.now()
    if calendar is None:
        # A new calendar holds from the beginning of time: a ticket moved to it later counts
        # its own past in the hours of its former contract, not in these.
        calendar = Calendar.objects.create(name=name)
        since = datetime(2000, 1, 1, tzinfo=UTC)
    else:
        calendar.name = name
        calendar.save(update_fields=["name"])
        since = now  # time already counted keeps the hours it was counted in
    version = CalendarVersion.objects.create(
        calendar=calendar,
        valid_from=since,
        time_zone=time_zone,
        always_open=always_open,
        holiday_country=holiday_country,
        holiday_subdivision=holiday_subdivision,
    )
    BusinessRange.objects.bulk_create(
        BusinessRange(
            version=version,
            weekday=o.weekday,
            start_minute=o.start_minute,
            end_minute=o.end_minute,
        )
        for o in openings
    )
    ClosureDay.objects.bulk_create(
        ClosureDay(version=version, day=c.day, label=c.label.strip()) for c in closures
    )
    return calendar


@dataclass(frozen=True)
class TargetIn:
    kind: str
    priority: int
    minutes: int


def _check_targets(errors: dict, targets: list[TargetIn]) -> None:
    seen = set()
    for target in targets:
        if target.kind not in TargetKind.values:
            errors.setdefault("targets", []).append(_("Unknown kind of target."))
        elif not 1 <= target.priority <= 6:
            errors.setdefault("targets", []).append(_("Priorities go from 1 to 6."))
        elif target.minutes < 1 or target.minutes > MAX_TARGET_MINUTES:
            errors.setdefault("targets", []).append(
                _("%(kind)s, priority %(priority)d: give a time from 1 minute to a year.")
                % {"kind": TargetKind(target.kind).label, "priority": target.priority}
            )
        elif (target.kind, target.priority) in seen:
            errors.setdefault("targets", []).append(
                _("%(kind)s, priority %(priority)d: given twice.")
                % {"kind": TargetKind(target.kind).label, "priority": target.priority}
            )
        seen.add((target.kind, target.priority))


def _check_period(errors: dict, contract, organisation, starts_on, ends_on) -> None:
    if starts_on is None:
        errors["starts_on"] = [_("Give the first day of the contract.")]
        return
    if ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = [_("The contract cannot end before it starts.")]
        return
    if organisation is None:
        return
    others = Contract.objects.filter(organisation=organisation)
    if contract is not None:
        others = others.exclude(pk=contract.pk)
    for other in others:
        other_end = other.ends_on or date.max
        if starts_on <= other_end and (ends_on or date.max) >= other.starts_on:
            errors["starts_on"] = [
                _("This period overlaps the contract “%(name)s” of the same client.")
                % {"name": other.name}
            ]
            return


@transaction.atomic
def save_contract(
    *,
    actor,
    name: str,
    calendar: Calendar | None,
    starts_on: date | None,
    organisation=None,
    ends_on: date | None = None,
    reopen_rule: str = ReopenRule.CONTINUE,
    pausing_reasons=(),
    targets: list[TargetIn] = (),  # type: ignore[assignment]
    flat_fee: Decimal | None = None,
    cost_threshold: Decimal | None = None,
    notes: str = "",
    contract: Contract | None = None,
) -> Contract:
    """Create a client's contract (or change one): its period, calendar and targets."""
    _require_admin(actor)
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("Give the contract a name.")]
    elif len(name) > 150:
        errors["name"] = [_("At most %(n)d characters.") % {"n": 150}]
    elif Contract.objects.filter(name=name).exclude(pk=contract.pk if contract else 0).exists():
        errors["name"] = [_("Another contract has this name.")]
    if calendar is None:
        errors["calendar"] = [_("Choose the calendar the times are counted in.")]
    if reopen_rule not in ReopenRule.values:
        errors["reopen_rule"] = [_("Unknown rule.")]
    if contract is not None and contract.is_default and organisation is not None:
        errors["organisation"] = [_("The default contract serves every client without one.")]
    _check_period(errors, contract, organisation, starts_on, ends_on)
    targets = list(targets)
    _check_targets(errors, targets)
    for field, amount in (("flat_fee", flat_fee), ("cost_threshold", cost_threshold)):
        if amount is not None and not (Decimal(0) <= amount < Decimal("100000000")):
            errors[field] = [_("Give an amount from 0 to 99,999,999.99.")]
    if errors:
        raise InvalidInput(errors)
    assert calendar is not None and starts_on is not None  # checked above

    contract = contract or Contract()
    contract.name = name
    contract.organisation = organisation
    contract.starts_on = starts_on
    contract.ends_on = ends_on
    contract.calendar = calendar
    contract.reopen_rule = reopen_rule
    contract.flat_fee = flat_fee
    contract.cost_threshold = cost_threshold
    contract.notes = notes or ""
    contract.save()
    contract.pausing_reasons.set(pausing_reasons)
    contract.targets.all().delete()
    Target.objects.bulk_create(
        Target(contract=contract, kind=t.kind, priority=t.priority, minutes=t.minutes)
        for t in targets
    )
    return contract
