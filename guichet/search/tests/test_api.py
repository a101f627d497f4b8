"""GET /api/v1/search and /api/v1/search/suggestions."""

import pytest

from guichet.search.tests.factories import make_article, make_known_error
from guichet.tickets.tests.api_helpers import ApiCaller
from guichet.tickets.tests.factories import make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client):
    return ApiCaller(client)


def test_it_searches_with_snippets_totals_and_facets(api, alice, bob):
    ticket = make_ticket(bob, title="Imprimante bloquée", description="bourrage papier")
    make_article(alice, title_fr="Bourrage papier : que faire ?")
    response = api.as_(alice).get("/search", {"q": "bourrage"})
    assert response.status_code == 200
    data = response.json()
    assert data["totals"] == {"ticket": 1, "article": 1, "known_error": 0, "problem": 0,
                              "contact": 0}  # fmt: skip
    assert {(hit["kind"], hit["id"]) for hit in data["hits"]} >= {("ticket", ticket.pk)}
    assert any("<mark>" in hit["snippet"] for hit in data["hits"])
    assert {facet["value"] for facet in data["facets"]["kind"]} == {"ticket", "article"}


def test_filters_narrow_the_results(api, alice, bob):
    make_ticket(bob, title="Imprimante bloquée")
    make_article(alice, title_fr="Imprimante bloquée : que faire ?")
    data = api.as_(alice).get("/search", {"q": "imprimante", "kind": "article"}).json()
    assert [hit["kind"] for hit in data["hits"]] == ["article"]


def test_an_outsider_gets_no_hit_and_no_count(api, bob, charlie, dave):
    make_ticket(bob, title="Serveur Acme saturé")
    for outsider in (charlie, dave):
        data = api.as_(outsider).get("/search", {"q": "saturé"}).json()
        assert data["hits"] == [] and data["total"] == 0


def test_authentication_is_required(api):
    assert api.get("/search", {"q": "x"}).status_code == 401
    assert api.get("/search/suggestions", {"title": "x"}).status_code == 401


@pytest.mark.parametrize(
    "params",
    [{"kind": "spaceship"}, {"category": "x"}, {"category": -1}, {"page": 0}, {"page": 999},
     {"q": "x" * 501}],
)  # fmt: skip
def test_bad_parameters_are_422_with_the_field(api, alice, params):
    response = api.as_(alice).get("/search", {"q": "x", **params})
    assert response.status_code == 422
    assert response.json()["errors"]


@pytest.mark.parametrize("q", ['"', "NEAR(a", "*", "-", "((", "\x00", "a AND OR"])
def test_hostile_queries_answer_200(api, alice, q):
    assert api.as_(alice).get("/search", {"q": q}).status_code == 200


def test_suggestions_for_a_request(api, alice, bob):
    make_known_error(alice, title_fr="VPN coupé toutes les heures",
                     workaround_fr="Désactiver l'économie d'énergie de la carte.")  # fmt: skip
    data = api.as_(alice).get("/search/suggestions", {"title": "VPN coupé"}).json()
    assert [hit["title"] for hit in data["known_errors"]] == ["VPN coupé toutes les heures"]
    assert (
        api.as_(bob).get("/search/suggestions", {"title": "VPN coupé"}).json()["known_errors"] == []
    )
