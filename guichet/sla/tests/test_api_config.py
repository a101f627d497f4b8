"""API v1 for administrators: calendars, contracts, pending reasons and teams' targets."""

import json

import pytest

from guichet.sla.calendars import schedule
from guichet.sla.contracts import terms
from guichet.sla.models import Calendar, Contract, EscalationStep, TeamTarget
from guichet.tickets.models import PendingReason
from guichet.tickets.tests.api_helpers import BASE, ApiCaller

pytestmark = pytest.mark.django_db


class Api(ApiCaller):
    def as_(self, user) -> "Api":
        caller = super().as_(user)
        return Api(caller.client, user, caller.headers)

    def put(self, path: str, body=None):
        return self._send("put", path, {} if body is None else body)


@pytest.fixture
def api(client):
    return Api(client)


@pytest.fixture
def office():
    return Calendar.objects.get(name="Heures ouvrées (France)")


def shop(**changes) -> dict:
    return {
        "name": "Shop",
        "time_zone": "Europe/Paris",
        "holiday_country": "FR",
        "ranges": [
            {"weekday": 0, "opens": "08:30", "closes": "12:30"},
            {"weekday": 0, "opens": "13:30", "closes": "18:00"},
        ],
        "closures": [{"day": "2026-05-15", "label": "Pont"}],
        **changes,
    }


def gold(acme, office, **changes) -> dict:
    return {
        "name": "Acme Gold",
        "organisation": acme.pk,
        "calendar": office.pk,
        "starts_on": "2026-01-01",
        "ends_on": "2026-12-31",
        "reopen_rule": "restart",
        "pausing_reasons": [PendingReason.objects.get(code="customer").pk],
        "targets": [
            {"kind": "resolve", "priority": 4, "minutes": 240},
            {"kind": "own", "priority": 4, "minutes": 15},
        ],
        "steps": [{"kind": "resolve", "percent": 80, "action": "notify_assignee"}],
        "flat_fee": "90.00",
        **changes,
    }


def step(**changes) -> dict:
    return {"kind": "resolve", "percent": 80, "action": "notify_assignee", **changes}


# --- Calendars ---------------------------------------------------------------------------------
def test_it_creates_a_calendar_with_ranges_in_hh_mm(api, root):
    response = api.as_(root).post("/calendars", shop())

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["ranges"] == shop()["ranges"]
    assert body["closures"] == [{"day": "2026-05-15", "label": "Pont"}]
    assert len(body["versions"]) == 1
    assert schedule(body["id"]).weekly[0] == ((510 * 60, 750 * 60), (810 * 60, 1080 * 60))


def test_it_lists_and_reads_calendars(api, root, office):
    listed = {c["name"]: c for c in api.as_(root).get("/calendars").json()}
    assert listed["24/7"]["always_open"] is True
    assert len(listed[office.name]["ranges"]) == 10

    one = api.as_(root).get(f"/calendars/{office.pk}").json()
    assert one["holiday_country"] == "FR" and one["time_zone"] == "Europe/Paris"


def test_it_gives_a_calendar_new_hours_in_a_new_version(api, root):
    created = api.as_(root).post("/calendars", shop()).json()

    response = api.as_(root).put(
        f"/calendars/{created['id']}",
        shop(ranges=[{"weekday": 5, "opens": "00:00", "closes": "24:00"}], closures=[]),
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["ranges"] == [{"weekday": 5, "opens": "00:00", "closes": "24:00"}]
    assert body["closures"] == [] and len(body["versions"]) == 2


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"name": "x" * 5000}, "name"),
        ({"name": "a\x00b"}, "name"),
        ({"name": 12}, "name"),
        ({"name": "24/7"}, "name"),
        ({"holiday_country": "XX"}, "holiday_country"),
        ({"ranges": []}, "ranges"),
        ({"ranges": "08:30-12:30"}, "ranges"),
        ({"ranges": [{"weekday": 0, "opens": "8h30", "closes": "12:30"}]}, "ranges.0.opens"),
        ({"ranges": [{"weekday": 0, "opens": "24:30", "closes": "12:30"}]}, "ranges.0.opens"),
        ({"ranges": [{"weekday": 7, "opens": "08:00", "closes": "12:30"}]}, "ranges.0.weekday"),
        ({"ranges": [{"weekday": 0, "opens": "12:00", "closes": "09:00"}]}, "ranges"),
        (
            {
                "ranges": [
                    {"weekday": 1, "opens": "08:00", "closes": "12:00"},
                    {"weekday": 1, "opens": "11:00", "closes": "14:00"},
                ]
            },
            "ranges",
        ),
        ({"closures": [{"day": "2026-02-30"}]}, "closures.0.day"),
        ({"closures": [{"day": "2026-05-15"}, {"day": "2026-05-15"}]}, "closures"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_it_refuses_bad_calendars_with_the_field_named(api, root, changes, field):
    response = api.as_(root).post("/calendars", shop(**changes))

    assert response.status_code == 422, response.content
    assert field in response.json()["errors"]
    assert not Calendar.objects.filter(name="Shop").exists()


def test_it_needs_no_ranges_when_open_24_7(api, root):
    response = api.as_(root).post("/calendars", shop(name="NOC", always_open=True, ranges=[]))

    assert response.status_code == 201
    assert schedule(response.json()["id"]).always_open


def test_it_refuses_malformed_json(api, root):
    for path in ("/calendars", "/contracts", "/pending-reasons"):
        response = api.as_(root).post(path, '{"name": "Shop",')
        assert response.status_code in (400, 422), (path, response.status_code)
    assert not Calendar.objects.filter(name="Shop").exists()


def test_it_answers_404_for_unknown_ids(api, root):
    caller = api.as_(root)
    assert caller.get("/calendars/999999").status_code == 404
    assert caller.put("/calendars/999999", shop()).status_code == 404
    assert caller.get("/contracts/999999").status_code == 404
    assert (
        caller.put(
            "/pending-reasons/999999", {"code": "x", "name_fr": "x", "name_en": "x"}
        ).status_code
        == 404
    )
    assert caller.get("/teams/999999/targets").status_code == 404
    assert caller.get(f"/calendars/{2**70}").status_code == 422


# --- Contracts ---------------------------------------------------------------------------------
def test_it_creates_a_contract_with_targets_and_a_ladder(api, root, acme, office, support_team):
    steps = [
        {"kind": "resolve", "percent": 80, "action": "notify_assignee"},
        {"kind": "resolve", "percent": 100, "action": "reassign", "team": support_team.pk},
    ]

    response = api.as_(root).post("/contracts", gold(acme, office, steps=steps))

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["organisation"] == {"id": acme.pk, "name": "Acme"}
    assert body["pausing_reasons"][0]["code"] == "customer"
    assert body["steps"][1]["team"] == {"id": support_team.pk, "name": "Support N1"}
    assert body["flat_fee"] in ("90.00", 90.0)
    found = terms(body["id"])
    assert found.minutes == {("resolve", 4): 240, ("own", 4): 15}
    assert found.reopen_rule == "restart"


def test_it_replaces_a_contracts_terms_on_put(api, root, acme, office):
    created = api.as_(root).post("/contracts", gold(acme, office)).json()

    response = api.as_(root).put(
        f"/contracts/{created['id']}",
        gold(acme, office, targets=[{"kind": "resolve", "priority": 4, "minutes": 60}], steps=[]),
    )

    assert response.status_code == 200, response.content
    assert response.json()["targets"] == [{"kind": "resolve", "priority": 4, "minutes": 60}]
    assert not EscalationStep.objects.filter(contract_id=created["id"]).exists()
    listed = {c["name"] for c in api.as_(root).get("/contracts").json()}
    assert {"Acme Gold", "Contrat par défaut"} <= listed
    assert api.as_(root).get(f"/contracts/{created['id']}").json()["name"] == "Acme Gold"


def test_the_default_contract_takes_no_client(api, root, acme, office):
    default = Contract.objects.get(is_default=True)

    response = api.as_(root).put(f"/contracts/{default.pk}", gold(acme, office, name=default.name))

    assert response.status_code == 422
    assert "organisation" in response.json()["errors"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"targets": [{"kind": "resolve", "priority": 4, "minutes": 0}]}, "targets.0.minutes"),
        ({"targets": [{"kind": "coffee", "priority": 4, "minutes": 10}]}, "targets.0.kind"),
        ({"targets": [{"kind": "own", "priority": 7, "minutes": 10}]}, "targets.0.priority"),
        (
            {"targets": [{"kind": "own", "priority": 3, "minutes": 10}] * 2},
            "targets",
        ),
        ({"calendar": 999999}, "calendar"),
        ({"organisation": 999999}, "organisation"),
        ({"pausing_reasons": [999999]}, "pausing_reasons"),
        ({"starts_on": "yesterday"}, "starts_on"),
        ({"ends_on": "2025-01-01"}, "ends_on"),
        ({"reopen_rule": "sometimes"}, "reopen_rule"),
        ({"flat_fee": "-1"}, "flat_fee"),
        ({"flat_fee": "1e20"}, "flat_fee"),
        ({"name": ["Gold"]}, "name"),
        ({"steps": [step(percent=0)]}, "steps.0.percent"),
        ({"steps": [step(percent=1001)]}, "steps.0.percent"),
        ({"steps": [step(action="reassign")]}, "steps"),
        ({"steps": [step(action="reassign", team=999999)]}, "steps"),
        ({"steps": [step(team=1)]}, "steps"),
        ({"steps": [step(action="dance")]}, "steps.0.action"),
        ({"steps": [step(kind="coffee")]}, "steps.0.kind"),
        ({"steps": [step()] * 2}, "steps"),
    ],
)
def test_it_refuses_bad_contracts_with_the_field_named(api, root, acme, office, changes, field):
    response = api.as_(root).post("/contracts", gold(acme, office, **changes))

    assert response.status_code == 422, response.content
    assert field in response.json()["errors"]
    assert not Contract.objects.filter(organisation=acme).exists()


# --- Pending reasons ---------------------------------------------------------------------------
def test_it_creates_and_renames_a_pending_reason(api, root, bob):
    response = api.as_(root).post(
        "/pending-reasons", {"code": "vendor-rma", "name_fr": "RMA", "name_en": "RMA"}
    )
    assert response.status_code == 201, response.content
    reason = response.json()

    response = api.as_(root).put(
        f"/pending-reasons/{reason['id']}",
        {"code": "vendor-rma", "name_fr": "Retour fabricant", "name_en": "RMA", "active": False},
    )

    assert response.status_code == 200
    assert response.json()["active"] is False
    listed = api.as_(bob).get("/pending-reasons", {"include_inactive": "true"}).json()
    assert {"code": "vendor-rma", "name_fr": "Retour fabricant"}.items() <= next(
        r for r in listed if r["code"] == "vendor-rma"
    ).items()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"code": "customer", "name_fr": "A", "name_en": "A"}, "code"),
        ({"code": "Not a slug!", "name_fr": "A", "name_en": "A"}, "code"),
        ({"code": "ok", "name_fr": "", "name_en": "A"}, "name_fr"),
        ({"code": "ok", "name_fr": "A", "name_en": "x" * 201}, "name_en"),
        ({"code": "ok", "name_fr": "A"}, "name_en"),
    ],
)
def test_it_refuses_bad_pending_reasons(api, root, body, field):
    response = api.as_(root).post("/pending-reasons", body)

    assert response.status_code == 422, response.content
    assert field in response.json()["errors"]


def test_the_code_of_a_pending_reason_stays(api, root):
    customer = PendingReason.objects.get(code="customer")

    response = api.as_(root).put(
        f"/pending-reasons/{customer.pk}", {"code": "client", "name_fr": "A", "name_en": "A"}
    )

    assert response.status_code == 422
    assert "code" in response.json()["errors"]


# --- Teams' targets ----------------------------------------------------------------------------
def test_it_sets_and_reads_a_teams_targets(api, root, support_team):
    TeamTarget.objects.create(team=support_team, priority=2, minutes=600)

    response = api.as_(root).put(
        f"/teams/{support_team.pk}/targets",
        {"targets": [{"priority": 6, "minutes": 30}, {"priority": 5, "minutes": 120}]},
    )

    assert response.status_code == 200, response.content
    expected = [{"priority": 5, "minutes": 120}, {"priority": 6, "minutes": 30}]
    assert response.json()["targets"] == expected
    read = api.as_(root).get(f"/teams/{support_team.pk}/targets").json()
    assert read == {"team": {"id": support_team.pk, "name": "Support N1"}, "targets": expected}


@pytest.mark.parametrize(
    ("targets", "field"),
    [
        ([{"priority": 6, "minutes": 0}], "targets.0.minutes"),
        ([{"priority": 0, "minutes": 10}], "targets.0.priority"),
        ([{"priority": 6, "minutes": "soon"}], "targets.0.minutes"),
        ([{"priority": 6, "minutes": 10}, {"priority": 6, "minutes": 20}], "targets"),
    ],
)
def test_it_refuses_bad_team_targets(api, root, support_team, targets, field):
    response = api.as_(root).put(f"/teams/{support_team.pk}/targets", {"targets": targets})

    assert response.status_code == 422, response.content
    assert field in response.json()["errors"]
    assert not TeamTarget.objects.filter(team=support_team).exists()


# --- Who may ------------------------------------------------------------------------------------
def _every_call(acme, office, support_team):
    reason = PendingReason.objects.get(code="customer")
    default = Contract.objects.get(is_default=True)
    return [
        ("get", "/calendars", None),
        ("post", "/calendars", shop()),
        ("get", f"/calendars/{office.pk}", None),
        ("put", f"/calendars/{office.pk}", shop()),
        ("get", "/contracts", None),
        ("post", "/contracts", gold(acme, office)),
        ("get", f"/contracts/{default.pk}", None),
        ("put", f"/contracts/{default.pk}", gold(acme, office, organisation=None)),
        ("post", "/pending-reasons", {"code": "new", "name_fr": "A", "name_en": "A"}),
        (
            "put",
            f"/pending-reasons/{reason.pk}",
            {"code": "customer", "name_fr": "A", "name_en": "A"},
        ),
        ("get", f"/teams/{support_team.pk}/targets", None),
        ("put", f"/teams/{support_team.pk}/targets", {"targets": []}),
    ]


@pytest.mark.parametrize("who", ["charlie", "alice", "sam"])
def test_it_refuses_everyone_but_administrators(request, api, acme, office, support_team, who):
    caller = api.as_(request.getfixturevalue(who))
    for method, path, body in _every_call(acme, office, support_team):
        response = caller.get(path) if method == "get" else getattr(caller, method)(path, body)
        assert response.status_code == 403, (method, path, response.content)
    assert not Calendar.objects.filter(name="Shop").exists()
    assert PendingReason.objects.get(code="customer").name_fr != "A"


def test_it_asks_strangers_to_authenticate(client, acme, office, support_team):
    for method, path, body in _every_call(acme, office, support_team):
        data = json.dumps(body) if body is not None else None
        kwargs = {"content_type": "application/json"} if data else {}
        response = getattr(client, method)(BASE + path, data, **kwargs)
        assert response.status_code == 401, (method, path)
