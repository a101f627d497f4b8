"""Calendars, contracts, pending reasons and teams' operational targets, for administrators.

Opening hours are "HH:MM" strings in the calendar's time zone ("24:00" closes at midnight).
A PUT sends the whole object: what it leaves out takes its default (no range, no target, no
step), as on the screens.
"""

from decimal import Decimal
from typing import Annotated

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from guichet.accounts.access import visible_teams
from guichet.accounts.models import Organisation
from guichet.lib.errors import Forbidden, InvalidInput
from guichet.lib.schemas import MAX_ID, Day, Id, Moment, Ref, Text, responses
from guichet.sla.actions import (
    Closure,
    Opening,
    StepIn,
    TargetIn,
    save_calendar,
    save_contract,
    save_team_targets,
)
from guichet.sla.actions.contracts import MAX_PERCENT, MAX_TARGET_MINUTES
from guichet.sla.choices import ClockKind, EscalationAction, ReopenRule, TargetKind
from guichet.sla.models import Calendar, CalendarVersion, Contract
from guichet.tickets.actions.reference import save_pending_reason
from guichet.tickets.api.base import reference_router
from guichet.tickets.models import PendingReason
from guichet.tickets.schemas import ReferenceOut

router = Router(tags=["service contracts"])

CalendarId = Annotated[int, Field(ge=1, le=MAX_ID, description="The calendar's id.")]
ContractId = Annotated[int, Field(ge=1, le=MAX_ID, description="The contract's id.")]
ReasonId = Annotated[int, Field(ge=1, le=MAX_ID, description="The pending reason's id.")]
TeamId = Annotated[int, Field(ge=1, le=MAX_ID, description="The team's id.")]
Clock = Annotated[
    str,
    Field(
        pattern=r"^(?:[01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$",
        description="A time of day, HH:MM (00:00 to 24:00).",
        examples=["08:30"],
    ),
]
Minutes = Annotated[
    int, Field(ge=1, le=MAX_TARGET_MINUTES, description="Business minutes, up to a year.")
]
Priority = Annotated[int, Field(ge=1, le=6, description="1 (lowest) to 6 (major).")]
Amount = Annotated[Decimal, Field(ge=0, max_digits=10, decimal_places=2)]


def _admins_only(user) -> None:
    if not user.is_admin:
        raise Forbidden(_("Only administrators can see or change this."))


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


class Input(Schema):
    model_config = ConfigDict(extra="forbid")


# --- Calendars ---------------------------------------------------------------------------------
class RangeIn(Input):
    weekday: int = Field(..., ge=0, le=6, description="0 is Monday, 6 is Sunday.")
    opens: Clock
    closes: Clock


class ClosureIn(Input):
    day: Day
    label: Text = Field("", max_length=100)


class CalendarIn(Input):
    """A calendar's hours. Saving an existing calendar gives it these hours from now on."""

    name: Text = Field(..., max_length=100)
    time_zone: Text = Field("Europe/Paris", max_length=64, description="An IANA time zone.")
    always_open: bool = Field(False, description="Open 24/7: the ranges are then optional.")
    holiday_country: Text = Field(
        "FR",
        max_length=3,
        description="ISO code of the country whose public holidays close the calendar; empty "
        "for none.",
    )
    holiday_subdivision: Text = Field(
        "", max_length=10, description="A region with its own holidays, e.g. 57 (Moselle)."
    )
    ranges: list[RangeIn] = Field([], max_length=7 * 48, description="Weekly opening ranges.")
    closures: list[ClosureIn] = Field(
        [], max_length=2000, description="Closed days besides public holidays."
    )


class RangeOut(Schema):
    weekday: int = Field(..., description="0 is Monday, 6 is Sunday.")
    opens: str
    closes: str


class ClosureOut(Schema):
    day: Day
    label: str


class VersionOut(Schema):
    id: int
    valid_from: Moment = Field(..., description="From when these hours hold.")


class CalendarOut(Schema):
    """A calendar's current hours (its latest version), and when each version began."""

    id: int
    name: str
    time_zone: str
    always_open: bool
    holiday_country: str
    holiday_subdivision: str
    ranges: list[RangeOut]
    closures: list[ClosureOut]
    versions: list[VersionOut]


def _calendars():
    return Calendar.objects.prefetch_related("versions__ranges", "versions__closures").order_by(
        "name"
    )


def calendar_out(calendar: Calendar) -> dict:
    versions: list[CalendarVersion] = list(calendar.versions.all())
    current = versions[-1]
    return {
        "id": calendar.pk,
        "name": calendar.name,
        "time_zone": current.time_zone,
        "always_open": current.always_open,
        "holiday_country": current.holiday_country,
        "holiday_subdivision": current.holiday_subdivision,
        "ranges": [
            {
                "weekday": r.weekday,
                "opens": _clock(r.start_minute),
                "closes": _clock(r.end_minute),
            }
            for r in current.ranges.all()
        ],
        "closures": [{"day": c.day, "label": c.label} for c in current.closures.all()],
        "versions": [{"id": v.pk, "valid_from": v.valid_from} for v in versions],
    }


def _save_calendar(user, payload: CalendarIn, calendar: Calendar | None) -> Calendar:
    saved = save_calendar(
        actor=user,
        calendar=calendar,
        name=payload.name,
        time_zone=payload.time_zone,
        always_open=payload.always_open,
        holiday_country=payload.holiday_country,
        holiday_subdivision=payload.holiday_subdivision,
        openings=[
            Opening(r.weekday, _minutes(r.opens), _minutes(r.closes)) for r in payload.ranges
        ],
        closures=[Closure(c.day, c.label) for c in payload.closures],
    )
    return _calendars().get(pk=saved.pk)


@router.get("/calendars", response=responses(list[CalendarOut]))
def list_calendars(request):
    """Every calendar with its current hours (administrators)."""
    _admins_only(request.auth)
    return [calendar_out(c) for c in _calendars()]


@router.post("/calendars", response=responses(CalendarOut, 201))
def create_calendar(request, payload: CalendarIn):
    """A new calendar (administrators). Without ranges it must be open 24/7."""
    _admins_only(request.auth)
    return Status(201, calendar_out(_save_calendar(request.auth, payload, None)))


@router.get("/calendars/{calendar_id}", response=responses(CalendarOut))
def get_calendar(request, calendar_id: CalendarId):
    _admins_only(request.auth)
    return calendar_out(get_object_or_404(_calendars(), pk=calendar_id))


@router.put("/calendars/{calendar_id}", response=responses(CalendarOut))
def update_calendar(request, calendar_id: CalendarId, payload: CalendarIn):
    """New hours from now on; time already counted keeps the hours it was counted in."""
    _admins_only(request.auth)
    calendar = get_object_or_404(Calendar, pk=calendar_id)
    return calendar_out(_save_calendar(request.auth, payload, calendar))


# --- Contracts ---------------------------------------------------------------------------------
class TargetSchema(Schema):
    kind: TargetKind
    priority: Priority
    minutes: Minutes


class StepSchemaIn(Input):
    kind: ClockKind = Field(..., description="The clock whose target the percentage is of.")
    percent: int = Field(..., ge=1, le=MAX_PERCENT, description="100 is the breach.")
    action: EscalationAction
    team: Id | None = Field(None, description="The team to hand over to (`reassign` only).")


class TargetSchemaIn(TargetSchema, Input):
    pass


class ContractIn(Input):
    """A contract. A PUT replaces its targets, pausing reasons and escalation ladder."""

    name: Text = Field(..., max_length=150)
    organisation: Id | None = Field(None, description="The client; none for the default contract.")
    calendar: Id = Field(..., description="The calendar its times are counted in.")
    starts_on: Day
    ends_on: Day | None = Field(None, description="Open-ended when null.")
    reopen_rule: ReopenRule = ReopenRule.CONTINUE
    pausing_reasons: list[Id] = Field(
        [], max_length=200, description="Ids of the pending reasons that stop its clocks."
    )
    targets: list[TargetSchemaIn] = Field([], max_length=100)
    steps: list[StepSchemaIn] = Field([], max_length=100, description="The escalation ladder.")
    flat_fee: Amount | None = None
    cost_threshold: Amount | None = None
    notes: Text = Field("", max_length=10_000)


class ReasonRef(Schema):
    id: int
    code: str
    name: str


class StepOut(Schema):
    kind: ClockKind
    percent: int
    action: EscalationAction
    team: Ref | None


class ContractOut(Schema):
    id: int
    name: str
    is_default: bool
    organisation: Ref | None
    calendar: Ref
    starts_on: Day
    ends_on: Day | None
    reopen_rule: ReopenRule
    pausing_reasons: list[ReasonRef]
    targets: list[TargetSchema]
    steps: list[StepOut]
    flat_fee: Decimal | None
    cost_threshold: Decimal | None
    notes: str


def _contracts():
    return Contract.objects.select_related("organisation", "calendar").prefetch_related(
        "pausing_reasons", "targets", "escalation_steps__team"
    )


def _ref(obj) -> dict | None:
    return None if obj is None else {"id": obj.pk, "name": str(obj)}


def contract_out(contract: Contract) -> dict:
    return {
        "id": contract.pk,
        "name": contract.name,
        "is_default": contract.is_default,
        "organisation": _ref(contract.organisation),
        "calendar": _ref(contract.calendar),
        "starts_on": contract.starts_on,
        "ends_on": contract.ends_on,
        "reopen_rule": contract.reopen_rule,
        "pausing_reasons": [
            {"id": r.pk, "code": r.code, "name": r.name} for r in contract.pausing_reasons.all()
        ],
        "targets": [
            {"kind": t.kind, "priority": t.priority, "minutes": t.minutes}
            for t in contract.targets.all()
        ],
        "steps": [
            {"kind": s.kind, "percent": s.percent, "action": s.action, "team": _ref(s.team)}
            for s in contract.escalation_steps.all()
        ],
        "flat_fee": contract.flat_fee,
        "cost_threshold": contract.cost_threshold,
        "notes": contract.notes,
    }


def _save_contract(user, payload: ContractIn, contract: Contract | None) -> Contract:
    errors: dict[str, str] = {}
    organisation = None
    if payload.organisation is not None:
        organisation = Organisation.objects.filter(pk=payload.organisation).first()
        if organisation is None:
            errors["organisation"] = _("Unknown organisation.")
    calendar = Calendar.objects.filter(pk=payload.calendar).first()
    if calendar is None:
        errors["calendar"] = _("Unknown calendar.")
    wanted = set(payload.pausing_reasons)
    reasons = list(PendingReason.objects.filter(pk__in=wanted))
    if len(reasons) != len(wanted):
        errors["pausing_reasons"] = _("Unknown pending reason.")
    if errors:
        raise InvalidInput(errors)
    saved = save_contract(
        actor=user,
        contract=contract,
        name=payload.name,
        organisation=organisation,
        calendar=calendar,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        reopen_rule=payload.reopen_rule.value,
        pausing_reasons=reasons,
        targets=[TargetIn(t.kind.value, t.priority, t.minutes) for t in payload.targets],
        steps=[
            StepIn(kind=s.kind.value, percent=s.percent, action=s.action.value, team_id=s.team)
            for s in payload.steps
        ],
        flat_fee=payload.flat_fee,
        cost_threshold=payload.cost_threshold,
        notes=payload.notes,
    )
    return _contracts().get(pk=saved.pk)


@router.get("/contracts", response=responses(list[ContractOut]))
def list_contracts(request):
    """Every contract: the default one and the clients' own (administrators)."""
    _admins_only(request.auth)
    return [contract_out(c) for c in _contracts().order_by("name")]


@router.post("/contracts", response=responses(ContractOut, 201))
def create_contract(request, payload: ContractIn):
    """A client's contract (administrators). Two contracts of a client may not overlap."""
    _admins_only(request.auth)
    return Status(201, contract_out(_save_contract(request.auth, payload, None)))


@router.get("/contracts/{contract_id}", response=responses(ContractOut))
def get_contract(request, contract_id: ContractId):
    _admins_only(request.auth)
    return contract_out(get_object_or_404(_contracts(), pk=contract_id))


@router.put("/contracts/{contract_id}", response=responses(ContractOut))
def update_contract(request, contract_id: ContractId, payload: ContractIn):
    _admins_only(request.auth)
    contract = get_object_or_404(Contract, pk=contract_id)
    return contract_out(_save_contract(request.auth, payload, contract))


# --- Pending reasons ---------------------------------------------------------------------------
# The list (GET /pending-reasons) is the tickets' reference API. Two routers cannot share a
# path (the first one's view answers 405 to the other's methods), so the writes join its router.
class PendingReasonIn(Input):
    code: Text = Field(
        ...,
        max_length=50,
        description="Lower-case letters, digits, - and _; it cannot change once created.",
    )
    name_fr: Text = Field(..., max_length=200)
    name_en: Text = Field(..., max_length=200)
    active: bool = True


def _reason_out(reason: PendingReason) -> dict:
    return {
        "id": reason.pk,
        "code": reason.code,
        "name": reason.name,
        "name_fr": reason.name_fr,
        "name_en": reason.name_en,
        "active": reason.active,
    }


@reference_router.post("/pending-reasons", response=responses(ReferenceOut, 201))
def create_pending_reason(request, payload: PendingReasonIn):
    """A new reason a ticket may wait for (administrators)."""
    _admins_only(request.auth)
    reason = save_pending_reason(actor=request.auth, **payload.dict())
    return Status(201, _reason_out(reason))


@reference_router.put("/pending-reasons/{reason_id}", response=responses(ReferenceOut))
def update_pending_reason(request, reason_id: ReasonId, payload: PendingReasonIn):
    """Rename or (de)activate a reason; its code stays as it is."""
    _admins_only(request.auth)
    reason = get_object_or_404(PendingReason, pk=reason_id)
    return _reason_out(save_pending_reason(actor=request.auth, reason=reason, **payload.dict()))


# --- Teams' operational targets (OLA) ----------------------------------------------------------
class TeamTargetOut(Schema):
    priority: int
    minutes: int


class TeamTargetIn(Input):
    priority: Priority
    minutes: Minutes | None = Field(None, description="Null: no target for this priority.")


class TeamTargetsOut(Schema):
    team: Ref
    targets: list[TeamTargetOut]


class TeamTargetsIn(Input):
    """The team's targets; a priority left out has none."""

    targets: list[TeamTargetIn] = Field([], max_length=6)


def _targets_out(team, targets: dict[int, int]) -> dict:
    return {
        "team": _ref(team),
        "targets": [{"priority": p, "minutes": m} for p, m in sorted(targets.items())],
    }


@router.get("/teams/{team_id}/targets", response=responses(TeamTargetsOut))
def get_team_targets(request, team_id: TeamId):
    """How long the team may hold a ticket, in business minutes per priority."""
    _admins_only(request.auth)
    team = get_object_or_404(visible_teams(request.auth), pk=team_id)
    return _targets_out(team, {t.priority: t.minutes for t in team.operational_targets.all()})


@router.put("/teams/{team_id}/targets", response=responses(TeamTargetsOut))
def update_team_targets(request, team_id: TeamId, payload: TeamTargetsIn):
    _admins_only(request.auth)
    team = get_object_or_404(visible_teams(request.auth), pk=team_id)
    given = [t.priority for t in payload.targets]
    if len(set(given)) != len(given):
        raise InvalidInput({"targets": _("A priority is given twice.")})
    wanted: dict[int, int | None] = dict.fromkeys(range(1, 7))
    wanted.update({t.priority: t.minutes for t in payload.targets})
    return _targets_out(team, save_team_targets(actor=request.auth, team=team, targets=wanted))
