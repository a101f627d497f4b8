"""API v1 reference lists: categories, pending reasons, solution types; the OpenAPI document."""

import pytest
from django.test import Client

from guichet.tickets.models import Category
from guichet.tickets.tests.api_helpers import ApiCaller


@pytest.fixture
def api(client):
    return ApiCaller(client)


def test_categories_form_a_bilingual_tree(api, bob, alice, charlie, dave):
    printer = Category.objects.get(code="hardware-printer")

    for user in (bob, alice, charlie, dave):
        categories = {c["code"]: c for c in api.as_(user).get("/categories").json()}
        entry = categories["hardware-printer"]
        assert (entry["name_fr"], entry["name_en"]) == ("Imprimante", "Printer")
        assert entry["parent"] == categories["hardware"]["id"] == printer.parent_id
        assert categories["hardware"]["parent"] is None


def test_names_follow_the_callers_language(api, bob):
    bob.language = "fr"
    bob.save(update_fields=["language"])

    categories = {c["code"]: c for c in api.as_(bob).get("/categories").json()}

    assert categories["hardware-printer"]["name"] == "Imprimante"


def test_retired_entries_are_listed_only_on_request(api, bob):
    Category.objects.filter(code="hardware-printer").update(active=False)

    codes = {c["code"] for c in api.as_(bob).get("/categories").json()}
    all_codes = {
        c["code"] for c in api.as_(bob).get("/categories", {"include_inactive": "true"}).json()
    }

    assert "hardware-printer" not in codes
    assert "hardware-printer" in all_codes


def test_pending_reasons_and_solution_types_are_listed(api, charlie, dave):
    for user in (charlie, dave):
        reasons = {r["code"] for r in api.as_(user).get("/pending-reasons").json()}
        types = {t["code"] for t in api.as_(user).get("/solution-types").json()}
        assert {"customer", "supplier"} <= reasons
        assert {"fixed", "workaround"} <= types


def test_reference_lists_need_authentication(db, client):
    for path in ("/categories", "/pending-reasons", "/solution-types"):
        assert client.get("/api/v1" + path).status_code == 401


def test_the_openapi_document_is_valid_openapi_3(db):
    import jsonschema_rs
    from schemathesis.specs.openapi.definitions import OPENAPI_31

    response = Client().get("/api/v1/openapi.json")

    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    jsonschema_rs.validator_for(OPENAPI_31).validate(document)
    paths = document["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/tickets"])
    assert "post" in paths["/api/v1/tickets/{ticket_id}/solve"]
    assert set(document["components"]["securitySchemes"]) == {"BearerToken", "SessionAuth"}


def test_the_interactive_docs_answer(db):
    client = Client()

    response = client.get("/api/docs")
    assert response.status_code == 302
    assert response["Location"] == "/api/v1/docs"
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert b"openapi.json" in response.content
