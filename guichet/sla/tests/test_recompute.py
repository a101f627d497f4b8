"""Open tickets follow edits of their contract; closed ones keep what they were measured with."""

from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from guichet.sla import tasks
from guichet.sla.actions import TargetIn, save_contract
from guichet.sla.models import Contract, TicketClock
from guichet.tickets import actions
from guichet.tickets.tests.factories import make_ticket


def resolve_target(ticket) -> int | None:
    return TicketClock.objects.get(ticket=ticket, kind="resolve").target_seconds


def test_saving_a_contract_has_the_worker_recompute_open_tickets(
    root, alice, bob, django_capture_on_commit_callbacks
):
    open_one = make_ticket(bob, title="Open")
    closed = make_ticket(bob, title="Closed")
    actions.solve(ticket=closed, actor=alice, solution="Done")
    actions.close(ticket=closed, actor=alice)
    contract = Contract.objects.get(is_default=True)
    targets = [TargetIn(t.kind, t.priority, t.minutes) for t in contract.targets.all()]
    targets = [
        t if (t.kind, t.priority) != ("resolve", 3) else TargetIn("resolve", 3, 60) for t in targets
    ]

    with django_capture_on_commit_callbacks(execute=True):
        save_contract(
            actor=root,
            contract=contract,
            name=contract.name,
            calendar=contract.calendar,
            starts_on=contract.starts_on,
            targets=targets,
        )
    assert DBTaskResult.objects.filter(task_path__endswith="recompute_open_tickets").exists()

    assert tasks.recompute_open_tickets.call() == 1
    assert resolve_target(open_one) == 3600
    assert resolve_target(closed) == 24 * 3600


def test_the_command_recomputes_every_ticket_with_all(alice, bob):
    ticket = make_ticket(bob)
    TicketClock.objects.filter(ticket=ticket).delete()

    call_command("sla_recompute", "--all", verbosity=0)

    assert set(TicketClock.objects.filter(ticket=ticket).values_list("kind", flat=True)) == {
        "own",
        "resolve",
    }
