"""The verbs behind the configuration screens and API: escalation ladders, teams' targets
(OLA) and pending reasons. Refusals name the field and leave nothing half-saved."""

from datetime import UTC, date, datetime

import pytest

from guichet.lib.errors import Forbidden, InvalidInput
from guichet.sla.actions import StepIn, TargetIn, save_contract, save_team_targets
from guichet.sla.choices import ClockKind, EscalationAction, TargetKind
from guichet.sla.models import Calendar, Contract, EscalationFiring, TeamTarget
from guichet.tickets.actions.reference import save_pending_reason
from guichet.tickets.models import PendingReason
from guichet.tickets.tests.factories import make_ticket

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 1, 2, 12, 0, tzinfo=UTC)
NOTIFY = StepIn(ClockKind.RESOLVE, 80, EscalationAction.NOTIFY_ASSIGNEE)


def contract_with(root, acme, steps, contract=None):
    return save_contract(
        actor=root,
        contract=contract,
        name="Acme Gold",
        organisation=acme,
        calendar=Calendar.objects.get(name="24/7"),
        starts_on=date(2026, 1, 1),
        targets=[TargetIn(TargetKind.RESOLVE, 4, 240)],
        steps=steps,
    )


# --- Escalation ladders ------------------------------------------------------------------------
def test_it_saves_a_ladder_with_a_hand_over(root, acme, support_team):
    hand_over = StepIn(ClockKind.RESOLVE, 100, EscalationAction.REASSIGN, team=support_team)
    by_id = StepIn(ClockKind.OLA, 150, EscalationAction.REASSIGN, team_id=support_team.pk)

    contract = contract_with(root, acme, [NOTIFY, hand_over, by_id])

    rows = [(s.kind, s.percent, s.action, s.team_id) for s in contract.escalation_steps.all()]
    assert rows == [
        ("ola", 150, "reassign", support_team.pk),
        ("resolve", 80, "notify_assignee", None),
        ("resolve", 100, "reassign", support_team.pk),
    ]


def test_a_step_that_stays_keeps_its_record_of_firing(root, acme, bob):
    contract = contract_with(root, acme, [NOTIFY])
    step = contract.escalation_steps.get()
    EscalationFiring.objects.create(ticket=make_ticket(bob), step=step, fired_at=NOON)
    raise_it = StepIn(ClockKind.RESOLVE, 100, EscalationAction.RAISE_PRIORITY)

    contract_with(root, acme, [NOTIFY, raise_it], contract=contract)

    assert contract.escalation_steps.count() == 2
    assert EscalationFiring.objects.filter(step=step).exists()
    contract_with(root, acme, [raise_it], contract=contract)
    assert not EscalationFiring.objects.exists()


def test_leaving_out_the_steps_keeps_the_ladder(root, acme):
    contract = contract_with(root, acme, [NOTIFY])

    contract_with(root, acme, None, contract=contract)

    assert contract.escalation_steps.count() == 1


@pytest.mark.parametrize(
    ("step", "message"),
    [
        (StepIn("coffee", 80, EscalationAction.FLAG_MAJOR), "Step 1: unknown target."),
        (StepIn(ClockKind.OWN, 0, EscalationAction.FLAG_MAJOR), "Step 1: give a percentage"),
        (StepIn(ClockKind.OWN, 1001, EscalationAction.FLAG_MAJOR), "Step 1: give a percentage"),
        (StepIn(ClockKind.OWN, True, EscalationAction.FLAG_MAJOR), "Step 1: give a percentage"),
        (StepIn(ClockKind.OWN, 50, "dance"), "Step 1: unknown action."),
        (StepIn(ClockKind.OWN, 50, EscalationAction.REASSIGN), "Step 1: choose the team"),
        (StepIn(ClockKind.OWN, 50, EscalationAction.REASSIGN, team_id=999_999), "unknown team"),
        (StepIn(ClockKind.OWN, 50, EscalationAction.FLAG_MAJOR, team_id=1), "only a hand-over"),
    ],
)
def test_bad_steps_are_refused_and_nothing_is_saved(root, acme, step, message):
    with pytest.raises(InvalidInput) as caught:
        contract_with(root, acme, [step])

    assert any(message in m for m in caught.value.errors["steps"])
    assert not Contract.objects.filter(organisation=acme).exists()


def test_a_step_given_twice_is_refused(root, acme):
    with pytest.raises(InvalidInput) as caught:
        contract_with(root, acme, [NOTIFY, NOTIFY])

    assert caught.value.errors["steps"] == ["Step 2: the same step is given twice."]


def test_a_refused_ladder_leaves_the_contract_as_it_was(root, acme):
    contract = contract_with(root, acme, [NOTIFY])

    with pytest.raises(InvalidInput):
        save_contract(
            actor=root,
            contract=contract,
            name="Renamed",
            organisation=acme,
            calendar=contract.calendar,
            starts_on=contract.starts_on,
            steps=[StepIn(ClockKind.OWN, 0, EscalationAction.FLAG_MAJOR)],
        )

    contract.refresh_from_db()
    assert contract.name == "Acme Gold" and contract.targets.count() == 1


# --- Teams' targets ----------------------------------------------------------------------------
def test_it_sets_changes_and_removes_a_teams_targets(root, support_team):
    assert save_team_targets(actor=root, team=support_team, targets={6: 30, 5: 60}) == {
        5: 60,
        6: 30,
    }

    found = save_team_targets(actor=root, team=support_team, targets={6: None, 5: 90, 1: 2400})

    assert found == {1: 2400, 5: 90}
    assert dict(TeamTarget.objects.values_list("priority", "minutes")) == {1: 2400, 5: 90}


@pytest.mark.parametrize(
    "targets", [{0: 10}, {7: 10}, {6: 0}, {6: 366 * 24 * 60 + 1}, {6: "10"}, {6: 1.5}]
)
def test_bad_team_targets_are_refused_and_nothing_is_saved(root, support_team, targets):
    with pytest.raises(InvalidInput) as caught:
        save_team_targets(actor=root, team=support_team, targets={5: 60, **targets})

    assert "targets" in caught.value.errors
    assert not TeamTarget.objects.exists()


# --- Pending reasons ---------------------------------------------------------------------------
def test_it_creates_and_renames_a_pending_reason(root):
    reason = save_pending_reason(actor=root, code="rma", name_fr=" Retour ", name_en="RMA")

    save_pending_reason(
        actor=root, reason=reason, code="rma", name_fr="Retour SAV", name_en="RMA", active=False
    )

    reason.refresh_from_db()
    assert (reason.name_fr, reason.active) == ("Retour SAV", False)


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"code": ""}, "code"),
        ({"code": "customer"}, "code"),
        ({"code": "Two Words"}, "code"),
        ({"code": "x" * 51}, "code"),
        ({"name_fr": "  "}, "name_fr"),
        ({"name_en": "x" * 201}, "name_en"),
    ],
)
def test_bad_pending_reasons_are_refused_with_the_field_named(root, values, field):
    with pytest.raises(InvalidInput) as caught:
        save_pending_reason(actor=root, **{"code": "rma", "name_fr": "A", "name_en": "B", **values})

    assert field in caught.value.errors
    assert not PendingReason.objects.filter(code="rma").exists()


def test_a_pending_reasons_code_does_not_change(root):
    customer = PendingReason.objects.get(code="customer")

    with pytest.raises(InvalidInput) as caught:
        save_pending_reason(actor=root, reason=customer, code="client", name_fr="A", name_en="B")

    assert "code" in caught.value.errors


def test_only_administrators_change_these(alice, sam, acme, support_team):
    for person in (alice, sam):
        with pytest.raises(Forbidden):
            contract_with(person, acme, [NOTIFY])
        with pytest.raises(Forbidden):
            save_team_targets(actor=person, team=support_team, targets={6: 30})
        with pytest.raises(Forbidden):
            save_pending_reason(actor=person, code="mine", name_fr="A", name_en="B")
