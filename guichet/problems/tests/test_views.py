"""The problems screens through HTTP: staff use them, requesters never reach them, and an
outsider technician never learns anything about another client's incidents."""

import pytest
from django.urls import reverse

from guichet.knowledge.models import Article
from guichet.problems.choices import ProblemStatus
from guichet.problems.models import Problem, ProblemTicket
from guichet.problems.tests.factories import make_problem, reload
from guichet.tickets.tests.factories import category, make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def acme_ticket(bob):
    return make_ticket(bob, title="Acme printer jams with driver 5.2")


@pytest.fixture
def problem(alice, acme_ticket):
    return make_problem(alice, title="Driver 5.2 crashes", tickets=[acme_ticket],
                        workaround="Roll back to 5.1")  # fmt: skip


def _pages(problem, ticket) -> list[str]:
    return [
        reverse("problems:list"),
        reverse("problems:new"),
        reverse("problems:candidates"),
        reverse("problems:detail", args=[problem.pk]),
        reverse("problems:edit", args=[problem.pk]),
        reverse("problems:ticket-panel", args=[ticket.pk]),
        reverse("problems:new-from-category", args=[category().pk]),
    ]


def _posts(problem, ticket) -> list[str]:
    return [
        reverse("problems:new"),
        reverse("problems:edit", args=[problem.pk]),
        reverse("problems:status", args=[problem.pk]),
        reverse("problems:link", args=[problem.pk]),
        reverse("problems:unlink", args=[problem.pk, ticket.pk]),
        reverse("problems:publish", args=[problem.pk]),
        reverse("problems:ticket-link", args=[ticket.pk]),
    ]


@pytest.mark.parametrize("who", ["alice", "sam", "root"])
def test_staff_open_every_page(request, who, problem, acme_ticket, client):
    client.force_login(request.getfixturevalue(who))
    for url in _pages(problem, acme_ticket):
        response = client.get(url)
        assert response.status_code in (200, 302), url


@pytest.mark.parametrize("who", ["bob_client", "charlie_client"])
def test_requesters_are_sent_to_the_portal_or_get_a_404(request, who, problem, acme_ticket):
    client = request.getfixturevalue(who)
    for url in _pages(problem, acme_ticket):
        response = client.get(url)
        if response.status_code == 302:
            assert response["Location"] == reverse("portal:home"), url
        else:
            assert response.status_code == 404, url
    for url in _posts(problem, acme_ticket):
        assert client.post(url, {"title": "x", "ticket": acme_ticket.pk}).status_code == 404, url
    assert reload(problem).title == "Driver 5.2 crashes"


def test_the_list_shows_open_problems_first_with_their_visible_incident_counts(
    alice_client, alice, problem
):
    closed = make_problem(alice, title="Old closed problem")
    from guichet.problems import actions

    actions.set_status(problem=closed, actor=alice, status=ProblemStatus.CLOSED)
    newer = make_problem(alice, title="Brand new problem")

    response = alice_client.get(reverse("problems:list"))

    rows = [p.pk for p in response.context["page"].items]
    assert rows == [newer.pk, problem.pk, closed.pk]
    counts = {p.pk: p.incident_count for p in response.context["page"].items}
    assert counts[problem.pk] == 1


def test_the_list_filters_by_status_and_category(alice_client, alice, problem):
    printer = make_problem(alice, title="Printer thing", category=category("hardware-printer"))

    by_category = alice_client.get(
        reverse("problems:list"), {"category": category("hardware-printer").pk}
    )
    by_status = alice_client.get(reverse("problems:list"), {"status": "closed"})

    assert [p.pk for p in by_category.context["page"].items] == [printer.pk]
    assert by_status.context["page"].items == []


def test_bad_filters_and_cursors_answer_400(alice_client):
    assert alice_client.get(reverse("problems:list"), {"status": "nope"}).status_code == 400
    assert alice_client.get(reverse("problems:list"), {"assignee": "x"}).status_code == 400
    assert alice_client.get(reverse("problems:list"), {"cursor": "garbage"}).status_code == 400


def test_the_list_pages_with_a_bounded_number_of_queries(
    alice_client, alice, bob, django_assert_max_num_queries
):
    tickets = [make_ticket(bob, title=f"T{n}") for n in range(3)]
    for n in range(60):
        make_problem(alice, title=f"Problem {n}", tickets=tickets, category=category())
    alice_client.get(reverse("problems:list"))  # warm the reference cache

    with django_assert_max_num_queries(12):
        response = alice_client.get(reverse("problems:list"))

    assert len(response.context["page"].items) == 50
    assert response.context["next_url"]
    second = alice_client.get(response.context["next_url"])
    assert len(second.context["page"].items) == 10


def test_an_outsider_technician_sees_the_problem_but_none_of_acmes_incidents(
    dave_client, problem, acme_ticket
):
    page = dave_client.get(reverse("problems:detail", args=[problem.pk]))
    listing = dave_client.get(reverse("problems:list"))

    assert page.status_code == 200
    html = page.content.decode()
    assert acme_ticket.title not in html
    assert f"#{acme_ticket.pk}<" not in html and f"/tickets/{acme_ticket.pk}/" not in html
    assert page.context["incidents"] == []
    assert all(e.kind not in ("linked", "unlinked") for e in page.context["events"])
    assert listing.context["page"].items[0].incident_count == 0


def test_an_outsider_technician_cannot_link_or_unlink_acmes_ticket(
    dave_client, problem, acme_ticket
):
    own = make_problem(problem.created_by, title="Another")

    link = dave_client.post(reverse("problems:link", args=[own.pk]), {"ticket": acme_ticket.pk})
    unlink = dave_client.post(reverse("problems:unlink", args=[problem.pk, acme_ticket.pk]))
    panel = dave_client.get(reverse("problems:ticket-panel", args=[acme_ticket.pk]))
    panel_link = dave_client.post(
        reverse("problems:ticket-link", args=[acme_ticket.pk]), {"problem": own.pk}
    )
    create = dave_client.post(
        reverse("problems:new"),
        {"title": "Mine", "impact": 3, "urgency": 3, "tickets": str(acme_ticket.pk)},  # fmt: skip
    )

    assert link.status_code == 400 and unlink.status_code == 400
    assert panel.status_code == 404 and panel_link.status_code == 404
    assert create.status_code == 400
    assert ProblemTicket.objects.filter(ticket=acme_ticket).count() == 1
    assert not Problem.objects.filter(title="Mine").exists()


def test_creating_a_problem_from_several_incidents_by_number(alice_client, bob):
    first, second = make_ticket(bob), make_ticket(bob, title="Again")

    response = alice_client.post(
        reverse("problems:new"),
        {"title": "Recurring jam", "impact": 4, "urgency": 2,
         "tickets": f"#{first.pk}, {second.pk}"},
    )  # fmt: skip

    problem = Problem.objects.get(title="Recurring jam")
    assert response.status_code == 302
    assert response["Location"] == reverse("problems:detail", args=[problem.pk])
    assert set(problem.incidents.values_list("pk", flat=True)) == {first.pk, second.pk}


def test_the_new_form_starts_from_the_incident(alice_client, acme_ticket):
    response = alice_client.get(reverse("problems:new"), {"tickets": acme_ticket.pk})

    form = response.context["form"]
    assert form.initial["title"] == acme_ticket.title
    assert form.initial["tickets"] == str(acme_ticket.pk)


def test_bad_input_shows_the_form_again_with_400_and_saves_nothing(alice_client, problem):
    create = alice_client.post(reverse("problems:new"), {"title": "", "impact": 12})
    edit = alice_client.post(reverse("problems:edit", args=[problem.pk]), {"title": ""})

    assert create.status_code == 400 and edit.status_code == 400
    assert "title" in create.context["form"].errors
    assert Problem.objects.count() == 1
    assert reload(problem).title == "Driver 5.2 crashes"


def test_editing_saves_the_analysis(alice_client, problem):
    response = alice_client.post(
        reverse("problems:edit", args=[problem.pk]),
        {"title": "Driver 5.2 crashes", "impact": 4, "urgency": 4,
         "root_cause": "A regression in 5.2", "workaround": "Roll back to 5.1"},
    )  # fmt: skip

    assert response.status_code == 302
    assert reload(problem).root_cause == "A regression in 5.2"


def test_a_forbidden_transition_answers_409(alice_client, alice, problem):
    from guichet.problems import actions

    actions.set_status(problem=problem, actor=alice, status=ProblemStatus.SOLVED)
    url = reverse("problems:status", args=[problem.pk])

    refused = alice_client.post(url, {"status": ProblemStatus.KNOWN_ERROR})
    allowed = alice_client.post(url, {"status": ProblemStatus.CLOSED, "note": "Fixed"})

    assert refused.status_code == 400  # not among the choices the form offers
    assert allowed.status_code == 302
    assert reload(problem).status == ProblemStatus.CLOSED


def test_publishing_from_the_page_creates_the_article_and_tells_the_incidents(
    alice_client, problem, acme_ticket
):
    response = alice_client.post(
        reverse("problems:publish", args=[problem.pk]), {"post_to_incidents": "on"}
    )

    assert response.status_code == 302
    assert reload(problem).known_error == Article.objects.get()
    assert acme_ticket.followups.count() == 1


def test_publishing_without_a_workaround_answers_400(alice_client, alice):
    bare = make_problem(alice, title="Unclear")

    response = alice_client.post(reverse("problems:publish", args=[bare.pk]))

    assert response.status_code == 400
    assert "Describe the workaround" in response.content.decode()
    assert not Article.objects.exists()


def test_the_ticket_panel_shows_the_known_error_workaround_and_links_by_number(
    alice_client, alice, problem, acme_ticket, bob
):
    from guichet.problems import actions

    actions.publish_known_error(problem=problem, actor=alice)
    other = make_ticket(bob, title="Second one")
    panel = alice_client.get(reverse("problems:ticket-panel", args=[acme_ticket.pk]))

    assert panel.status_code == 200
    html = panel.content.decode()
    assert "Roll back to 5.1" in html and problem.reference in html

    url = reverse("problems:ticket-link", args=[other.pk])
    linked = alice_client.post(url, {"problem": problem.reference}, HTTP_HX_REQUEST="true")
    again = alice_client.post(url, {"problem": problem.pk}, HTTP_HX_REQUEST="true")
    missing = alice_client.post(url, {"problem": "PB-99999"}, HTTP_HX_REQUEST="true")

    assert linked.status_code == 200 and problem.reference in linked.content.decode()
    assert again.status_code == 400 and missing.status_code == 400
    assert problem.incidents.filter(pk=other.pk).exists()


def test_unknown_problems_and_tickets_answer_404(alice_client):
    assert alice_client.get(reverse("problems:detail", args=[999999])).status_code == 404
    assert alice_client.get(reverse("problems:ticket-panel", args=[999999])).status_code == 404
