"""Helpers for the queue and dispatch tests: read the rows a page shows, build a small world."""

import re
from types import SimpleNamespace

from guichet.tickets import actions
from guichet.tickets.tests.factories import make_ticket

ROW = re.compile(r'data-ticket="(\d+)"')


def shown(response) -> list[int]:
    """Ticket ids in the page, in display order."""
    return [int(pk) for pk in ROW.findall(response.content.decode())]


def acme_world(*, bob, alice, sam, support_team, charlie):
    """Tickets in each situation a queue scope separates."""
    mine = make_ticket(bob, title="Mine: printer jams", actor=alice, team=support_team)
    actions.assign(ticket=mine, actor=alice, team=support_team, assignee=alice)
    team_only = make_ticket(bob, title="Team: VPN drops", actor=alice, team=support_team)
    colleague = make_ticket(bob, title="Colleague: new laptop", actor=alice)
    actions.assign(ticket=colleague, actor=sam, team=support_team, assignee=sam)
    loose = make_ticket(bob, title="Loose: mail bounces")
    solved = make_ticket(bob, title="Solved: screen flickers")
    actions.assign(ticket=solved, actor=alice, assignee=alice)
    actions.solve(ticket=solved, actor=alice, solution="New cable.")
    globex = make_ticket(charlie, title="Globex: server down")
    return SimpleNamespace(
        mine=mine,
        team_only=team_only,
        colleague=colleague,
        loose=loose,
        solved=solved,
        globex=globex,
        acme=[mine, team_only, colleague, loose, solved],
    )
