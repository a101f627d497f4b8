"""The monthly report of a contract: in its client's language, for its month and tickets."""

import re
from datetime import date

import pytest

from guichet.accounts.tests.factories import make_organisation, make_user
from guichet.sla.choices import ClockKind
from guichet.sla.reports.monthly import monthly_html, monthly_pdf
from guichet.sla.tests.reports_world import (
    NOW,
    at,
    client_contract,
    clock,
    default_contract,
    ticket,
)
from guichet.tickets.choices import Status

pytestmark = pytest.mark.django_db

JANUARY = date(2026, 1, 1)


@pytest.fixture
def english_client():
    return make_organisation("Initech", language="en")


def test_a_french_clients_report_is_in_french(bob, acme):
    assert acme.language == "fr"
    gold = client_contract(acme)
    clock(ticket(bob), ClockKind.OWN, contract=gold, stopped=at("2026-01-05"))
    html = monthly_html(gold, JANUARY, scope=None, now=NOW)
    assert '<html lang="fr">' in html
    assert "Délai de prise en charge" in html
    assert "janvier 2026" in html
    assert "Acme Gold" in html


def test_an_english_clients_report_is_in_english(english_client):
    contract = client_contract(english_client, name="Initech Silver")
    requester = make_user("peter", organisation=english_client)
    clock(ticket(requester), ClockKind.OWN, contract=contract, stopped=at("2026-01-05"))
    html = monthly_html(contract, JANUARY, scope=None, now=NOW)
    assert '<html lang="en">' in html
    assert "Time to own" in html and "January 2026" in html
    assert "Délai" not in html


def rates(html: str) -> list[str]:
    """The percentages of the report, as written (French: decimal comma)."""
    return re.findall(r"(\d+,\d)\s?%", html.replace("\u00a0", " "))


def test_it_counts_the_month_and_the_contracts_tickets_only(bob, acme):
    gold = client_contract(acme)
    clock(ticket(bob), ClockKind.OWN, contract=gold, stopped=at("2026-01-05"))
    clock(ticket(bob), ClockKind.OWN, contract=gold, stopped=at("2026-02-05"), breached=True)
    clock(ticket(bob), ClockKind.OWN, contract=default_contract(), stopped=at("2026-01-05"))
    html = monthly_html(gold, JANUARY, scope=None, now=NOW)
    # January alone: one clock, met. The twelve months' trend ends with January too.
    assert set(rates(html)) == {"100,0"}
    february = monthly_html(gold, date(2026, 2, 1), scope=None, now=NOW)
    # February: its breached clock; the trend (to February) has both, 1 met of 2 in all.
    assert {"0,0", "100,0", "50,0"} <= set(rates(february))
    assert "Contrat par défaut" not in html


def test_the_default_contracts_report_keeps_to_what_the_reader_may_see(bob, charlie, globex):
    contract = default_contract()
    clock(
        ticket(bob, status=Status.SOLVED),
        ClockKind.OWN,
        contract=contract,
        stopped=at("2026-01-05"),
    )
    clock(
        ticket(charlie, status=Status.SOLVED),
        ClockKind.OWN,
        contract=contract,
        stopped=at("2026-01-05"),
        breached=True,
    )
    html = monthly_html(contract, JANUARY, scope=frozenset({globex.pk}), now=NOW)
    assert set(rates(html)) == {"0,0"}


def test_it_makes_a_pdf(bob, acme):
    gold = client_contract(acme)
    clock(
        ticket(bob), ClockKind.RESOLVE, contract=gold, stopped=at("2026-01-05"), elapsed_seconds=60
    )
    pdf = monthly_pdf(gold, JANUARY, scope=None, now=NOW)
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 5000
