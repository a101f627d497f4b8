"""Contracts as clocks read them: each contract's terms, and which contract covers a client on
a given day, built once per process and revision of the reference data."""

from dataclasses import dataclass
from datetime import date

from guichet.lib import refcache
from guichet.sla.models import Contract


@dataclass(frozen=True)
class Terms:
    """What a contract promises, in the form the clocks use."""

    contract_id: int
    name: str
    calendar_id: int
    reopen_rule: str
    pausing_reasons: frozenset[int]
    minutes: dict[tuple[str, int], int]  # (target kind, priority) -> business minutes

    def target_seconds(self, kind: str, priority: int) -> int | None:
        minutes = self.minutes.get((kind, priority))
        return None if minutes is None else minutes * 60


def _all_terms() -> dict[int, Terms]:
    contracts = Contract.objects.prefetch_related("targets", "pausing_reasons")
    return {
        c.pk: Terms(
            contract_id=c.pk,
            name=c.name,
            calendar_id=c.calendar_id,
            reopen_rule=c.reopen_rule,
            pausing_reasons=frozenset(r.pk for r in c.pausing_reasons.all()),
            minutes={(t.kind, t.priority): t.minutes for t in c.targets.all()},
        )
        for c in contracts
    }


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
