"""The ticket page: who may open it, what it shows, the timeline, and its cost in queries."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guichet.accounts.tests.factories import make_location, make_staff, make_team
from guichet.tickets import actions
from guichet.tickets.models import PendingReason, SolutionType
from guichet.tickets.tests.factories import category, make_ticket


@pytest.fixture
def ticket(bob):
    return make_ticket(bob, title="Printer jams", description="It **jams** on page 2.")


def url(ticket):
    return reverse("tickets:detail", args=[ticket.pk])


def test_it_shows_the_ticket_header_to_alice(alice_client, ticket, bob, support_team, alice):
    location = make_location(bob.organisation, "Lyon office")
    bob.location = location
    bob.save(update_fields=["location"])
    actions.update_ticket(
        ticket=ticket, actor=alice, category=category("hardware-printer"), location=location
    )
    actions.assign(ticket=ticket, actor=alice, team=support_team, assignee=alice)
    response = alice_client.get(url(ticket))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"#{ticket.pk}" in html
    assert "Printer jams" in html
    assert "+33 1 23 45 67 89" in html
    assert "bob@example.test" in html
    assert "Acme" in html
    assert "Lyon office" in html
    assert "Printer" in html
    assert "Support N1" in html
    assert 'class="badge status-assigned"' in html
    assert 'class="badge prio-3"' in html
    assert "<strong>jams</strong>" in html


def test_it_shows_pending_escalation_and_merge_notices(alice_client, ticket, alice, bob):
    reason = PendingReason.objects.get(code="supplier")
    actions.escalate_to_supervisor(ticket=ticket, actor=alice, note="Contract at risk")
    actions.set_pending(ticket=ticket, actor=alice, reason=reason)
    html = alice_client.get(url(ticket)).content.decode()
    assert reason.name in html
    assert "Escalated to the supervisor" in html
    other = make_ticket(bob, title="Same printer")
    actions.merge(source=ticket, target=other, actor=alice)
    html = alice_client.get(url(ticket)).content.decode()
    assert f"This ticket was merged into #{other.pk}." in html
    assert "Add a follow-up" not in html  # the conversation goes on in the target


def test_requesters_are_sent_to_the_portal(bob_client, ticket):
    response = bob_client.get(url(ticket))
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:detail", args=[ticket.pk])


def test_charlie_gets_no_data(charlie_client, ticket):
    response = charlie_client.get(url(ticket))
    assert response.status_code in (302, 404)
    assert b"Printer jams" not in response.content
    if response.status_code == 302:
        assert response["Location"] == reverse("portal:detail", args=[ticket.pk])


def test_dave_gets_404_on_acme_tickets(dave_client, ticket):
    assert dave_client.get(url(ticket)).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, ticket):
    response = client.get(url(ticket))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_an_unknown_ticket_is_404(alice_client):
    assert alice_client.get(reverse("tickets:detail", args=[999999])).status_code == 404


def test_a_script_in_the_description_is_not_rendered(alice_client, bob):
    ticket = make_ticket(
        bob,
        description='Hello <script>alert("x")</script> <img src=x onerror=alert(1)> '
        "[click](javascript:alert(2))",
    )
    actions.add_followup(ticket=ticket, actor=bob, body="<script>steal()</script>reply")
    html = alice_client.get(url(ticket)).content.decode()
    assert "<script>alert" not in html
    assert "<script>steal" not in html
    assert "onerror" not in html
    assert "javascript:alert" not in html


def test_the_timeline_names_what_changed(alice_client, ticket, alice, bob, sam, support_team):
    level2 = make_team("Level 2", level=2)
    actions.assign(ticket=ticket, actor=sam, team=support_team, assignee=alice)
    actions.escalate(ticket=ticket, actor=alice, team=level2, note="Needs a specialist")
    actions.update_ticket(ticket=ticket, actor=alice, category=category("network-wifi"), urgency=5)
    html = alice_client.get(url(ticket)).content.decode()
    assert "Functional escalation" in html
    assert "Needs a specialist" in html
    assert "Support N1" in html and "Level 2" in html
    assert "Alice Test" in html
    assert "Network › Wi-Fi" in html
    assert "Medium" in html and "Very high" in html
    assert "Status" in html


def test_the_timeline_marks_internal_items(alice_client, ticket, alice):
    actions.add_followup(ticket=ticket, actor=alice, body="Internal remark", internal=True)
    actions.add_followup(ticket=ticket, actor=alice, body="Hello Bob")
    html = alice_client.get(url(ticket)).content.decode()
    internal = html.index("Internal remark")
    public = html.index("Hello Bob")
    assert html.rfind('class="tl tl-followup internal"', 0, internal) > html.rfind(
        'class="tl tl-followup"', 0, internal
    )
    assert internal < public  # time order


def test_the_timeline_merges_all_kinds_in_time_order(alice_client, ticket, alice):
    actions.add_followup(ticket=ticket, actor=alice, body="First reply")
    actions.add_task(
        ticket=ticket, actor=alice, description="Replace the roller", duration_minutes=20
    )
    upload = SimpleUploadedFile("log.txt", b"paper jam at tray 2", content_type="text/plain")
    actions.add_attachment(ticket=ticket, actor=alice, upload=upload)
    solution_type = SolutionType.objects.get(code="replaced")
    actions.solve(
        ticket=ticket, actor=alice, solution="Roller *replaced*", solution_type=solution_type
    )
    html = alice_client.get(url(ticket)).content.decode()
    timeline = html[html.index('id="timeline"') :]
    positions = [
        timeline.index(text)
        for text in ("Ticket opened", "First reply", "Replace the roller", "log.txt", "Roller <em>")
    ]
    assert positions == sorted(positions)
    assert solution_type.name in html
    assert "20 min" in html


def test_the_page_cost_in_queries_does_not_grow_with_the_timeline(
    alice_client, ticket, alice, bob, sam, support_team, django_assert_max_num_queries
):
    level2 = make_team("Level 2", level=2)
    other = make_staff("olga", teams=[support_team])
    with CaptureQueriesContext(connection) as short:
        alice_client.get(url(ticket))
    for i in range(13):
        actions.add_followup(ticket=ticket, actor=bob if i % 2 else alice, body=f"Reply {i}")
        actions.add_task(ticket=ticket, actor=alice, description=f"Task {i}", duration_minutes=i)
        upload = SimpleUploadedFile(f"note{i}.txt", b"text", content_type="text/plain")
        actions.add_attachment(ticket=ticket, actor=alice, upload=upload, internal=bool(i % 2))
        actions.assign(ticket=ticket, actor=sam, assignee=alice if i % 2 else other)
    actions.escalate(ticket=ticket, actor=alice, team=level2, note="Level 2 please")
    actions.add_watcher(ticket=ticket, actor=alice, user=bob)
    with django_assert_max_num_queries(20) as long:
        response = alice_client.get(url(ticket))
    assert response.status_code == 200
    assert response.content.decode().count('class="tl tl-') >= 50
    # Names are resolved in bulk: a long history costs at most the few extra lookups
    # (people outside the staff) that a short one does not need.
    assert len(long.captured_queries) <= len(short.captured_queries) + 2
