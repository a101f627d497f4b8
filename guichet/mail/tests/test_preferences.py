"""Everyone chooses the mail they get: requesters the mail about their requests, staff also
the mail about the tickets they handle."""

import pytest
from django.test import Client

from guichet.mail.choices import REQUESTER_KINDS, STAFF_KINDS
from guichet.mail.models import MailPreference

pytestmark = pytest.mark.django_db

URL = "/mail/preferences/"


def opted_out(user) -> set[str]:
    return set(MailPreference.objects.filter(user=user).values_list("kind", flat=True))


def offered(response) -> list[str]:
    return [value for value, _label in response.context["form"].fields["kinds"].choices]


def test_a_requester_is_offered_the_mail_about_their_requests_all_on(bob_client):
    response = bob_client.get(URL)

    assert response.status_code == 200
    assert offered(response) == [kind.value for kind in REQUESTER_KINDS]
    assert response.content.count(b"checked") == len(REQUESTER_KINDS)
    assert b"<legend>Send me an email when" in response.content
    assert b'<label class="check" for="id_kinds_0">' in response.content


def test_staff_are_also_offered_the_mail_about_the_tickets_they_handle(alice_client):
    response = alice_client.get(URL)

    assert offered(response) == [kind.value for kind in REQUESTER_KINDS + STAFF_KINDS]
    assert b"A ticket is assigned to me" in response.content


def test_preferences_round_trip(bob_client, bob):
    response = bob_client.post(URL, {"kinds": ["reply", "closure"]}, follow=True)

    assert response.redirect_chain == [(URL, 302)]
    assert opted_out(bob) == {"acknowledgement", "solution"}
    assert [str(m) for m in response.context["messages"]] == ["Your mail preferences were saved."]
    assert response.context["form"].initial["kinds"] == ["reply", "closure"]
    assert response.content.count(b"checked") == 2

    bob_client.post(URL, {"kinds": ["reply", "closure", "solution", "acknowledgement"]})
    assert opted_out(bob) == set()


def test_nothing_checked_turns_every_kind_off(alice_client, alice):
    alice_client.post(URL, {})

    assert opted_out(alice) == {kind.value for kind in REQUESTER_KINDS + STAFF_KINDS}


def test_a_requester_cannot_choose_a_staff_kind(bob_client, bob):
    MailPreference.objects.create(user=bob, kind="solution")

    response = bob_client.post(URL, {"kinds": ["reply", "assigned"]})

    assert response.status_code == 400
    assert b'role="alert"' in response.content and b'href="#kinds"' in response.content
    assert opted_out(bob) == {"solution"}


def test_the_profile_page_leads_to_the_preferences(bob_client):
    assert b'href="/mail/preferences/"' in bob_client.get("/accounts/profile/").content


def test_a_stranger_is_sent_to_sign_in():
    response = Client().post(URL, {"kinds": ["reply"]})

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not MailPreference.objects.exists()
