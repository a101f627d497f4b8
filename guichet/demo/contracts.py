"""The demo's service terms: the accounting firm's outsourcing contract (on-site intervention
in 4 business hours, the clock starting again on reopening), escalation ladders on it and on
the default contract, and each team's internal targets (OLAs). Created once, through the same
actions as the configuration screens."""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from guichet.demo.people import Cast
from guichet.sla.actions import StepIn, TargetIn, save_contract, save_team_targets
from guichet.sla.models import Calendar, Contract, TeamTarget
from guichet.sla.seed import DEFAULT_TARGETS, PAUSING_REASONS
from guichet.tickets.models import PendingReason

FIRM = "Cabinet Durand & Associés"
FIRM_CONTRACT = "Infogérance Cabinet Durand"
# Business minutes a team may hold its share of a ticket, by priority (1 = very low).
OLA_MINUTES = {
    "n1": {1: 8 * 60, 2: 4 * 60, 3: 2 * 60, 4: 60, 5: 30, 6: 15},
    "n2": {1: 24 * 60, 2: 16 * 60, 3: 8 * 60, 4: 4 * 60, 5: 2 * 60, 6: 60},
    "n3": {1: 40 * 60, 2: 24 * 60, 3: 16 * 60, 4: 8 * 60, 5: 4 * 60, 6: 2 * 60},
}
LADDER = [
    StepIn("own", 50, "notify_assignee"),
    StepIn("own", 100, "notify_supervisor"),
    StepIn("resolve", 75, "notify_assignee"),
    StepIn("resolve", 100, "notify_supervisor"),
]


def _targets(intervene: int | None = None) -> list[TargetIn]:
    targets = [
        TargetIn(kind, priority, minutes)
        for priority, times in DEFAULT_TARGETS.items()
        for kind, minutes in zip(("own", "resolve", "next_response"), times, strict=True)
    ]
    if intervene:
        targets += [TargetIn("intervene", p, intervene) for p in DEFAULT_TARGETS]
    return targets


@transaction.atomic
def ensure_service_terms(cast: Cast) -> None:
    admin = cast.admin
    default = Contract.objects.get(is_default=True)
    if not default.escalation_steps.exists():
        save_contract(
            actor=admin,
            contract=default,
            name=default.name,
            calendar=default.calendar,
            starts_on=default.starts_on,
            reopen_rule=default.reopen_rule,
            pausing_reasons=list(default.pausing_reasons.all()),
            targets=[TargetIn(t.kind, t.priority, t.minutes) for t in default.targets.all()],
            steps=LADDER,
            notes=default.notes,
        )
    firm = next(c.organisation for c in cast.clients if c.organisation.name == FIRM)
    if not Contract.objects.filter(name=FIRM_CONTRACT).exists():
        save_contract(
            actor=admin,
            name=FIRM_CONTRACT,
            organisation=firm,
            calendar=Calendar.objects.get(pk=default.calendar_id),
            starts_on=(timezone.now() - timedelta(days=2 * 365)).date(),
            reopen_rule="restart",
            pausing_reasons=list(PendingReason.objects.filter(code__in=PAUSING_REASONS)),
            targets=_targets(intervene=4 * 60),
            steps=[
                *LADDER,
                StepIn("resolve", 150, "raise_priority"),
                StepIn("intervene", 100, "notify_supervisor"),
            ],
            flat_fee=Decimal("90.00"),
            cost_threshold=Decimal("300.00"),
            notes="GTI 4 h ouvrées ; devis signé au-delà de 300 € HT.",
        )
    for key, minutes in OLA_MINUTES.items():
        team = cast.teams[key]
        if not TeamTarget.objects.filter(team=team).exists():
            save_team_targets(actor=admin, team=team, targets=dict(minutes))
