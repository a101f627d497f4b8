"""Sign-in, profile, language and API tokens from the web UI."""

from guichet.accounts.actions import authenticate_token, create_token
from guichet.accounts.models import ApiToken
from guichet.notifications.actions import notify


def test_it_signs_in_and_lands_staff_on_the_queue(client, alice):
    response = client.post("/accounts/login/", {"username": "alice", "password": "password"})
    assert response.status_code == 302
    assert client.get("/").url == "/tickets/"


def test_it_lands_requesters_on_the_portal(bob_client):
    assert bob_client.get("/").url == "/portal/"


def test_a_wrong_password_is_refused(client, alice):
    response = client.post("/accounts/login/", {"username": "alice", "password": "nope"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_anonymous_users_are_sent_to_sign_in(client, db):
    for url in ("/", "/accounts/profile/", "/notifications/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url


def test_profile_creates_a_token_shown_once(alice_client, alice):
    response = alice_client.post("/accounts/profile/tokens/", {"name": "script"})
    assert response.status_code == 302
    page = alice_client.get("/accounts/profile/").content.decode()
    key = page.split('id="new-token">')[1].split("<")[0]
    assert authenticate_token(key) == alice
    assert key not in alice_client.get("/accounts/profile/").content.decode()


def test_nobody_revokes_someone_elses_token(alice, charlie_client):
    token, key = create_token(user=alice)
    charlie_client.post(f"/accounts/profile/tokens/{token.pk}/revoke/")
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_the_owner_revokes_a_token(alice, alice_client):
    token, key = create_token(user=alice)
    alice_client.post(f"/accounts/profile/tokens/{token.pk}/revoke/")
    assert authenticate_token(key) is None


def test_language_choice_switches_the_interface(alice_client, alice):
    alice_client.post("/accounts/profile/", {"language": "fr"})
    alice.refresh_from_db()
    assert alice.language == "fr"
    assert 'lang="fr"' in alice_client.get("/accounts/profile/").content.decode()
    alice_client.post("/accounts/profile/", {"language": "xx"})
    alice.refresh_from_db()
    assert alice.language == "fr"


def test_notifications_are_private(alice, bob, charlie_client, alice_client):
    notify(users=[alice], kind="assigned", message="Secret ticket for alice")
    assert "Secret ticket" in alice_client.get("/notifications/").content.decode()
    assert "Secret ticket" not in charlie_client.get("/notifications/").content.decode()
    charlie_client.post("/notifications/read/")
    assert alice.notifications.filter(read_at__isnull=True).count() == 1
    alice_client.post("/notifications/read/")
    assert alice.notifications.filter(read_at__isnull=True).count() == 0
