"""The problems API: staff read problems; incidents only among those they may see."""

import pytest

from guichet.problems.tests.factories import make_problem
from guichet.tickets.tests.api_helpers import ApiCaller
from guichet.tickets.tests.factories import make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client):
    return ApiCaller(client)


@pytest.fixture
def problem(alice, bob):
    return make_problem(alice, title="VPN drops", tickets=[make_ticket(bob)], workaround="TCP")


def test_staff_list_and_read_problems(api, alice, problem):
    listing = api.as_(alice).get("/problems")
    one = api.as_(alice).get(f"/problems/{problem.pk}")

    assert listing.status_code == 200
    assert [p["reference"] for p in listing.json()["items"]] == [problem.reference]
    assert listing.json()["items"][0]["incident_count"] == 1
    assert one.status_code == 200
    assert one.json()["workaround"] == "TCP"
    assert one.json()["incidents"] == list(problem.incidents.values_list("pk", flat=True))


def test_an_outsider_technician_sees_no_incident_nor_count(api, dave, problem):
    listing = api.as_(dave).get("/problems")
    one = api.as_(dave).get(f"/problems/{problem.pk}")

    assert listing.json()["items"][0]["incident_count"] == 0
    assert one.json()["incidents"] == [] and one.json()["incident_count"] == 0


@pytest.mark.parametrize("who", ["bob", "charlie"])
def test_requesters_are_refused(request, api, who, problem):
    caller = api.as_(request.getfixturevalue(who))

    assert caller.get("/problems").status_code == 403
    assert caller.get(f"/problems/{problem.pk}").status_code == 403


def test_bad_filters_and_ids_answer_4xx(api, alice):
    caller = api.as_(alice)

    assert caller.get("/problems", {"status": "nope"}).status_code == 422
    assert caller.get("/problems", {"cursor": "zzz"}).status_code == 422
    assert caller.get("/problems", {"limit": 0}).status_code == 422
    assert caller.get("/problems/0").status_code == 422
    assert caller.get("/problems/99999").status_code == 404
    assert caller.get("/problems", {"status": "open"}).status_code == 200
