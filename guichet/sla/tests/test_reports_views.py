"""The reports screen, its CSV downloads and the monthly PDF: who may read them, what they
show, and bad input."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from guichet.accounts.choices import Role
from guichet.accounts.tests.factories import make_staff, make_user
from guichet.sla.choices import ClockKind
from guichet.sla.tests.reports_world import at, client_contract, clock, default_contract, ticket
from guichet.tickets.choices import Status

pytestmark = pytest.mark.django_db

PERIOD = {"from": "2026-01", "to": "2026-03"}


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def world(bob, charlie, acme):
    """Acme: a met clock under its own contract; Globex: a breached one, and a rating."""
    gold = client_contract(acme)
    acme_ticket = ticket(bob, status=Status.SOLVED)
    clock(acme_ticket, ClockKind.OWN, contract=gold, stopped=at("2026-01-05"))
    clock(
        acme_ticket,
        ClockKind.RESOLVE,
        contract=gold,
        stopped=at("2026-01-06"),
        elapsed_seconds=5400,
    )
    globex_ticket = ticket(
        charlie, status=Status.CLOSED, closed_at=at("2026-01-07"), satisfaction=2
    )
    clock(
        globex_ticket,
        ClockKind.OWN,
        contract=default_contract(),
        stopped=at("2026-01-05"),
        breached=True,
    )
    return gold


@pytest.fixture
def supervisor(sam):
    return sam


@pytest.fixture
def globex_manager(globex):
    return make_user("gina", organisation=globex, is_org_manager=True)


def test_it_shows_the_figures_with_charts_and_tables(supervisor, world):
    response = signed_in(supervisor).get(reverse("sla:reports"), PERIOD)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="img"' in html and '<title id="attainment-chart-title">' in html
    assert '<th scope="col"' in html and "<caption>SLA attainment per month</caption>" in html
    assert "Acme Gold" in html
    assert "1 h 30 min" in html  # the time to resolve of Acme's ticket
    # sam's team serves Acme only: nothing of Globex, not even its contract's figures.
    assert "Globex" not in html
    assert 'aria-current="page">Reports</a>' in html


def test_the_main_menu_links_supervisors_to_the_reports(supervisor, alice):
    link = f'href="{reverse("sla:reports")}"'
    assert link in signed_in(supervisor).get(reverse("tickets:queue")).content.decode()
    assert link not in signed_in(alice).get(reverse("tickets:queue")).content.decode()


def test_an_organisation_manager_sees_only_their_organisation(globex_manager, world):
    response = signed_in(globex_manager).get(reverse("sla:reports"), PERIOD)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Acme" not in html
    assert "Contrat par défaut" in html


def test_plain_requesters_and_strangers_are_kept_out(charlie, client, world):
    assert signed_in(charlie).get(reverse("sla:reports")).status_code == 403
    assert signed_in(charlie).get(reverse("sla:report-csv", args=["solved"])).status_code == 403
    assert signed_in(charlie).get(reverse("sla:report-pdf")).status_code == 403
    response = client.get(reverse("sla:reports"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_bad_filters_are_shown_beside_the_form(supervisor, acme, globex):
    response = signed_in(supervisor).get(
        reverse("sla:reports"), {"from": "2026-13", "organisation": globex.pk}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Must be a month (YYYY-MM)." in html
    assert 'aria-invalid="true"' in html
    response = signed_in(supervisor).get(reverse("sla:reports"), {"organisation": globex.pk})
    assert "Unknown organisation." in response.content.decode()


def read_csv(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    delimiter = ";" if "fr" in response.wsgi_request.LANGUAGE_CODE else ","
    return list(csv.reader(io.StringIO(text[1:]), delimiter=delimiter))


def test_each_table_downloads_as_csv(root, world):
    client = signed_in(root)
    response = client.get(reverse("sla:report-csv", args=["attainment-month"]), PERIOD)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        'filename="guichet-attainment-month-2026-01-2026-03.csv"' in response["Content-Disposition"]
    )
    rows = read_csv(response)
    assert rows[0][:4] == [
        "Month",
        "Time to own: met",
        "Time to own: counted",
        "Time to own: attainment",
    ]
    assert rows[1][:4] == ["2026-01", "1", "2", "50.0"]
    assert rows[-1][0] == "Period"
    for slug in (
        "attainment",
        "attainment-contract",
        "attainment-priority",
        "attainment-team",
        "solved",
        "solved-priority",
        "resolution",
        "backlog-priority",
        "backlog-team",
        "satisfaction",
    ):
        assert client.get(reverse("sla:report-csv", args=[slug]), PERIOD).status_code == 200, slug
    resolution = read_csv(client.get(reverse("sla:report-csv", args=["resolution"]), PERIOD))
    assert resolution[1] == ["P3 · Medium", "1", "1.50", "1.50"]
    assert client.get(reverse("sla:report-csv", args=["nothing"])).status_code == 404


def test_a_french_reader_gets_semicolons_and_decimal_commas(root, world):
    root.language = "fr"
    root.save(update_fields=["language"])
    response = signed_in(root).get(reverse("sla:report-csv", args=["attainment-month"]), PERIOD)
    rows = read_csv(response)
    assert "Délai de prise en charge" in rows[0][1]
    assert rows[1][:4] == ["2026-01", "1", "2", "50,0"]


def test_the_csv_keeps_other_clients_out_and_refuses_bad_filters(supervisor, world):
    client = signed_in(supervisor)
    rows = read_csv(client.get(reverse("sla:report-csv", args=["attainment"]), PERIOD))
    assert [row[2] for row in rows[1:]] == ["Acme Gold", "Acme Gold"]
    response = client.get(reverse("sla:report-csv", args=["solved"]), {"to": "2026-1"})
    assert response.status_code == 400
    assert "to: Must be a month (YYYY-MM)." in response.content.decode()


def test_a_name_that_looks_like_a_formula_stays_text_in_the_csv(root, bob, acme):
    contract = client_contract(acme, name="=HYPERLINK(1)")
    clock(ticket(bob), ClockKind.OWN, contract=contract, stopped=at("2026-01-05"))
    rows = read_csv(signed_in(root).get(reverse("sla:report-csv", args=["attainment"]), PERIOD))
    assert rows[1][2] == "'=HYPERLINK(1)"


def test_a_supervisor_downloads_a_contracts_monthly_pdf(supervisor, world):
    response = signed_in(supervisor).get(
        reverse("sla:report-pdf"), {"contract": world.pk, "month": "2026-01"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_monthly_pdf_of_another_clients_contract_does_not_exist(globex_manager, dave, world):
    params = {"contract": world.pk, "month": "2026-01"}
    assert signed_in(globex_manager).get(reverse("sla:report-pdf"), params).status_code == 404
    assert signed_in(dave).get(reverse("sla:report-pdf"), params).status_code == 404


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"contract": "x", "month": "2026-01"},
        {"contract": "1", "month": "2026-1"},
        {"contract": "9" * 30, "month": "2026-01"},
        {"contract": "²", "month": "2026-01"},
    ],
)
def test_the_monthly_pdf_needs_a_contract_and_a_month(root, params):
    assert signed_in(root).get(reverse("sla:report-pdf"), params).status_code == 400


def test_the_pdf_of_an_unknown_contract_is_not_found(root):
    params = {"contract": "999999", "month": "2026-01"}
    assert signed_in(root).get(reverse("sla:report-pdf"), params).status_code == 404


def test_administrators_see_every_organisation(root, world):
    html = signed_in(root).get(reverse("sla:reports"), PERIOD).content.decode()
    assert "Acme Gold" in html and "Contrat par défaut" in html


def test_a_technician_reads_the_figures_of_the_clients_their_team_serves(alice, world):
    html = signed_in(alice).get(reverse("sla:reports"), PERIOD).content.decode()
    assert "Acme Gold" in html and "Globex" not in html


def test_a_supervisor_without_a_team_sees_no_client(world):
    lonely = make_staff("lonely", role=Role.SUPERVISOR)
    html = signed_in(lonely).get(reverse("sla:reports"), PERIOD).content.decode()
    assert "Acme Gold" not in html
