"""The knowledge API: CRUD, filters, workflow, votes, links, and what outsiders get."""

import pytest

from guichet.knowledge import actions
from guichet.knowledge.choices import ArticleKind, ArticleStatus
from guichet.knowledge.models import Article, ArticleTicket
from guichet.knowledge.tests.factories import make_article, make_faq
from guichet.tickets.tests.api_helpers import ApiCaller
from guichet.tickets.tests.factories import make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client):
    return ApiCaller(client)


def test_staff_create_read_and_update_an_article(api, alice, acme):
    as_alice = api.as_(alice)
    response = as_alice.post(
        "/articles",
        {"title_en": "VPN drops", "kind": "known_error", "symptom_en": "Disconnects",
         "categories": ["network-vpn"], "organisations": [acme.pk], "audience": "public"},
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["status"] == "draft" and created["languages"] == ["en"]
    assert created["categories"][0]["code"] == "network-vpn"

    patched = as_alice.patch(f"/articles/{created['id']}", {"title_fr": "Le VPN coupe"})
    assert patched.status_code == 200 and patched.json()["revision"] == 2
    read = as_alice.get(f"/articles/{created['id']}").json()
    assert read["languages"] == ["fr", "en"] and read["symptom_en"] == "Disconnects"


def test_invalid_input_is_a_422_with_field_errors(api, alice):
    as_alice = api.as_(alice)
    response = as_alice.post("/articles", {"title_en": "x" * 300, "kind": "poem"})
    assert response.status_code == 422
    assert {"title_en", "kind"} <= set(response.json()["errors"])
    response = as_alice.post("/articles", {"body_en": "no title"})
    assert response.status_code == 422 and "title_fr" in response.json()["errors"]
    response = as_alice.post("/articles", {"title_en": "x", "categories": ["nope"]})
    assert response.status_code == 422 and "categories" in response.json()["errors"]
    assert not Article.objects.exists()


def test_the_list_filters_and_pages(api, alice):
    for index in range(3):
        make_article(alice, title=f"English {index}")
    make_article(alice, title="Both", title_fr="Les deux", kind=ArticleKind.KNOWN_ERROR)
    as_alice = api.as_(alice)

    first = as_alice.get("/articles", {"limit": 2, "missing": "fr"}).json()
    assert len(first["items"]) == 2 and first["next_cursor"]
    second = as_alice.get(
        "/articles", {"limit": 2, "missing": "fr", "cursor": first["next_cursor"]}
    )
    titles = {i["title_en"] for i in first["items"] + second.json()["items"]}
    assert titles == {"English 0", "English 1", "English 2"}
    known = as_alice.get("/articles", {"kind": "known_error"}).json()["items"]
    assert [i["title_en"] for i in known] == ["Both"]
    assert as_alice.get("/articles", {"cursor": "garbage"}).status_code == 422
    assert as_alice.get("/articles", {"status": "bogus"}).status_code == 422


def test_status_moves_and_a_forbidden_one_is_409(api, alice):
    article = make_article(alice)
    as_alice = api.as_(alice)
    assert (
        as_alice.post(f"/articles/{article.pk}/status", {"status": "published"}).status_code == 200
    )
    response = as_alice.post(f"/articles/{article.pk}/status", {"status": "review"})
    assert response.status_code == 409


def test_revisions_list_and_read(api, alice):
    article = make_article(alice, body_en="one")
    actions.update_article(article=article, actor=alice, body_en="two", note="fix")
    as_alice = api.as_(alice)
    revisions = as_alice.get(f"/articles/{article.pk}/revisions").json()
    assert [r["number"] for r in revisions] == [2, 1]
    assert revisions[0]["changed"] == ["body_en"] and revisions[0]["note"] == "fix"
    one = as_alice.get(f"/articles/{article.pk}/revisions/1").json()
    assert one["data"]["body_en"] == "one"
    assert as_alice.get(f"/articles/{article.pk}/revisions/9").status_code == 404


def test_requesters_read_the_faq_only_and_cannot_write(api, alice, bob, acme):
    faq = make_faq(alice, organisations=[acme])
    internal = make_article(alice, status=ArticleStatus.PUBLISHED)
    as_bob = api.as_(bob)
    ids = [i["id"] for i in as_bob.get("/articles").json()["items"]]
    assert ids == [faq.pk]
    assert as_bob.get(f"/articles/{internal.pk}").status_code == 404
    assert as_bob.post("/articles", {"title_en": "Mine"}).status_code == 403
    assert as_bob.patch(f"/articles/{faq.pk}", {"title_en": "Mine"}).status_code == 403
    assert as_bob.patch(f"/articles/{internal.pk}", {"title_en": "Mine"}).status_code == 404
    assert as_bob.post(f"/articles/{faq.pk}/status", {"status": "archived"}).status_code == 403
    assert as_bob.get(f"/articles/{faq.pk}/revisions").status_code == 404
    assert as_bob.post(f"/articles/{faq.pk}/vote", {"helpful": True}).json()["helpful_count"] == 1


def test_an_outsider_gets_404_on_every_endpoint_of_another_clients_article(
    api, alice, charlie, acme
):
    article = make_faq(alice, organisations=[acme])
    ticket_id = 1
    as_charlie = api.as_(charlie)
    pk = article.pk
    assert as_charlie.get("/articles").json()["items"] == []
    assert as_charlie.get(f"/articles/{pk}").status_code == 404
    assert as_charlie.patch(f"/articles/{pk}", {"title_en": "x"}).status_code == 404
    assert as_charlie.post(f"/articles/{pk}/status", {"status": "draft"}).status_code == 404
    assert as_charlie.get(f"/articles/{pk}/revisions").status_code == 404
    assert as_charlie.get(f"/articles/{pk}/revisions/1").status_code == 404
    assert as_charlie.post(f"/articles/{pk}/vote", {"helpful": False}).status_code == 404
    response = as_charlie.post(f"/articles/{pk}/tickets", {"ticket": ticket_id})
    assert response.status_code == 404
    article.refresh_from_db()
    assert article.unhelpful_count == 0 and article.status == ArticleStatus.PUBLISHED


def test_linking_a_ticket_counts_and_an_outsider_technician_cannot(api, alice, bob, dave):
    article = make_article(alice)
    ticket = make_ticket(bob)
    response = api.as_(alice).post(
        f"/articles/{article.pk}/tickets", {"ticket": ticket.pk, "solved": True}
    )
    assert response.status_code == 201 and response.json()["solved_count"] == 1
    other = make_ticket(bob, title="Another")
    response = api.as_(dave).post(f"/articles/{article.pk}/tickets", {"ticket": other.pk})
    assert response.status_code == 422 and "ticket" in response.json()["errors"]
    assert ArticleTicket.objects.count() == 1


def test_votes_replace_each_other(api, alice):
    article = make_article(alice)
    as_alice = api.as_(alice)
    as_alice.post(f"/articles/{article.pk}/vote", {"helpful": True})
    body = as_alice.post(f"/articles/{article.pk}/vote", {"helpful": False}).json()
    assert (body["helpful_count"], body["unhelpful_count"]) == (0, 1)
    assert as_alice.post(f"/articles/{article.pk}/vote", {"helpful": "maybe"}).status_code == 422


def test_the_openapi_document_lists_the_article_endpoints(api, alice):
    paths = api.as_(alice).get("/openapi.json").json()["paths"]
    assert "/api/v1/articles/{article_id}/revisions/{number}" in paths
