"""The text filter: full-text index kept by the database, safe parsing, tenancy preserved."""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from guichet.accounts.access import visible_tickets
from guichet.tickets import actions, search
from guichet.tickets.models import Ticket
from guichet.tickets.search import text_filter
from guichet.tickets.tests.api_helpers import ApiCaller
from guichet.tickets.tests.factories import make_ticket

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
only_sqlite = pytest.mark.skipif(ON_POSTGRES, reason="SQLite's FTS5 index")
only_postgres = pytest.mark.skipif(not ON_POSTGRES, reason="PostgreSQL stemming")

HOSTILE = [
    '"',
    '""',
    "'",
    "*",
    "**",
    "imprim*",
    "NEAR(printer toner)",
    "NEAR",
    "printer NEAR/2 toner",
    "-printer",
    "printer -toner",
    "(",
    ")",
    "(printer OR",
    "AND",
    "OR NOT",
    "title:printer",
    "^printer",
    "printer & toner | !scan",
    "<->",
    ":*",
    "'printer':*",
    "\\",
    "\x00",
    "a\x00b",
    "#",
    "#-1",
    "#99999999999999999999999",
    "0",
    "½ ⑴ ﬁ ©",
    "l'",
    "😀",
    " ",
    "",
    "x" * 10_000,
    "printer " * 500,
]


def found(user, q: str) -> set[int]:
    return set(text_filter(visible_tickets(user), q).values_list("pk", flat=True))


def test_it_ignores_accents_and_case(bob, alice):
    reseau = make_ticket(bob, title="Panne du réseau au 2e étage")
    plain = make_ticket(bob, title="Reseau lent", description="Depuis ce matin")
    make_ticket(bob, title="Printer does not print")

    assert found(alice, "reseau") == {reseau.pk, plain.pk}
    assert found(alice, "RÉSEAU") == {reseau.pk, plain.pk}
    assert found(alice, "etage") == {reseau.pk}
    assert found(alice, "Éta") == {reseau.pk}


def test_the_last_word_is_a_prefix(bob, alice):
    printer = make_ticket(bob, title="L'imprimante du 3e bourre", description="Bac 2")
    make_ticket(bob, title="Écran noir")

    assert found(alice, "imprim") == {printer.pk}
    assert found(alice, "bourre imp") == {printer.pk}
    assert found(alice, "l'imprimante") == {printer.pk}
    assert found(alice, "imprimerie") == set()


def test_every_word_must_match_title_or_description(bob, alice):
    both = make_ticket(bob, title="Printer jam", description="Toner cartridge is empty")
    make_ticket(bob, title="Printer offline")
    make_ticket(bob, title="Order toner")

    assert found(alice, "printer toner") == {both.pk}
    assert found(alice, "toner printer") == {both.pk}
    assert found(alice, "printer toner scanner") == set()


@only_postgres
def test_it_matches_french_and_english_stems(bob, alice):
    french = make_ticket(bob, title="L'imprimante est bloquée")
    english = make_ticket(bob, title="Printer keeps jamming")

    assert found(alice, "imprimantes bloque") == {french.pk}
    assert found(alice, "printers jammed") == {english.pk}


def test_a_ticket_number_finds_the_ticket_and_its_mentions(bob, alice):
    ticket = make_ticket(bob, title="Badge reader")
    make_ticket(bob, title="Coffee machine")
    assert found(alice, f"#{ticket.pk}") == {ticket.pk}
    assert found(alice, f" {ticket.pk} ") == {ticket.pk}

    mention = make_ticket(bob, title=f"Same problem as {ticket.pk}")

    assert found(alice, str(ticket.pk)) == {ticket.pk, mention.pk}


def test_edits_are_searchable_in_the_same_transaction(bob, alice):
    with transaction.atomic():
        ticket = make_ticket(bob, title="Mouse broken", description="Left button")
        assert found(alice, "mouse") == {ticket.pk}

        actions.update_ticket(ticket=ticket, actor=alice, title="Keyboard broken")
        assert found(alice, "mouse") == set()
        assert found(alice, "keyboard") == {ticket.pk}

        actions.update_ticket(ticket=ticket, actor=alice, description="Spilled coffee")
        assert found(alice, "coffee") == {ticket.pk}
        assert found(alice, "button") == set()

        # A change that does not touch the text leaves the index as it is.
        actions.update_ticket(ticket=ticket, actor=alice, impact=1)
        assert found(alice, "keyboard coffee") == {ticket.pk}


def test_deleted_tickets_vanish(bob, alice):
    kept = make_ticket(bob, title="Projector flickers")
    gone = make_ticket(bob, title="Projector bulb")
    Ticket.objects.filter(pk=gone.pk).delete()

    assert found(alice, "projector") == {kept.pk}


def test_it_narrows_what_the_user_sees_and_never_widens_it(bob, charlie, alice, dave):
    acme = make_ticket(bob, title="VPN drops every hour")
    globex = make_ticket(charlie, title="VPN password expired")

    assert found(charlie, "vpn") == {globex.pk}
    assert found(charlie, f"#{acme.pk}") == set()
    assert found(charlie, "drops hour") == set()
    assert found(dave, "vpn") == {globex.pk}
    assert found(alice, "vpn") == {acme.pk}
    assert found(bob, "vpn") == {acme.pk}


def test_charlie_finds_nothing_of_acme_through_the_api(client, bob, charlie):
    acme = make_ticket(bob, title="Firewall rule for the accounting server")
    api = ApiCaller(client).as_(charlie)

    for q in ("firewall", "accounting server", f"#{acme.pk}", str(acme.pk)):
        response = api.get("/tickets", {"q": q})
        assert response.status_code == 200
        assert response.json()["items"] == []


@pytest.mark.parametrize("q", HOSTILE)
def test_hostile_text_never_breaks_the_query(bob, alice, q):
    make_ticket(bob, title="Printer toner low", description="NEAR the door (room 2)")

    assert isinstance(found(alice, q), set)


@pytest.mark.parametrize("q", ['"', "NEAR(a b)", "printer -toner", "(", "*", "\\", ":*"])
def test_hostile_text_through_the_api_answers_200(client, bob, alice, q):
    make_ticket(bob, title="Printer toner low")

    response = ApiCaller(client).as_(alice).get("/tickets", {"q": q})

    assert response.status_code == 200


@hypothesis_settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(q=st.text(max_size=300))
@example(q='" OR "')
@example(q="printer*)")
def test_any_text_gives_a_result_or_none(bob, alice, q):
    if not Ticket.objects.exists():
        make_ticket(bob, title="Réseau et imprimante", description="Printer toner NEAR door")
    # Each example in its own savepoint: on PostgreSQL an error would poison the transaction.
    with transaction.atomic():
        assert isinstance(found(alice, q), set)


def test_small_words_are_dropped_when_others_remain(bob, alice):
    plural = make_ticket(bob, title="Serveur des fichiers plein")
    singular = make_ticket(bob, title="Le serveur de fichiers ne répond plus")
    make_ticket(bob, title="Serveur de messagerie")

    assert found(alice, "serveur de fichiers") == {plural.pk, singular.pk}
    assert found(alice, "le serveur") >= {plural.pk, singular.pk}
    # Only small words: they are searched for, not dropped.
    assert found(alice, "de la") == set()
    assert found(alice, "le de") == {singular.pk}


@only_sqlite
def test_the_fts_index_finds_the_ids_and_tickets_are_fetched_by_id(bob, alice):
    make_ticket(bob, title="Wifi down")
    queryset = text_filter(visible_tickets(alice), "wifi").order_by("-id")[:50]

    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = [row[3] for row in cursor.fetchall()]
    assert any("tickets_ticket_fts VIRTUAL TABLE INDEX 0:M" in step for step in plan), plan
    assert "SEARCH tickets_ticket USING INTEGER PRIMARY KEY (rowid=?)" in plan, plan
    assert not any(step.startswith("SCAN tickets_ticket") and "fts" not in step for step in plan)


@only_sqlite
def test_lost_triggers_are_put_back_after_migrate(bob, alice):
    indexed = make_ticket(bob, title="Scanner error")
    # What a table rebuild by a later SQLite migration does: the triggers go.
    with connection.cursor() as cursor:
        for name in search.SQLITE_TRIGGERS:
            cursor.execute(f"DROP TRIGGER {name}")
    missed = make_ticket(bob, title="Scanner offline")
    assert found(alice, "scanner") == {indexed.pk}

    search.repair_sqlite_triggers(using="default")

    assert found(alice, "scanner") == {indexed.pk, missed.pk}
    later = make_ticket(bob, title="Scanner jammed")
    assert found(alice, "scanner") == {indexed.pk, missed.pk, later.pk}


@pytest.mark.django_db(transaction=True)
def test_the_migration_reverses_and_indexes_existing_tickets(bob, alice):
    # A ticket from before the index: migrating back drops the index, forward rebuilds it.
    before = make_ticket(bob, title="Telephone has no dial tone")
    call_command("migrate", "tickets", "0002", verbosity=0)
    call_command("migrate", verbosity=0)

    assert found(alice, "dial tone") == {before.pk}
    after = make_ticket(bob, title="Telephone cable cut")
    assert found(alice, "telephone") == {before.pk, after.pk}
