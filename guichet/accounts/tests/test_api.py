"""API v1 people, organisations and teams: read access through the tenancy door."""

import pytest

from guichet.accounts.tests.factories import make_location, make_user
from guichet.tickets.tests.api_helpers import ApiCaller


@pytest.fixture
def api(client):
    return ApiCaller(client)


def names(response) -> list[str]:
    assert response.status_code == 200, response.json()
    return [item["username"] for item in response.json()["items"]]


def test_it_tells_the_caller_who_they_are(api, bob, charlie, dave):
    me = api.as_(bob).get("/users/me").json()

    assert (me["id"], me["username"], me["role"]) == (bob.pk, "bob", "requester")
    assert me["organisation"] == {"id": bob.organisation_id, "name": "Acme"}
    assert api.as_(charlie).get("/users/me").json()["id"] == charlie.pk
    assert api.as_(dave).get("/users/me").json()["id"] == dave.pk


def test_staff_find_a_caller_by_name_email_or_phone(api, alice, bob, charlie):
    make_user("zoe", organisation=bob.organisation, first_name="Zoé", last_name="Martin")
    caller = api.as_(alice)

    assert names(caller.get("/users", {"q": "bob"})) == ["bob"]
    assert names(caller.get("/users", {"q": "45 67"})) == ["bob"]
    assert names(caller.get("/users", {"q": "zoe@example"})) == ["zoe"]
    assert names(caller.get("/users", {"q": "zoé martin"})) == ["zoe"]
    assert names(caller.get("/users", {"q": "charlie"})) == []


def test_users_are_listed_by_name_page_by_page(api, alice, bob):
    for name in ("anna", "bert", "cleo"):
        make_user(name, organisation=bob.organisation, last_name=name.upper())
    caller = api.as_(alice)

    first = caller.get("/users", {"role": "requester", "limit": 2}).json()
    second = caller.get(
        "/users", {"role": "requester", "limit": 2, "cursor": first["next_cursor"]}
    ).json()

    seen = [u["username"] for u in first["items"] + second["items"]]
    assert seen == ["anna", "bert", "cleo", "bob"]
    assert second["next_cursor"] is None


def test_users_filter_by_role_organisation_and_team(api, alice, sam, bob, support_team, acme):
    caller = api.as_(alice)

    assert set(names(caller.get("/users", {"team": support_team.pk}))) == {"alice", "sam"}
    assert names(caller.get("/users", {"organisation": acme.pk})) == ["bob"]
    assert set(names(caller.get("/users", {"role": "supervisor"}))) == {"sam"}


def test_visibility_of_people(api, alice, bob, charlie, dave):
    assert "charlie" not in names(api.as_(alice).get("/users"))
    assert "bob" not in names(api.as_(dave).get("/users"))
    seen_by_bob = set(names(api.as_(bob).get("/users")))
    assert "charlie" not in seen_by_bob
    assert {"bob", "alice"} <= seen_by_bob


def test_someone_one_may_not_see_is_not_found(api, alice, bob, charlie, dave):
    assert api.as_(alice).get(f"/users/{bob.pk}").json()["username"] == "bob"
    assert api.as_(charlie).get(f"/users/{bob.pk}").status_code == 404
    assert api.as_(dave).get(f"/users/{bob.pk}").status_code == 404
    assert api.as_(alice).get(f"/users/{charlie.pk}").status_code == 404
    assert api.as_(alice).get("/users/424242").status_code == 404


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"q": "a\x00"}, "q"),
        ({"q": "x" * 201}, "q"),
        ({"role": "king"}, "role"),
        ({"team": str(2**64)}, "team"),
        ({"cursor": "garbage"}, "cursor"),
        ({"limit": "500"}, "limit"),
    ],
)
def test_bad_user_filters_name_the_parameter(api, alice, params, field):
    response = api.as_(alice).get("/users", params)

    assert response.status_code == 422
    assert field in response.json()["errors"]


def test_organisations_are_those_one_serves_or_belongs_to(api, alice, bob, charlie, dave, acme):
    def orgs(user):
        return [o["name"] for o in api.as_(user).get("/organisations").json()["items"]]

    assert orgs(alice) == ["Acme"]
    assert orgs(bob) == ["Acme"]
    assert orgs(charlie) == ["Globex"]
    assert orgs(dave) == ["Globex"]


def test_an_organisation_comes_with_its_locations_and_teams(api, alice, acme, support_team):
    site = make_location(acme, "Lyon")

    body = api.as_(alice).get(f"/organisations/{acme.pk}").json()

    assert body["name"] == "Acme"
    assert body["locations"] == [{"id": site.pk, "name": "Lyon", "address": ""}]
    assert body["teams"] == [{"id": support_team.pk, "name": "Support N1"}]


def test_outsiders_do_not_see_the_organisation(api, acme, charlie, dave):
    for user in (charlie, dave):
        assert api.as_(user).get(f"/organisations/{acme.pk}").status_code == 404


def test_organisations_are_searched_by_name(api, root, acme, globex):
    caller = api.as_(root)

    found = caller.get("/organisations", {"q": "glob"}).json()["items"]

    assert [o["name"] for o in found] == ["Globex"]


def test_teams_are_listed_with_level_and_skills(
    api, alice, charlie, dave, support_team, globex_team
):
    support_team.skills = "printers, Windows"
    support_team.save(update_fields=["skills"])

    for user in (alice, charlie, dave):
        teams = {t["name"]: t for t in api.as_(user).get("/teams").json()}
        assert teams["Support N1"]["skills"] == ["printers", "Windows"]
        assert teams["Support N1"]["level"] == 1


def test_people_endpoints_need_authentication(db, client):
    for path in ("/users", "/users/me", "/users/1", "/organisations", "/organisations/1", "/teams"):
        assert client.get("/api/v1" + path).status_code == 401
