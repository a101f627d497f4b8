"""Contracts as clocks read them: each contract's terms, and which contract covers a client on
a given day, built once per process and revision of the reference data."""

from dataclasses import dataclass
from datetime import date

from django.db import models
from django.utils.translation import gettext as _

from guichet.lib import refcache
from guichet.sla import calendars
from guichet.sla.clocks import Reference
from guichet.sla.models import Contract, EscalationStep, TeamTarget


@dataclass(frozen=True)
class Terms:
    """What a contract promises, in the form the clocks use."""

    contract_id: int
    name: str
    calendar_id: int
    reopen_rule: str
    pausing_reasons: frozenset[int]
    minutes: dict[tuple[str, int], int]  # (target kind, priority) -> business minutes
    # The escalation ladder: kind -> ((percent, step id), ...) by percent.
    steps: dict[str, tuple[tuple[int, int], ...]]

    def target_seconds(self, kind: str, priority: int) -> int | None:
        minutes = self.minutes.get((kind, priority))
        return None if minutes is None else minutes * 60


def _ladders() -> dict[int, dict[str, tuple[tuple[int, int], ...]]]:
    ladders: dict[int, dict[str, list[tuple[int, int]]]] = {}
    for step in EscalationStep.objects.order_by("percent", "id"):
        ladders.setdefault(step.contract_id, {}).setdefault(step.kind, []).append(
            (step.percent, step.pk)
        )
    return {c: {k: tuple(v) for k, v in kinds.items()} for c, kinds in ladders.items()}


@dataclass(frozen=True)
class Step:
    """A rung of an escalation ladder as the worker takes it."""

    pk: int
    percent: int
    action: str
    team_id: int | None


def steps_by_id() -> dict[int, Step]:
    return refcache.cached(
        "sla.steps",
        lambda: {
            s.pk: Step(s.pk, s.percent, s.action, s.team_id) for s in EscalationStep.objects.all()
        },
    )


def _all_terms() -> dict[int, Terms]:
    contracts = Contract.objects.prefetch_related("targets", "pausing_reasons")
    ladders = _ladders()
    return {
        c.pk: Terms(
            contract_id=c.pk,
            name=c.name,
            calendar_id=c.calendar_id,
            reopen_rule=c.reopen_rule,
            pausing_reasons=frozenset(r.pk for r in c.pausing_reasons.all()),
            minutes={(t.kind, t.priority): t.minutes for t in c.targets.all()},
            steps=ladders.get(c.pk, {}),
        )
        for c in contracts
    }


def contract_ids() -> list[int]:
    """Every contract's id (from the cache)."""
    return list(refcache.cached("sla.terms", _all_terms))


def terms(contract_id: int) -> Terms:
    """The terms of a contract (KeyError for an unknown id)."""
    return refcache.cached("sla.terms", _all_terms)[contract_id]


def _periods() -> tuple[dict[int, list[tuple[date, date, int]]], int | None]:
    by_client: dict[int, list[tuple[date, date, int]]] = {}
    default = None
    for c in Contract.objects.order_by("starts_on"):
        if c.is_default:
            default = c.pk
        if c.organisation_id is not None:
            by_client.setdefault(c.organisation_id, []).append(
                (c.starts_on, c.ends_on or date.max, c.pk)
            )
    return by_client, default


def contract_for(organisation_id: int | None, day: date) -> int | None:
    """The id of the contract covering the client on `day`: theirs, else the default one."""
    by_client, default = refcache.cached("sla.periods", _periods)
    for starts, ends, pk in by_client.get(organisation_id or 0, []):
        if starts <= day <= ends:
            return pk
    return default


def _team_minutes() -> dict[tuple[int, int], int]:
    return {(t.team_id, t.priority): t.minutes for t in TeamTarget.objects.all()}


def team_target_seconds(team_id: int, priority: int) -> int | None:
    """The OLA of a team for a priority, in business seconds."""
    minutes = refcache.cached("sla.team_targets", _team_minutes).get((team_id, priority))
    return None if minutes is None else minutes * 60


def default_contract() -> int | None:
    return refcache.cached("sla.periods", _periods)[1]


def _target(contract_id: int, kind: str, priority: int) -> int | None:
    return terms(contract_id).target_seconds(kind, priority)


# The engine's view of the reference data, each piece from the per-revision caches.
REFERENCE = Reference(
    timeline=lambda contract_id: calendars.timeline(terms(contract_id).calendar_id),
    pausing=lambda contract_id: terms(contract_id).pausing_reasons,
    restarts=lambda contract_id: terms(contract_id).reopen_rule == "restart",
    target=_target,
    team_target=team_target_seconds,
)


def contracts_for_client(organisation_id: int | None) -> list[Contract]:
    """The contracts a client's ticket may be measured against: theirs and the default."""
    return refcache.cached(
        ("sla.client_contracts", organisation_id),
        lambda: list(
            Contract.objects.filter(
                models.Q(organisation_id=organisation_id) | models.Q(is_default=True)
            )
        ),
    )


def contract_name(contract_id: int) -> str:
    """A contract's name, for histories ("contract #n" once it no longer exists)."""
    try:
        return terms(contract_id).name
    except KeyError:
        return _("contract #%(id)s") % {"id": contract_id}
