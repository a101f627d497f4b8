"""Administrators' screens for calendars, contracts, pending reasons and teams' targets."""

from datetime import date

import pytest
from django.test import Client

from guichet.sla.calendars import schedule
from guichet.sla.contracts import terms
from guichet.sla.models import Calendar, Contract, EscalationStep, TeamTarget
from guichet.tickets.models import PendingReason

pytestmark = pytest.mark.django_db


@pytest.fixture
def root_client(root):
    client = Client()
    client.force_login(root)
    return client


@pytest.fixture
def office():
    return Calendar.objects.get(name="Heures ouvrées (France)")


def calendar_post(**changes) -> dict:
    data = {
        "name": "Metz",
        "time_zone": "Europe/Paris",
        "holiday_country": "FR",
        "holiday_subdivision": "57",
        "day_0": "08:30-12:30, 13:30-18:00",
        "day_4": "08:30-12:00",
        "closures": "2026-05-15 Pont de l'Ascension\n\n2026-08-14",
    }
    data.update(changes)
    return data


def steps_post(*rows, total: int = 3) -> dict:
    data = {"steps-TOTAL_FORMS": str(total), "steps-INITIAL_FORMS": "0"}
    for index, row in enumerate(rows):
        data.update({f"steps-{index}-{key}": value for key, value in row.items()})
    return data


def contract_post(acme, office, **changes) -> dict:
    data = {
        "name": "Acme Gold",
        "organisation": acme.pk,
        "starts_on": "2026-01-01",
        "ends_on": "2026-12-31",
        "calendar": office.pk,
        "reopen_rule": "restart",
        "pausing_reasons": [PendingReason.objects.get(code="customer").pk],
        "t_resolve_4": "4h",
        "t_own_4": "15",
        "t_own_6": "1h30",
        "flat_fee": "90.00",
        **steps_post({"kind": "resolve", "percent": "80", "action": "notify_assignee"}),
    }
    data.update(changes)
    return data


# --- Calendars ---------------------------------------------------------------------------------
def test_it_lists_every_calendar(root_client, office):
    response = root_client.get("/sla/calendars/")

    assert response.status_code == 200
    assert office.name.encode() in response.content and b"24/7" in response.content
    assert b'href="/sla/calendars/new/"' in response.content


def test_it_creates_a_calendar_from_typed_hours_and_days(root_client):
    response = root_client.post("/sla/calendars/new/", calendar_post())

    assert response.status_code == 302
    calendar = Calendar.objects.get(name="Metz")
    engine = schedule(calendar.pk)
    assert engine.weekly[0] == ((510 * 60, 750 * 60), (810 * 60, 1080 * 60))
    assert engine.weekly[4] == ((510 * 60, 720 * 60),)
    assert engine.closed(date(2026, 5, 15)) and engine.closed(date(2026, 8, 14))
    assert engine.closed(date(2026, 12, 26))  # Saint Stephen's Day, in Moselle


def test_it_shows_a_calendar_as_typed_with_its_versions(root_client):
    root_client.post("/sla/calendars/new/", calendar_post())
    calendar = Calendar.objects.get(name="Metz")

    response = root_client.get(f"/sla/calendars/{calendar.pk}/")

    assert response.status_code == 200
    assert b'value="08:30-12:30, 13:30-18:00"' in response.content
    assert b"2026-05-15 Pont de l&#x27;Ascension" in response.content
    assert response.context["versions"] == list(calendar.versions.all())


def test_an_edit_adds_a_version_and_an_unchanged_form_does_not(root_client):
    root_client.post("/sla/calendars/new/", calendar_post())
    calendar = Calendar.objects.get(name="Metz")

    root_client.post(f"/sla/calendars/{calendar.pk}/", calendar_post())
    assert calendar.versions.count() == 1
    root_client.post(f"/sla/calendars/{calendar.pk}/", calendar_post(day_0="09:00-17:00"))

    assert calendar.versions.count() == 2
    assert schedule(calendar.pk).weekly[0] == ((9 * 3600, 17 * 3600),)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"day_0": "8h30 to noon"}, "day_0", b"Write ranges as 08:30-12:30"),
        ({"day_0": "08:30-12:30,"}, "day_0", b"Write ranges as 08:30-12:30"),
        ({"day_0": "12:00-09:00"}, "day_0", b"must close after it opens"),
        ({"day_0": "08:00-25:00"}, "day_0", b"must close after it opens"),
        ({"day_0": "08:00-12:00, 11:00-14:00"}, "day_0", b"Two ranges overlap"),
        ({"closures": "15/05/2026 Pont"}, "closures", b"Line 1: write the date"),
        ({"closures": "2026-02-30"}, "closures", b"Line 1: write the date"),
        ({"closures": "2026-05-15\n2026-05-15"}, "closures", b"A day is listed twice"),
        ({"time_zone": "Mars/Olympus"}, "time_zone", b"Select a valid choice"),
        ({"holiday_subdivision": "99"}, "holiday_subdivision", b"Unknown region"),
        ({"name": "24/7"}, "name", b"Another calendar has this name"),
    ],
)
def test_it_refuses_bad_calendars_next_to_the_field(root_client, changes, field, message):
    response = root_client.post("/sla/calendars/new/", calendar_post(**changes))

    assert response.status_code == 400
    assert message in response.content
    assert f'aria-describedby="id_{field}'.encode() in response.content or (
        f'id="id_{field}_error"'.encode() in response.content
    )
    assert f'id="id_{field}_error"'.encode() in response.content
    assert not Calendar.objects.filter(name="Metz").exists()


def test_a_calendar_needs_hours_unless_open_24_7(root_client):
    closed = {f"day_{d}": "" for d in range(7)}

    response = root_client.post("/sla/calendars/new/", calendar_post(**closed))
    assert response.status_code == 400
    assert b'id="ranges_error"' in response.content

    response = root_client.post("/sla/calendars/new/", calendar_post(always_open="on", **closed))
    assert response.status_code == 302
    assert schedule(Calendar.objects.get(name="Metz").pk).always_open


# --- Contracts ---------------------------------------------------------------------------------
def test_it_lists_contracts_with_client_period_and_calendar(root_client, acme, office):
    root_client.post("/sla/contracts/new/", contract_post(acme, office))

    response = root_client.get("/sla/contracts/")

    assert response.status_code == 200
    for text in ("Acme Gold", "Acme", "Contrat par défaut", office.name):
        assert text.encode() in response.content


def test_it_creates_a_contract_with_its_grid_and_ladder(root_client, acme, office, support_team):
    data = contract_post(
        acme,
        office,
        **steps_post(
            {"kind": "resolve", "percent": "80", "action": "notify_assignee"},
            {"kind": "resolve", "percent": "100", "action": "reassign", "team": support_team.pk},
        ),
    )

    response = root_client.post("/sla/contracts/new/", data)

    assert response.status_code == 302, response.content.decode()
    contract = Contract.objects.get(name="Acme Gold")
    found = terms(contract.pk)
    assert found.minutes == {("resolve", 4): 240, ("own", 4): 15, ("own", 6): 90}
    assert found.reopen_rule == "restart"
    ladder = [(s.percent, s.action, s.team_id) for s in contract.escalation_steps.all()]
    assert ladder == [(80, "notify_assignee", None), (100, "reassign", support_team.pk)]


def test_it_shows_a_contract_as_saved(root_client, acme, office):
    root_client.post("/sla/contracts/new/", contract_post(acme, office))
    contract = Contract.objects.get(name="Acme Gold")

    response = root_client.get(f"/sla/contracts/{contract.pk}/")

    assert response.status_code == 200
    assert b'value="4h"' in response.content and b'value="1h30"' in response.content
    assert b'name="steps-0-percent" value="80"' in response.content


def test_an_edited_ladder_keeps_the_steps_that_stay(root_client, acme, office):
    root_client.post("/sla/contracts/new/", contract_post(acme, office))
    contract = Contract.objects.get(name="Acme Gold")
    kept = contract.escalation_steps.get()
    data = contract_post(
        acme,
        office,
        **steps_post(
            {"kind": "resolve", "percent": "80", "action": "notify_assignee"},
            {},
            {"kind": "own", "percent": "100", "action": "notify_supervisor"},
        ),
    )

    response = root_client.post(f"/sla/contracts/{contract.pk}/", data)

    assert response.status_code == 302
    assert [s.pk for s in contract.escalation_steps.filter(kind="resolve")] == [kept.pk]
    assert contract.escalation_steps.count() == 2


def test_the_default_contract_has_no_client_field(root_client):
    default = Contract.objects.get(is_default=True)

    response = root_client.get(f"/sla/contracts/{default.pk}/")

    assert response.status_code == 200
    assert b'name="organisation"' not in response.content
    assert b'value="15"' in response.content  # its time to own at priority 6


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"t_resolve_4": "0"}, b"From 1 minute to a year."),
        ({"t_resolve_4": "soon"}, b"Write minutes (90) or hours (4h, 1h30)."),
        ({"t_resolve_4": "1h75"}, b"Write minutes (90) or hours (4h, 1h30)."),
        ({"t_resolve_4": "9" * 40}, b"At most 20 characters."),
        ({"t_resolve_4": "9" * 7}, b"From 1 minute to a year."),
        ({"ends_on": "2025-01-01"}, b"cannot end before it starts"),
        ({"flat_fee": "-3"}, b"greater than or equal to 0"),
        ({"steps-0-action": "reassign"}, b"Step 1: choose the team to hand over to."),
        ({"steps-0-percent": "1001"}, b"less than or equal to 1000"),
        ({"steps-0-action": ""}, b"Give the clock, the percentage and the action."),
        (
            steps_post(
                {"kind": "own", "percent": "50", "action": "notify_assignee"},
                {"kind": "own", "percent": "50", "action": "notify_assignee"},
            ),
            b"Step 2: the same step is given twice.",
        ),
    ],
)
def test_it_refuses_bad_contracts_with_a_message(root_client, acme, office, changes, message):
    response = root_client.post("/sla/contracts/new/", contract_post(acme, office, **changes))

    assert response.status_code == 400
    assert message in response.content
    assert not Contract.objects.filter(name="Acme Gold").exists()
    assert not EscalationStep.objects.filter(contract__organisation=acme).exists()


# --- Pending reasons and teams' targets --------------------------------------------------------
def test_it_adds_and_renames_a_pending_reason(root_client):
    response = root_client.post(
        "/sla/pending-reasons/",
        {"code": "vendor-rma", "name_fr": "RMA", "name_en": "RMA", "active": "on"},
    )
    assert response.status_code == 302
    reason = PendingReason.objects.get(code="vendor-rma")

    response = root_client.post(
        f"/sla/pending-reasons/{reason.pk}/",
        {"code": "ignored", "name_fr": "Retour fabricant", "name_en": "RMA"},
    )

    assert response.status_code == 302
    reason.refresh_from_db()
    assert (reason.code, reason.name_fr, reason.active) == ("vendor-rma", "Retour fabricant", False)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"code": "customer", "name_fr": "A", "name_en": "A"}, "code"),
        ({"code": "Bad code!", "name_fr": "A", "name_en": "A"}, "code"),
        ({"code": "fine", "name_fr": "A", "name_en": ""}, "name_en"),
        ({"code": "fine", "name_fr": "A" * 201, "name_en": "A"}, "name_fr"),
    ],
)
def test_it_refuses_a_taken_code_or_a_bad_name(root_client, data, field):
    response = root_client.post("/sla/pending-reasons/", data)

    assert response.status_code == 400
    assert f'id="id_{field}_error"'.encode() in response.content
    assert (
        f'aria-describedby="id_{field}_helptext id_{field}_error"'.encode() in (response.content)
        or f'aria-describedby="id_{field}_error"'.encode() in response.content
    )
    assert not PendingReason.objects.filter(code="fine").exists()


def test_it_sets_the_teams_targets_in_one_grid(root_client, support_team, globex_team):
    TeamTarget.objects.create(team=globex_team, priority=3, minutes=600)

    response = root_client.post(
        "/sla/team-targets/",
        {f"team{support_team.pk}_p6": "30", f"team{support_team.pk}_p5": "2h"},
    )

    assert response.status_code == 302
    assert dict(support_team.operational_targets.values_list("priority", "minutes")) == {
        6: 30,
        5: 120,
    }
    assert not globex_team.operational_targets.exists()  # its cell was left blank
    assert b'value="2h"' in root_client.get("/sla/team-targets/").content


def test_a_bad_cell_leaves_every_teams_targets_as_they_were(root_client, support_team, globex_team):
    TeamTarget.objects.create(team=support_team, priority=3, minutes=600)

    response = root_client.post(
        "/sla/team-targets/",
        {f"team{support_team.pk}_p3": "", f"team{globex_team.pk}_p6": "0"},
    )

    assert response.status_code == 400
    assert f'id="id_team{globex_team.pk}_p6_error"'.encode() in response.content
    assert support_team.operational_targets.get().minutes == 600


# --- Who may ------------------------------------------------------------------------------------
def _every_page(office):
    default = Contract.objects.get(is_default=True)
    reason = PendingReason.objects.get(code="customer")
    return [
        "/sla/calendars/",
        "/sla/calendars/new/",
        f"/sla/calendars/{office.pk}/",
        "/sla/contracts/",
        "/sla/contracts/new/",
        f"/sla/contracts/{default.pk}/",
        "/sla/pending-reasons/",
        f"/sla/pending-reasons/{reason.pk}/",
        "/sla/team-targets/",
    ]


@pytest.mark.parametrize("who", ["alice_client", "bob_client", "charlie_client", "dave_client"])
def test_it_refuses_everyone_but_administrators(request, who, office):
    client = request.getfixturevalue(who)
    for url in _every_page(office):
        assert client.get(url).status_code == 403, url
        assert (
            client.post(url, calendar_post(code="x", name_fr="x", name_en="x")).status_code == 403
        )
    assert not Calendar.objects.filter(name="Metz").exists()


def test_it_sends_strangers_to_sign_in(client, office):
    for url in _every_page(office):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"], url


def test_every_page_opens_for_administrators_with_the_configuration_links(root_client, office):
    for url in _every_page(office):
        response = root_client.get(url)
        assert response.status_code == 200, url
        assert b'href="/sla/team-targets/"' in response.content
    matrix = root_client.get("/configuration/priority-matrix/").content
    assert b'href="/sla/contracts/"' in matrix and b'href="/sla/calendars/"' in matrix
