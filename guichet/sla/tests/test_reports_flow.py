"""The reports on clocks left by the ticket verbs themselves (the default contract: Monday–
Friday 08:30–12:30 and 13:30–18:00 in Paris; priority 3: own in 2 h, resolve in 24 h)."""

from datetime import date

import pytest

from guichet.sla.choices import ClockKind
from guichet.sla.reports.figures import Share, SolvedCount, service_report
from guichet.sla.reports.filters import ReportFilters
from guichet.sla.tests.test_ticket_clocks import paris
from guichet.tickets import actions
from guichet.tickets.models import PendingReason
from guichet.tickets.tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def march(**fields) -> ReportFilters:
    fields.setdefault("now", paris(5, 12))  # Thursday 5 March 2026, noon
    return ReportFilters(start=date(2026, 3, 1), end=date(2026, 3, 1), **fields)


@pytest.fixture
def week(bob, alice, support_team):
    """Four tickets of the week of Monday 2 March 2026."""
    # A: Support N1's, owned in 1 h, solved in 2 h at the first contact, accepted and rated 5.
    a = make_ticket(bob, at=paris(2, 9))
    actions.assign(ticket=a, actor=alice, team=support_team, assignee=alice, at=paris(2, 10))
    actions.solve(ticket=a, actor=alice, solution="Restarted the spooler", at=paris(2, 11))
    actions.accept_solution(ticket=a, actor=bob, at=paris(2, 11, 30))
    actions.rate_satisfaction(ticket=a, actor=bob, score=5, at=paris(2, 11, 40))
    # B: owned after 3 h (breached); waits on the customer for an hour on Tuesday (not
    # counted); solved on Thursday at 10:00 after 25 h 30 of business time (breached).
    b = make_ticket(bob, at=paris(2, 9))
    actions.assign(ticket=b, actor=alice, assignee=alice, at=paris(2, 12))
    customer = PendingReason.objects.get(code="customer")
    actions.set_pending(ticket=b, actor=alice, reason=customer, at=paris(3, 9))
    actions.resume(ticket=b, actor=alice, at=paris(3, 10))
    actions.solve(ticket=b, actor=alice, solution="Replaced the toner", at=paris(5, 10))
    # C: nobody took it; by Thursday noon both its clocks are past due.
    make_ticket(bob, at=paris(2, 9))
    # D: solved, refused, solved again: 2 h in all, one reopening.
    d = make_ticket(bob, at=paris(3, 9))
    actions.assign(ticket=d, actor=alice, assignee=alice, at=paris(3, 9))
    actions.solve(ticket=d, actor=alice, solution="Cleaned the rollers", at=paris(3, 10))
    actions.refuse_solution(ticket=d, actor=bob, reason="Still jams", at=paris(3, 11))
    actions.solve(ticket=d, actor=alice, solution="Replaced the rollers", at=paris(3, 12))


def test_the_figures_follow_the_tickets_history(week):
    report = service_report(march())
    assert report.attainment.overall == {
        ClockKind.OWN: Share(met=2, total=4),
        ClockKind.RESOLVE: Share(met=2, total=4),
    }
    assert report.solved.overall == SolvedCount(solved=3, first_contact=1, reopened=1)
    *_per_priority, overall = report.resolution_times
    assert (overall.count, overall.median_seconds, overall.p90_seconds) == (3, 7200, 74880)
    assert report.backlog.total.counts == (0, 1, 0, 0)
    assert report.satisfaction.overall.counts == (0, 0, 0, 0, 1)


def test_a_running_clock_counts_as_breached_once_past_due(week):
    # C's time to own fell due on Monday at 11:00 (2 business hours).
    before = service_report(march(now=paris(2, 10, 59))).attainment.overall[ClockKind.OWN]
    after = service_report(march(now=paris(2, 11, 1))).attainment.overall[ClockKind.OWN]
    assert (before.total, after.total) == (3, 4)
    assert before.met == after.met == 2


def test_the_team_of_a_clock_is_the_tickets(week, support_team):
    report = service_report(march(team=support_team.pk))
    assert report.attainment.overall[ClockKind.OWN] == Share(met=1, total=1)
    by_team = service_report(march()).attainment.by_team
    assert [(s.kind, s.label, s.share) for s in by_team] == [
        (ClockKind.OWN, "", Share(1, 3)),
        (ClockKind.OWN, "Support N1", Share(1, 1)),
        (ClockKind.RESOLVE, "", Share(1, 3)),
        (ClockKind.RESOLVE, "Support N1", Share(1, 1)),
    ]
