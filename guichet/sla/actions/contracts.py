"""Contract verbs (administrators only)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from guichet.accounts.models import Team
from guichet.lib.errors import InvalidInput
from guichet.sla.actions.clocks import recompute_later
from guichet.sla.actions.common import require_admin
from guichet.sla.choices import ClockKind, EscalationAction, ReopenRule, TargetKind
from guichet.sla.models import (
    Calendar,
    Contract,
    EscalationStep,
    Target,
)

NAME_MAX = 100
LABEL_MAX = 100
MAX_TARGET_MINUTES = 366 * 24 * 60
MAX_PERCENT = 1000


@dataclass(frozen=True)
class TargetIn:
    kind: str
    priority: int
    minutes: int


@dataclass(frozen=True)
class StepIn:
    """One rung of an escalation ladder: at `percent` % of the `kind` clock, do `action`;
    a hand-over ("reassign") names its team, by object or by id."""

    kind: str
    percent: int
    action: str
    team_id: int | None = None
    team: Team | None = None

    @property
    def team_key(self) -> int | None:
        return self.team.pk if self.team is not None else self.team_id


def _check_step(step: StepIn, teams: set[int]) -> str | None:
    """What is wrong with one step, or None."""
    if step.kind not in ClockKind.values:
        return _("unknown target.")
    if isinstance(step.percent, bool) or not isinstance(step.percent, int):
        return _("give a percentage from 1 to %(n)d.") % {"n": MAX_PERCENT}
    if not 1 <= step.percent <= MAX_PERCENT:
        return _("give a percentage from 1 to %(n)d.") % {"n": MAX_PERCENT}
    if step.action not in EscalationAction.values:
        return _("unknown action.")
    if step.action == EscalationAction.REASSIGN and step.team_key is None:
        return _("choose the team to hand over to.")
    if step.action != EscalationAction.REASSIGN and step.team_key is not None:
        return _("only a hand-over to a team names a team.")
    if step.team_key is not None and step.team_key not in teams:
        return _("unknown team.")
    return None


def _check_steps(errors: dict, steps: list[StepIn]) -> None:
    wanted = {s.team_key for s in steps if isinstance(s.team_key, int)}
    teams = set(Team.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    seen = set()
    for number, step in enumerate(steps, start=1):
        problem = _check_step(step, teams)
        key = (step.kind, step.percent, step.action)
        if problem is None and key in seen:
            problem = _("the same step is given twice.")
        seen.add(key)
        if problem is not None:
            errors.setdefault("steps", []).append(
                _("Step %(n)d: %(problem)s") % {"n": number, "problem": problem}
            )


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
    steps: list[StepIn] | None = None,
    flat_fee: Decimal | None = None,
    cost_threshold: Decimal | None = None,
    notes: str = "",
    contract: Contract | None = None,
) -> Contract:
    """Create a client's contract (or change one): its period, calendar, targets and, when
    `steps` is given, its escalation ladder (replaced by them; None keeps it as it is)."""
    require_admin(actor)
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
    if steps is not None:
        steps = list(steps)
        _check_steps(errors, steps)
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
    if steps is not None:
        _replace_steps(contract, steps)
    recompute_later()
    return contract


def _replace_steps(contract: Contract, steps: list[StepIn]) -> None:
    """Make the ladder exactly `steps`. A step kept as it was keeps its row, so the record
    that it already fired for a ticket (EscalationFiring) stays and it does not fire again."""
    current = {(s.kind, s.percent, s.action): s for s in contract.escalation_steps.all()}
    wanted = {(s.kind, s.percent, s.action): s for s in steps}
    gone = [row.pk for key, row in current.items() if key not in wanted]
    EscalationStep.objects.filter(pk__in=gone).delete()
    for key, step in wanted.items():
        row = current.get(key)
        if row is None:
            EscalationStep.objects.create(
                contract=contract,
                kind=step.kind,
                percent=step.percent,
                action=step.action,
                team_id=step.team_key,
            )
        elif row.team_id != step.team_key:
            row.team_id = step.team_key
            row.save(update_fields=["team"])
