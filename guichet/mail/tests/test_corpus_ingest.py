"""Every message of the corpus through the whole ingestion, each with the outcome it must
have: replies from every common client land on the right ticket, machines are ignored,
strangers and other organisations never attach to a ticket, nothing is lost or doubled."""

import functools
import json
from pathlib import Path

import pytest

from guichet.accounts.choices import Role
from guichet.accounts.tests.factories import make_organisation, make_team, make_user
from guichet.mail.actions.ingest import ingest
from guichet.mail.choices import MailKind, Outcome
from guichet.mail.models import InboundMessage, OutboundMessage
from guichet.mail.parse import parse
from guichet.mail.tests.factories import make_mailbox
from guichet.tickets.models import FollowUp, Ticket

pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).parent / "corpus"
CASES = json.loads((CORPUS / "expected.json").read_text())
REQUESTERS = {1001: "marie.lefebvre@cabinet-durand.fr", 2002: "sophie@boulangerie-petit.fr"}
OUTCOMES = {
    "ticket": Outcome.TICKET,
    "ticket_not_attached": Outcome.TICKET,
    "followup": Outcome.FOLLOWUP,
    "ignored": Outcome.IGNORED,
    "refused": Outcome.REFUSED,
    "quarantined": Outcome.QUARANTINED,
}


def raw(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


@functools.cache
def known_senders() -> frozenset[str]:
    """The senders the corpus calls known (parsed once: the corpus holds a 16 MB message)."""
    found = set()
    for case in CASES:
        if case["ingest"].get("sender_known"):
            try:
                found.add(parse(raw(case["file"])).sender)
            except ValueError:
                continue
    return frozenset(found)


@pytest.fixture
def world():
    """Cabinet Durand's ticket 1001 (Marie's) and Boulangerie Petit's 2002 (Sophie's), each
    answered by a mail Guichet sent; every sender the corpus calls known is a contact."""
    durand = make_organisation("Cabinet Durand", email_domain="cabinet-durand.fr")
    petit = make_organisation("Boulangerie Petit", email_domain="boulangerie-petit.fr")
    team = make_team("Support", organisations=[durand, petit])
    make_user("tech", role=Role.TECHNICIAN).teams.add(team)
    by_domain = {"cabinet-durand.fr": durand, "boulangerie-petit.fr": petit}
    known = {REQUESTERS[1001], REQUESTERS[2002]}
    known |= known_senders()
    people = {}
    for address in sorted(a for a in known if a):
        domain = address.rsplit("@", 1)[-1]
        organisation = by_domain.get(domain) or make_organisation(address)
        people[address] = make_user(
            address.replace("@", ".")[:150], organisation=organisation, email=address
        )
    for number, address in REQUESTERS.items():
        person = people[address]
        ticket = Ticket.objects.create(
            pk=number,
            title=f"Ticket {number}",
            requester=person,
            organisation=person.organisation,
            team=team,
            created_at="2026-11-30T09:00:00Z",
            updated_at="2026-11-30T09:00:00Z",
        )
        OutboundMessage.objects.create(
            message_id=f"<guichet.ticket.{number}.placeholder@guichet.example>",
            kind=MailKind.ACKNOWLEDGEMENT,
            ticket=ticket,
            to=address,
            from_address="support@guichet.example",
            subject=f"[#{number}] Ticket {number}",
            language="fr",
            status="sent",
            created_at="2026-11-30T09:00:00Z",
        )
    return people


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_each_corpus_message_has_its_expected_outcome(case, world, support_team):
    expected = case["ingest"]
    mailbox = make_mailbox(
        team=support_team, accept_unknown=expected.get("mailbox_accepts_unknown", True)
    )
    before = set(Ticket.objects.values_list("pk", flat=True))
    earlier = expected.get("duplicate_of") or expected.get("thread_file")
    first = ingest(raw=raw(earlier), mailbox=mailbox).message if earlier else None
    acks_before = OutboundMessage.objects.filter(kind=MailKind.ACKNOWLEDGEMENT).count()

    result = ingest(raw=raw(case["file"]), mailbox=mailbox)

    row = result.message
    outcome = expected["outcome"]
    new_acks = OutboundMessage.objects.filter(kind=MailKind.ACKNOWLEDGEMENT).count() - acks_before
    if outcome == "duplicate":
        assert result.duplicate and first is not None and row.pk == first.pk
        assert InboundMessage.objects.count() == 1 and new_acks == 0
        return
    assert not result.duplicate
    assert row.outcome == OUTCOMES[outcome], row.reason
    target = first.ticket_id if expected.get("thread") == "received" else expected.get("ticket")
    if outcome == "followup":
        assert row.ticket_id == target
        assert FollowUp.objects.filter(ticket_id=target).count() == 1
        assert new_acks == 0
    elif outcome in ("ticket", "ticket_not_attached"):
        assert row.ticket_id not in before and row.ticket_id != target
        assert row.ticket.requester.email == row.sender
        assert row.ticket.channel == "email" and row.ticket.title.strip()
        assert not FollowUp.objects.filter(ticket_id__in=before).exists()
        assert new_acks == 1
        if expected.get("sender_known"):
            assert row.ticket.requester == world[row.sender]
    else:
        assert set(Ticket.objects.values_list("pk", flat=True)) == before | (
            {first.ticket_id} if first and first.ticket_id else set()
        )
        assert new_acks == 0
        assert not FollowUp.objects.exists()
    # Whatever happened, the original is kept byte for byte.
    with row.raw.open("rb") as stream:
        assert stream.read() == raw(case["file"])


def test_the_whole_corpus_delivered_twice_makes_each_ticket_once(world, support_team):
    mailbox = make_mailbox(team=support_team, rate_limit=0)
    for case in CASES:
        ingest(raw=raw(case["file"]), mailbox=mailbox)
    tickets, messages = Ticket.objects.count(), InboundMessage.objects.count()

    again = [ingest(raw=raw(case["file"]), mailbox=mailbox) for case in CASES]

    assert all(result.duplicate for result in again)
    assert (Ticket.objects.count(), InboundMessage.objects.count()) == (tickets, messages)
