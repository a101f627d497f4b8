"""My tickets: mine only (or my organisation's as its manager), plain words, keyset pages."""

from django.urls import reverse

from guichet.accounts.tests.factories import make_user
from guichet.portal.views.mine import PAGE_SIZE
from guichet.tickets import actions
from guichet.tickets.tests.factories import make_ticket

URL = reverse("portal:home")


def test_it_asks_anonymous_visitors_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_it_sends_staff_to_their_queue(alice_client):
    response = alice_client.get(URL)
    assert response.status_code == 302
    assert response.url == reverse("tickets:queue")


def test_it_lists_my_open_and_closed_tickets_in_plain_words(bob_client, bob, alice):
    make_ticket(bob, title="Printer jams")
    done = make_ticket(bob, title="Old laptop")
    actions.solve(ticket=done, actor=alice, solution="Replaced")
    actions.accept_solution(ticket=done, actor=bob)
    response = bob_client.get(URL)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Printer jams" in body and "Received, waiting for a technician" in body
    assert "Old laptop" in body and "Closed" in body


def test_it_filters_in_progress_and_closed(bob_client, bob, alice):
    make_ticket(bob, title="Printer jams")
    done = make_ticket(bob, title="Old laptop")
    actions.solve(ticket=done, actor=alice, solution="Replaced")
    actions.accept_solution(ticket=done, actor=bob)
    open_body = bob_client.get(URL, {"state": "open"}).content.decode()
    closed_body = bob_client.get(URL, {"state": "closed"}).content.decode()
    assert "Printer jams" in open_body and "Old laptop" not in open_body
    assert "Old laptop" in closed_body and "Printer jams" not in closed_body


def test_it_says_when_a_ticket_waits_for_my_answer(bob_client, bob, alice):
    from guichet.tickets.models import PendingReason

    ticket = make_ticket(bob)
    actions.set_pending(
        ticket=ticket, actor=alice, reason=PendingReason.objects.get(code="customer")
    )
    assert "Waiting for your answer" in bob_client.get(URL).content.decode()


def test_it_never_lists_a_colleagues_tickets_to_a_plain_requester(bob_client, acme):
    colleague = make_user("carol", organisation=acme)
    make_ticket(colleague, title="Carol's keyboard")
    assert "Carol&#x27;s keyboard" not in bob_client.get(URL).content.decode()
    assert bob_client.get(URL, {"scope": "organisation"}).status_code == 400


def test_it_never_lists_another_organisations_tickets(charlie_client, bob):
    make_ticket(bob, title="Acme secret")
    assert "Acme secret" not in charlie_client.get(URL).content.decode()


def test_an_org_manager_switches_between_mine_and_the_organisations(client, acme, bob):
    manager = make_user("maria", organisation=acme, is_org_manager=True)
    make_ticket(bob, title="Bob's printer")
    make_ticket(manager, title="Maria's phone")
    client.force_login(manager)
    mine = client.get(URL).content.decode()
    assert "Maria&#x27;s phone" in mine and "Bob&#x27;s printer" not in mine
    everyone = client.get(URL, {"scope": "organisation"}).content.decode()
    assert "Maria&#x27;s phone" in everyone and "Bob&#x27;s printer" in everyone
    assert "Bob Test" in everyone  # the requester column


def test_an_org_manager_never_sees_another_organisations_tickets(client, acme, charlie):
    manager = make_user("maria", organisation=acme, is_org_manager=True)
    make_ticket(charlie, title="Globex secret")
    client.force_login(manager)
    assert "Globex secret" not in client.get(URL, {"scope": "organisation"}).content.decode()


def test_it_pages_by_cursor(bob_client, bob):
    for n in range(PAGE_SIZE + 3):
        make_ticket(bob, title=f"Request number {n:03d}")
    first = bob_client.get(URL)
    body = first.content.decode()
    assert "Request number 027" in body and "Request number 002" not in body
    cursor = first.context["page"].next_cursor
    assert cursor
    second = bob_client.get(URL, {"cursor": cursor}).content.decode()
    assert "Request number 002" in second and "Request number 027" not in second
    assert "Request number 000" in second


def test_it_answers_400_to_a_damaged_cursor_or_filter(bob_client):
    assert bob_client.get(URL, {"cursor": "not-a-cursor!"}).status_code == 400
    assert bob_client.get(URL, {"state": "sideways"}).status_code == 400
    assert bob_client.get(URL, {"scope": "galaxy"}).status_code == 400


def test_it_keeps_a_flat_number_of_queries(bob_client, bob, django_assert_max_num_queries):
    for n in range(10):
        make_ticket(bob, title=f"Request {n}")
    with django_assert_max_num_queries(5):
        assert bob_client.get(URL).status_code == 200


def test_a_requester_signs_in_on_the_login_page_and_lands_on_the_portal(client, bob):
    login = reverse("accounts:login")
    response = client.post(login, {"username": "bob", "password": "password"}, follow=True)
    assert response.redirect_chain[-1][0] == URL
    assert "My tickets" in response.content.decode()


def test_the_portal_sends_anonymous_visitors_back_after_sign_in(client, bob):
    response = client.get(URL)
    response = client.post(
        response.url, {"username": "bob", "password": "password", "next": URL}, follow=True
    )
    assert response.redirect_chain[-1][0] == URL
