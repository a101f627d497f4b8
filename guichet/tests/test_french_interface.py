"""The main screens speak each user's own language: French or English.

The strings checked here come from the compiled catalogue, so a missing or stale django.mo,
or a page that forgets to mark its text for translation, shows up as English in French.
"""

import pytest
from django.test import Client
from django.urls import reverse

from guichet.tickets import actions
from guichet.tickets.tests.factories import make_ticket

# A French user's screen: every expected string, and English words that must not show.
FRENCH = {
    "login": (["Se connecter", "Identifiant", "Mot de passe"], ["Sign in", "Password"]),
    "queue": (
        ["Files d’attente", "Prise d’appel", "Appliquer les filtres", "Vues enregistrées"],
        ["Queues", "Apply filters", "Saved views"],
    ),
    "ticket": (
        ["Chronologie", "Ajouter un suivi", "Mettre en attente", "Observateurs", "Attribué"],
        ["Timeline", "Add a follow-up", "Put on hold", "Watchers"],
    ),
    "intake": (
        ["Prise d’appel", "1. Appelant", "Créer le ticket", "1 appelant trouvé."],
        ["Phone intake", "Caller", "Create the ticket", "caller found"],
    ),
    "portal": (
        ["Mes tickets", "Nouvelle demande", "Un technicien s’en occupe"],
        ["My tickets", "New request", "working on it"],
    ),
}
ENGLISH = {
    "login": (["Sign in", "Username", "Password"], ["Se connecter"]),
    "queue": (["Queues", "Phone intake", "Apply filters", "Saved views"], ["Files d’attente"]),
    "ticket": (["Timeline", "Add a follow-up", "Put on hold", "Watchers"], ["Chronologie"]),
    "intake": (["Phone intake", "1. Caller", "Create the ticket", "1 caller found."], ["Appelant"]),
    "portal": (["My tickets", "New request", "A technician is working on it"], ["Mes tickets"]),
}


@pytest.fixture
def screens(alice, bob):
    """Each screen as (user who looks at it, URL); the login page is seen signed out."""
    ticket = make_ticket(bob, title="Printer jams on floor 2")
    actions.assign(ticket=ticket, actor=alice, assignee=alice)
    return {
        "login": (None, reverse("accounts:login")),
        "queue": (alice, reverse("tickets:queue")),
        "ticket": (alice, reverse("tickets:detail", args=[ticket.pk])),
        "intake": (alice, reverse("tickets:intake") + "?q=bob"),
        "portal": (bob, reverse("portal:home")),
    }


def page(screens, name: str, language: str) -> str:
    user, url = screens[name]
    client = Client()
    # The browser asks for the other language: a signed-in user's own choice must win.
    browser_language = "en" if language == "fr" else "fr"
    if user is None:
        browser_language = language
    else:
        user.language = language
        user.save(update_fields=["language"])
        client.force_login(user)
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=browser_language)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("name", sorted(FRENCH))
def test_it_shows_the_screen_in_french_to_a_french_user(screens, name):
    html = page(screens, name, "fr")
    expected, forbidden = FRENCH[name]
    assert [s for s in expected if s not in html] == []
    assert [s for s in forbidden if s in html] == []
    assert '<html lang="fr"' in html


@pytest.mark.parametrize("name", sorted(ENGLISH))
def test_it_shows_the_screen_in_english_to_an_english_user(screens, name):
    html = page(screens, name, "en")
    expected, forbidden = ENGLISH[name]
    assert [s for s in expected if s not in html] == []
    assert [s for s in forbidden if s in html] == []


def test_it_confirms_an_action_in_the_users_language(alice, bob):
    ticket = make_ticket(bob, title="Screen flickers")
    alice.language = "fr"
    alice.save(update_fields=["language"])
    client = Client()
    client.force_login(alice)
    response = client.post(reverse("tickets:detail-assign-me", args=[ticket.pk]), follow=True)
    assert "Le ticket vous est attribué." in response.content.decode()


def test_it_answers_the_api_in_the_token_owners_language(bob, api_token):
    bob.language = "fr"
    bob.save(update_fields=["language"])
    response = Client().post(
        "/api/v1/tickets",
        {"title": "Printer jams", "organisation": 999999},
        content_type="application/json",
        **api_token(bob),
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {"organisation": ["Organisation inconnue."]}
