"""Each figure of the service reports, exact on a few hand-built tickets and clocks."""

from datetime import date

import pytest

from guichet.accounts.tests.factories import make_team
from guichet.sla.choices import ClockKind
from guichet.sla.reports import figures
from guichet.sla.reports.figures import (
    Ratings,
    Share,
    SolvedCount,
    attainment,
    backlog,
    percentile,
    resolution_times,
    satisfaction,
    service_report,
    solved,
)
from guichet.sla.tests.reports_world import (
    NOW,
    at,
    client_contract,
    clock,
    default_contract,
    ticket,
    year_2026,
)
from guichet.tickets.choices import Status

pytestmark = pytest.mark.django_db

OWN, RESOLVE = ClockKind.OWN, ClockKind.RESOLVE


def test_it_counts_clocks_met_among_those_stopped_in_each_month(bob, support_team):
    # given
    contract = default_contract()
    for day, breached in [("2026-01-05", False), ("2026-01-06", False), ("2026-01-07", True)]:
        clock(
            ticket(bob, team=support_team),
            OWN,
            contract=contract,
            stopped=at(day),
            breached=breached,
        )
    clock(ticket(bob), RESOLVE, contract=contract, stopped=at("2026-02-03"), breached=True)
    # when
    found = attainment(year_2026())
    # then
    assert found.overall[OWN] == Share(met=2, total=3)
    assert found.overall[RESOLVE] == Share(met=0, total=1)
    assert found.by_month[OWN][0] == Share(2, 3)
    assert found.by_month[OWN][1] == Share()
    assert found.by_month[RESOLVE][1] == Share(0, 1)
    assert len(found.by_month[OWN]) == 12
    assert [(s.kind, s.label, s.share) for s in found.by_team] == [
        (OWN, "Support N1", Share(2, 3)),
        (RESOLVE, "", Share(0, 1)),
    ]


def test_it_counts_a_running_clock_past_due_as_breached_in_the_month_it_fell_due(bob):
    contract = default_contract()
    clock(ticket(bob), RESOLVE, contract=contract, due_at=at("2026-02-10"))
    clock(ticket(bob), RESOLVE, contract=contract, due_at=at("2026-03-20"))  # after now
    clock(ticket(bob), RESOLVE, contract=contract, due_at=None, paused=True)
    found = attainment(year_2026())
    assert found.by_month[RESOLVE][1] == Share(0, 1)
    assert found.overall[RESOLVE] == Share(0, 1)


def test_it_leaves_out_clocks_without_a_target_other_kinds_and_other_periods(bob):
    contract = default_contract()
    clock(ticket(bob), OWN, contract=contract, stopped=at("2026-01-05"), target_seconds=None)
    clock(ticket(bob), ClockKind.NEXT_RESPONSE, contract=contract, stopped=at("2026-01-05"))
    clock(ticket(bob), ClockKind.OLA, contract=contract, stopped=at("2026-01-05"))
    clock(ticket(bob), OWN, contract=contract, stopped=at("2025-12-31", 23, 59))
    clock(ticket(bob), OWN, contract=contract, stopped=at("2027-01-01", 0, 0))
    found = attainment(year_2026())
    assert found.rows == []
    assert found.overall == {OWN: Share(), RESOLVE: Share()}


def test_it_cuts_months_at_midnight_in_the_service_time_zone(bob):
    # 23:30 UTC on the last day of February is already March in Paris.
    contract = default_contract()
    clock(ticket(bob), OWN, contract=contract, stopped=at("2026-03-01", 0, 30))
    clock(ticket(bob), OWN, contract=contract, stopped=at("2026-02-28", 23, 59))
    found = attainment(year_2026())
    assert [s.total for s in found.by_month[OWN][:3]] == [0, 1, 1]


def test_it_breaks_attainment_down_per_contract_priority_team_and_month(bob, acme, support_team):
    gold = client_contract(acme)
    other_team = make_team("Réseau")
    clock(ticket(bob, priority=4, team=support_team), OWN, contract=gold, stopped=at("2026-01-05"))
    clock(ticket(bob, priority=4, team=other_team), OWN, contract=gold, stopped=at("2026-01-06"))
    clock(
        ticket(bob, priority=2),
        OWN,
        contract=default_contract(),
        stopped=at("2026-02-06"),
        breached=True,
    )
    found = attainment(year_2026())
    assert [(r.month, r.contract, r.priority, r.team, r.share) for r in found.rows] == [
        (date(2026, 1, 1), "Acme Gold", 4, "Réseau", Share(1, 1)),
        (date(2026, 1, 1), "Acme Gold", 4, "Support N1", Share(1, 1)),
        (date(2026, 2, 1), "Contrat par défaut", 2, "", Share(0, 1)),
    ]
    assert [(s.label, s.share) for s in found.by_contract] == [
        ("Acme Gold", Share(2, 2)),
        ("Contrat par défaut", Share(0, 1)),
    ]
    assert [(s.label, s.share) for s in found.by_priority] == [
        ("P2", Share(0, 1)),
        ("P4", Share(2, 2)),
    ]
    only_gold = attainment(year_2026(contract=gold.pk, team=support_team.pk))
    assert only_gold.overall[OWN] == Share(1, 1)
    assert attainment(year_2026(priority=2)).overall[OWN] == Share(0, 1)


def test_first_contact_needs_no_handover_no_wait_and_no_reopening(bob):
    contract = default_contract()
    solved_at = at("2026-01-20")
    clock(ticket(bob), RESOLVE, contract=contract, stopped=solved_at)
    clock(ticket(bob), RESOLVE, contract=contract, stopped=solved_at, handovers=1)
    clock(ticket(bob), RESOLVE, contract=contract, stopped=solved_at, waits=2)
    clock(ticket(bob, reopen_count=1), RESOLVE, contract=contract, stopped=at("2026-02-02"))
    clock(ticket(bob, reopen_count=1), RESOLVE, contract=contract)  # reopened, running again
    found = solved(year_2026())
    assert found.overall == SolvedCount(solved=4, first_contact=1, reopened=1)
    assert found.overall.first_contact_rate == 0.25
    assert found.overall.reopen_rate == 0.25
    assert found.by_month[0] == SolvedCount(3, 1, 0)
    assert found.by_month[1] == SolvedCount(1, 0, 1)
    assert found.by_priority == {3: SolvedCount(4, 1, 1)}


def test_percentiles_interpolate_between_ranks():
    assert percentile([100, 200, 300, 400, 1000], 0.5) == 300
    assert percentile([100, 200, 300, 400, 1000], 0.9) == pytest.approx(760)
    assert percentile([7], 0.9) == 7
    assert percentile([1, 2], 0.5) == 1.5


def test_time_to_resolve_has_a_median_and_a_90th_percentile_per_priority(bob):
    contract = default_contract()
    for priority, elapsed in [(4, 100), (4, 1000), (4, 300), (4, 200), (4, 400), (2, 50)]:
        clock(
            ticket(bob, priority=priority),
            RESOLVE,
            contract=contract,
            stopped=at("2026-01-20"),
            elapsed_seconds=elapsed,
        )
    clock(ticket(bob), RESOLVE, contract=contract, elapsed_seconds=99_999)  # not solved
    times = resolution_times(year_2026())
    assert [(t.priority, t.count, t.median_seconds, t.p90_seconds) for t in times] == [
        (4, 5, 300, 760),
        (2, 1, 50, 50),
        (None, 6, 250, 700),
    ]


def test_nothing_solved_gives_no_times_rather_than_zeroes(bob):
    times = resolution_times(year_2026())
    assert [(t.priority, t.count, t.median_seconds) for t in times] == [(None, 0, None)]


def test_backlog_ages_open_tickets_in_calendar_days(bob, support_team):
    # NOW is 15 March 2026 at noon in Paris.
    for created in [
        at("2026-03-15", 11),  # 0 days
        at("2026-03-13", 0, 0),  # 2 days
        at("2026-03-12", 23, 59),  # 3 days
        at("2026-03-08"),  # 7 days
        at("2026-03-07"),  # 8 days
        at("2026-02-13"),  # 30 days
        at("2026-02-12"),  # 31 days
    ]:
        ticket(bob, created=created, status=Status.ASSIGNED, team=support_team, priority=4)
    ticket(bob, created=at("2026-01-01"), status=Status.PENDING, priority=2)
    ticket(bob, created=at("2026-01-01"), status=Status.SOLVED)
    ticket(bob, created=at("2026-01-01"), status=Status.CLOSED)
    found = backlog(year_2026())
    assert found.total.counts == (2, 2, 2, 2)
    assert [(a.label, a.counts) for a in found.by_priority] == [
        ("P4", (2, 2, 2, 1)),
        ("P2", (0, 0, 0, 1)),
    ]
    assert [(a.label, a.counts, a.total) for a in found.by_team] == [
        ("Support N1", (2, 2, 2, 1), 7),
        ("", (0, 0, 0, 1), 1),
    ]
    assert backlog(year_2026(team=support_team.pk)).total.counts == (2, 2, 2, 1)
    assert backlog(year_2026(priority=2)).total.counts == (0, 0, 0, 1)


def test_backlog_of_a_contract_follows_the_tickets_resolution_clock(bob, acme):
    gold = client_contract(acme)
    covered = ticket(bob, status=Status.NEW)
    clock(covered, RESOLVE, contract=gold)
    clock(ticket(bob, status=Status.NEW), RESOLVE, contract=default_contract())
    assert backlog(year_2026(contract=gold.pk)).total.total == 1


def test_satisfaction_counts_and_averages_scores_of_tickets_closed_in_the_period(bob):
    for closed, score in [("2026-01-10", 5), ("2026-01-11", 4), ("2026-03-01", 1)]:
        ticket(bob, status=Status.CLOSED, closed_at=at(closed), satisfaction=score)
    ticket(bob, status=Status.CLOSED, closed_at=at("2026-01-12"))  # not rated
    ticket(bob, status=Status.CLOSED, closed_at=at("2025-12-12"), satisfaction=1)  # before
    ticket(bob, status=Status.SOLVED, satisfaction=2)  # rated, not closed
    found = satisfaction(year_2026())
    assert found.overall == Ratings((1, 0, 0, 1, 1))
    assert found.overall.count == 3
    assert found.overall.mean == pytest.approx(10 / 3)
    assert found.by_month[0].mean == 4.5
    assert found.by_month[1].mean is None


def test_an_organisation_filter_and_a_scope_keep_other_clients_out(bob, charlie, globex):
    contract = default_contract()
    solved_ = Status.SOLVED
    clock(ticket(bob, status=solved_), OWN, contract=contract, stopped=at("2026-01-05"))
    clock(
        ticket(charlie, status=solved_),
        OWN,
        contract=contract,
        stopped=at("2026-01-05"),
        breached=True,
    )
    ticket(charlie, status=Status.NEW)
    ticket(bob, status=Status.NEW)
    ticket(charlie, status=Status.CLOSED, closed_at=at("2026-01-05"), satisfaction=1)
    only_globex = year_2026(scope=frozenset({globex.pk}))
    report = service_report(only_globex)
    assert report.attainment.overall[OWN] == Share(0, 1)
    assert report.backlog.total.total == 1
    assert report.satisfaction.overall.count == 1
    assert attainment(year_2026(organisation=bob.organisation_id)).overall[OWN] == Share(1, 1)
    nothing = service_report(year_2026(scope=frozenset()))
    assert nothing.attainment.overall[OWN] == Share()
    assert nothing.backlog.total.total == 0
    assert nothing.satisfaction.overall.count == 0
    assert nothing.solved.overall.solved == 0


def test_the_now_of_the_report_is_when_overdue_and_age_are_read(bob):
    assert year_2026().now == NOW


def test_the_figures_are_the_same_when_ids_are_too_large_to_pack(bob, acme, monkeypatch):
    gold = client_contract(acme)
    clock(ticket(bob, priority=4), OWN, contract=gold, stopped=at("2026-01-05"))
    clock(
        ticket(bob), RESOLVE, contract=default_contract(), stopped=at("2026-02-05"), breached=True
    )
    packed = attainment(year_2026())
    monkeypatch.setattr(figures, "ID_BITS", 1)
    plain = attainment(year_2026())
    assert plain.rows == packed.rows
    assert plain.by_contract == packed.by_contract
    assert len(plain.rows) == 2
