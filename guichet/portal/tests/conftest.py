"""Portal test helpers: tickets in the states the requester meets them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from guichet.tickets import actions
from guichet.tickets.tests.factories import make_ticket

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def png(name: str = "screen.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def text_file(name: str = "notes.txt", body: bytes = b"hello") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body, content_type="text/plain")


@pytest.fixture
def bob_ticket(bob):
    return make_ticket(bob, title="Printer jams on floor 2")


@pytest.fixture
def solved_ticket(bob, alice):
    ticket = make_ticket(bob, title="Screen flickers")
    actions.assign(ticket=ticket, actor=alice, assignee=alice)
    return actions.solve(ticket=ticket, actor=alice, solution="Replaced the **cable**.")
