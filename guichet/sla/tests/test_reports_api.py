"""`GET /api/v1/reports/service`: the figures as JSON, for whom, and bad filters."""

import pytest

from guichet.accounts.tests.factories import make_user
from guichet.sla.api.reports import ServiceReportOut
from guichet.sla.choices import ClockKind
from guichet.sla.tests.reports_world import at, client_contract, clock, default_contract, ticket
from guichet.tickets.choices import Status

pytestmark = pytest.mark.django_db

URL = "/api/v1/reports/service"
PERIOD = {"from": "2026-01", "to": "2026-12"}


@pytest.fixture
def world(bob, charlie):
    """One clock met at Acme, one breached at Globex, in January 2026."""
    contract = default_contract()
    acme_ticket = ticket(bob, status=Status.SOLVED)
    clock(acme_ticket, ClockKind.OWN, contract=contract, stopped=at("2026-01-05"))
    globex_ticket = ticket(charlie, status=Status.SOLVED)
    clock(globex_ticket, ClockKind.OWN, contract=contract, stopped=at("2026-01-05"), breached=True)


def get(client, headers, **params):
    return client.get(URL, {**PERIOD, **params}, **headers)


def own(response) -> dict:
    return response.json()["attainment"]["overall"]["own"]


def test_it_gives_every_figure_to_an_administrator(client, api_token, root, world):
    response = get(client, api_token(root))
    assert response.status_code == 200
    body = ServiceReportOut.model_validate(response.json())
    assert body.attainment.overall.own.total == 2
    assert own(response) == {"met": 1, "total": 2, "rate": 0.5}
    payload = response.json()
    assert payload["filters"]["from"] == "2026-01"
    assert len(payload["attainment"]["by_month"]) == 12
    assert payload["attainment"]["detail"] is None
    assert payload["backlog"]["bands"][-1] == {"first_day": 31, "last_day": None}


def test_it_lists_the_cells_on_request(client, api_token, root, world):
    payload = get(client, api_token(root), detail="true").json()
    ServiceReportOut.model_validate(payload)
    assert [
        (c["kind"], c["month"], c["met"], c["total"]) for c in payload["attainment"]["detail"]
    ] == [("own", "2026-01", 1, 2)]


def test_it_asks_who_is_calling(client, world):
    assert client.get(URL).status_code == 401


def test_a_plain_requester_is_refused(client, api_token, charlie, world):
    response = get(client, api_token(charlie))
    assert response.status_code == 403


def test_an_organisation_manager_reads_only_their_organisation(
    client, api_token, acme, globex, world
):
    manager = make_user("gina", organisation=globex, is_org_manager=True)
    response = get(client, api_token(manager))
    assert response.status_code == 200
    assert own(response) == {"met": 0, "total": 1, "rate": 0.0}
    # Another client's organisation or contract reads like one that does not exist.
    response = get(client, api_token(manager), organisation=acme.pk)
    assert response.status_code == 422
    assert response.json()["errors"] == {"organisation": ["Unknown organisation."]}
    gold = client_contract(acme)
    response = get(client, api_token(manager), contract=gold.pk)
    assert response.json()["errors"] == {"contract": ["Unknown contract."]}


def test_staff_read_the_organisations_their_teams_serve(client, api_token, alice, dave, world):
    assert own(get(client, api_token(alice))) == {"met": 1, "total": 1, "rate": 1.0}
    assert own(get(client, api_token(dave))) == {"met": 0, "total": 1, "rate": 0.0}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2026-13"}, "from"),
        ({"from": "26-01"}, "from"),
        ({"to": "abcd-ef"}, "to"),
        ({"from": "2026-06", "to": "2026-01"}, "from"),
        ({"from": "2020-01", "to": "2026-01"}, "to"),
        ({"from": "1999-12"}, "from"),
        ({"priority": "9"}, "priority"),
        ({"priority": "high"}, "priority"),
        ({"organisation": "0"}, "organisation"),
        ({"organisation": str(2**70)}, "organisation"),
        ({"organisation": "999999"}, "organisation"),
        ({"contract": "999999"}, "contract"),
        ({"team": "999999"}, "team"),
        ({"detail": "maybe"}, "detail"),
    ],
)
def test_bad_filters_get_a_422_naming_the_field(client, api_token, root, params, field):
    response = get(client, api_token(root), **params)
    assert response.status_code == 422, response.content
    assert field in response.json()["errors"]


def test_the_schema_is_documented(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"][URL]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert {"from", "to", "organisation", "contract", "team", "priority"} <= names
    assert "ServiceReportOut" in schema["components"]["schemas"]
