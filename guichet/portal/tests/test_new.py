"""A new request through the category-guided form."""

from django.urls import reverse

from guichet.accounts.tests.factories import make_location
from guichet.portal.tests.conftest import png, text_file
from guichet.tickets.choices import Channel, Status, TicketType
from guichet.tickets.models import Attachment, Ticket, TicketEvent

URL = reverse("portal:new")


def _post(client, **fields):
    data = {
        "category": "hardware-printer",
        "type": "incident",
        "title": "Printer jams",
        "description": "Since this morning, *every* page.",
        "urgency": "4",
        "affected": "team",
    }
    data.update(fields)
    return client.post(URL, {k: v for k, v in data.items() if v is not None})


def test_it_sends_staff_to_their_queue(alice_client):
    assert alice_client.get(URL).url == reverse("tickets:queue")
    assert _post(alice_client).url == reverse("tickets:queue")
    assert Ticket.objects.count() == 0


def test_step_one_offers_the_top_level_categories_in_my_language(bob_client):
    body = bob_client.get(URL).content.decode()
    assert "Hardware" in body and "Network" in body
    assert "Printer" not in body
    assert f"{URL}?parent=hardware" in body
    assert f"{URL}?category=none" in body


def test_step_one_speaks_french_to_a_french_requester(bob, client):
    bob.language = "fr"
    bob.save(update_fields=["language"])
    client.force_login(bob)
    body = client.get(URL).content.decode()
    assert "Matériel" in body and "Réseau" in body


def test_step_two_offers_the_subcategories(bob_client):
    body = bob_client.get(URL, {"parent": "hardware"}).content.decode()
    assert "Printer" in body and "Laptop" in body
    assert f"{URL}?category=hardware-printer" in body
    assert f"{URL}?category=hardware" in body  # "something else about hardware"


def test_an_unknown_category_is_a_400(bob_client):
    assert bob_client.get(URL, {"parent": "nope"}).status_code == 400
    assert bob_client.get(URL, {"category": "nope"}).status_code == 400
    assert _post(bob_client, category="nope").status_code == 400


def test_the_form_shows_the_chosen_category_and_guesses_the_type(bob_client):
    body = bob_client.get(URL, {"category": "hardware-printer"}).content.decode()
    assert "Hardware › Printer" in body
    assert 'value="incident" id="id_type_0" required checked' in body
    body = bob_client.get(URL, {"category": "request-equipment"}).content.decode()
    assert 'value="request" id="id_type_1" required checked' in body


def test_it_opens_the_ticket_through_the_portal_channel(bob_client, bob):
    response = _post(bob_client)
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("portal:detail", args=[ticket.pk])
    assert ticket.requester == bob and ticket.organisation == bob.organisation
    assert ticket.channel == Channel.PORTAL and ticket.status == Status.NEW
    assert ticket.category.code == "hardware-printer"
    assert (ticket.type, ticket.urgency, ticket.impact, ticket.priority) == ("incident", 4, 3, 4)
    assert TicketEvent.objects.filter(ticket=ticket, kind="created").exists()


def test_how_many_people_are_affected_sets_the_impact(bob_client):
    for affected, impact in (("me", 2), ("team", 3), ("company", 5)):
        _post(bob_client, affected=affected, title=f"About {affected}")
        assert Ticket.objects.get(title=f"About {affected}").impact == impact


def test_i_dont_know_opens_a_request_without_category(bob_client):
    _post(bob_client, category="none", type="request")
    ticket = Ticket.objects.get()
    assert ticket.category is None and ticket.type == TicketType.REQUEST


def test_errors_are_shown_next_to_the_fields_and_nothing_is_saved(bob_client):
    response = _post(bob_client, title="  ", urgency="9", affected=None)
    body = response.content.decode()
    assert response.status_code == 422
    assert Ticket.objects.count() == 0
    assert (
        'id="id_title_error"' in body
        and 'aria-describedby="id_title_helptext id_title_error"' in body
    )
    assert 'id="id_urgency_error"' in body and 'id="id_affected_error"' in body
    assert "Please correct the following" in body
    # What was typed stays there.
    assert "Since this morning" in body


def test_it_attaches_a_file(bob_client):
    response = _post(bob_client, file=png())
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    attachment = Attachment.objects.get(ticket=ticket)
    assert attachment.filename == "screen.png" and not attachment.is_internal
    assert attachment.content_type == "image/png"


def test_a_refused_file_leaves_no_half_saved_ticket(bob_client):
    fake = text_file("virus.exe", b"MZ\x90\x00")
    response = _post(bob_client, file=fake)
    body = response.content.decode()
    assert response.status_code == 422
    assert Ticket.objects.count() == 0
    assert TicketEvent.objects.count() == 0
    assert Attachment.objects.count() == 0
    assert 'id="id_file_error"' in body and "This kind of file is not accepted." in body


def test_a_file_whose_content_lies_about_its_type_is_refused(bob_client):
    response = _post(bob_client, file=text_file("photo.png", b"not a png at all"))
    assert response.status_code == 422
    assert Ticket.objects.count() == 0


def test_it_offers_my_organisations_sites_and_defaults_to_mine(client, bob, acme, globex):
    office = make_location(acme, "Head office")
    make_location(globex, "Globex tower")
    bob.location = office
    bob.save(update_fields=["location"])
    client.force_login(bob)
    body = client.get(URL, {"category": "none"}).content.decode()
    assert "Head office" in body and "Globex tower" not in body
    assert f'<option value="{office.pk}" selected>' in body
    _post(client, location=str(office.pk))
    assert Ticket.objects.get().location == office


def test_another_organisations_site_is_refused(bob_client, acme, globex):
    make_location(acme, "Head office")
    tower = make_location(globex, "Globex tower")
    response = _post(bob_client, location=str(tower.pk))
    assert response.status_code == 422
    assert 'id="id_location_error"' in response.content.decode()
    assert Ticket.objects.count() == 0


def test_no_site_field_when_my_organisation_has_none(bob_client):
    body = bob_client.get(URL, {"category": "none"}).content.decode()
    assert 'name="location"' not in body
