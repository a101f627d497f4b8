"""Suggestions while a request is typed: intake, portal, the ticket page; "this solved it"."""

import pytest
from django.urls import reverse

from guichet.knowledge.models import Deflection
from guichet.search import engine
from guichet.search.tests.factories import make_article, make_known_error
from guichet.tickets import actions
from guichet.tickets.models import Ticket
from guichet.tickets.tests.factories import category, make_ticket

pytestmark = pytest.mark.django_db

SUGGESTIONS = reverse("search:suggestions")


def solved_ticket(bob, alice, *, title, solution, description=""):
    ticket = make_ticket(bob, title=title, description=description)
    actions.assign(ticket=ticket, actor=alice, assignee=alice)
    return actions.solve(ticket=ticket, actor=alice, solution=solution)


def test_a_description_finds_known_errors_articles_and_solved_tickets(alice, bob):
    make_known_error(
        alice,
        title_fr="Outlook se fige à l'ouverture",
        symptom_fr="Outlook reste bloqué sur « Chargement du profil »",
        workaround_fr="Démarrer Outlook en mode sans échec (outlook.exe /safe).",
    )
    make_article(alice, title_fr="Recréer un profil Outlook", body_fr="Panneau de configuration")
    make_article(alice, title_fr="Brouillon Outlook", status="draft")
    solved_ticket(bob, alice, title="Outlook bloqué au chargement du profil",
                  solution="Profil recréé, Outlook redémarre.")  # fmt: skip
    found = engine.suggest(alice, "Outlook bloqué\nIl reste figé sur le chargement du profil")
    assert [hit.title for hit in found.known_errors] == ["Outlook se fige à l'ouverture"]
    assert found.known_errors[0].workaround.startswith("Démarrer Outlook")
    assert [hit.title for hit in found.articles] == ["Recréer un profil Outlook"]
    assert [hit.title for hit in found.tickets] == ["Outlook bloqué au chargement du profil"]
    assert "<mark>" in found.tickets[0].snippet  # the solution, marked


def test_an_open_ticket_or_a_word_in_common_by_chance_is_not_suggested(alice, bob):
    make_ticket(bob, title="Outlook bloqué au chargement du profil")  # open: no solution yet
    make_article(alice, title_fr="Chargement des cartouches")
    found = engine.suggest(alice, "Outlook bloqué au chargement du profil utilisateur")
    assert found.tickets == [] and found.articles == []


def test_intake_suggestions_come_as_a_fragment(alice_client, alice):
    make_known_error(alice, title_fr="Wi-Fi invité coupé chaque heure",
                     workaround_fr="Se reconnecter au portail captif.")  # fmt: skip
    response = alice_client.get(SUGGESTIONS, {"title": "wifi invité coupé", "description": ""})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Wi-Fi invité coupé chaque heure" in body and "portail captif" in body
    assert 'target="_blank"' in body  # the intake form stays as it is


def test_portal_suggestions_show_only_the_public_faq_with_a_solved_button(alice, bob, bob_client):
    make_article(alice, title_fr="Changer son mot de passe", audience="public")
    make_article(alice, title_fr="Mot de passe du compte de service", body_fr="interne")
    body = bob_client.get(SUGGESTIONS, {"title": "mot de passe oublié"}).content.decode()
    assert "Changer son mot de passe" in body
    assert "compte de service" not in body
    assert "This solved my problem" in body or "Cela a résolu mon problème" in body


def test_this_solved_my_problem_counts_a_deflection_and_opens_no_ticket(
    alice, bob, bob_client, alice_client
):
    article = make_article(alice, title_fr="Changer son mot de passe", audience="public")
    before = Ticket.objects.count()
    response = bob_client.post(
        reverse("search:deflect"), {"article": article.pk, "title": "mot de passe oublié"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("portal:home")
    deflection = Deflection.objects.get()
    assert (deflection.article, deflection.user, deflection.query) == (
        article,
        bob,
        "mot de passe oublié",
    )
    assert Ticket.objects.count() == before
    page = alice_client.get(reverse("knowledge:detail", args=[article.pk])).content.decode()
    assert "Solved 1 request before it was sent" in page


def test_nobody_deflects_with_an_article_they_may_not_see(alice, charlie_client, globex, acme):
    internal = make_article(alice, title_fr="Interne")
    acme_only = make_article(alice, title_fr="Acme", audience="public", organisations=[acme])
    for article in (internal, acme_only):
        response = charlie_client.post(reverse("search:deflect"), {"article": article.pk})
        assert response.status_code == 404
    assert charlie_client.post(reverse("search:deflect"), {"article": "x"}).status_code == 404
    assert not Deflection.objects.exists()


def test_staff_do_not_deflect(alice, alice_client):
    article = make_article(alice, title_fr="Changer son mot de passe", audience="public")
    assert alice_client.post(reverse("search:deflect"), {"article": article.pk}).status_code == 403


def test_the_ticket_page_shows_matching_known_errors_first(alice, alice_client, bob):
    printer = category("hardware-printer")
    make_known_error(alice, title_fr="Imprimante HP : spouleur arrêté après mise à jour",
                     workaround_fr="Redémarrer le service Spouleur d'impression.",
                     categories=[printer])  # fmt: skip
    ticket = make_ticket(bob, title="L'imprimante HP n'imprime plus depuis la mise à jour",
                         category=printer)  # fmt: skip
    url = reverse("search:ticket-suggestions", args=[ticket.pk])
    body = alice_client.get(url).content.decode()
    assert "Matching known errors" in body or "Erreurs connues correspondantes" in body
    assert "Redémarrer le service Spouleur" in body
    assert f"#{ticket.pk}" not in body  # never the ticket itself


def test_the_ticket_suggestions_are_refused_to_outsiders(bob, dave_client, bob_client, client):
    ticket = make_ticket(bob, title="Écran noir")
    url = reverse("search:ticket-suggestions", args=[ticket.pk])
    assert dave_client.get(url).status_code == 404
    assert bob_client.get(url).status_code == 404
    assert client.get(url).status_code == 302


def test_suggestions_never_show_another_clients_tickets(alice, bob, charlie, charlie_client):
    solved_ticket(bob, alice, title="Imprimante Acme bloquée", solution="Bourrage retiré.")
    found = engine.suggest(charlie, "Imprimante bloquée")
    assert found.tickets == []
    body = charlie_client.get(SUGGESTIONS, {"title": "Imprimante bloquée"}).content.decode()
    assert "Acme" not in body


def test_anonymous_users_get_no_suggestions(client):
    assert client.get(SUGGESTIONS, {"title": "x"}).status_code == 302


@pytest.mark.parametrize("text", ['"', "NEAR(", "*" * 300, "é" * 6000, "\x00", "a OR b -c"])
def test_hostile_text_gives_suggestions_or_nothing(alice_client, bob_client, text):
    for client in (alice_client, bob_client):
        response = client.get(SUGGESTIONS, {"title": text, "description": text})
        assert response.status_code == 200
