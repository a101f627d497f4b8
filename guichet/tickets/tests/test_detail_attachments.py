"""Files on the ticket page: upload errors shown next to the field, downloads checked."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from guichet.tickets import actions
from guichet.tickets.tests.factories import make_ticket

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def ticket(bob):
    return make_ticket(bob, title="Screen flickers")


def upload_url(ticket):
    return reverse("tickets:detail-attachment-add", args=[ticket.pk])


def download_url(ticket, attachment):
    return reverse("tickets:detail-attachment", args=[ticket.pk, attachment.pk])


def text_file(name="notes.txt", content=b"flickers at 60 Hz"):
    return SimpleUploadedFile(name, content, content_type="text/plain")


@pytest.fixture
def public_file(ticket, alice):
    return actions.add_attachment(ticket=ticket, actor=alice, upload=text_file("public.txt"))


@pytest.fixture
def internal_file(ticket, alice):
    return actions.add_attachment(
        ticket=ticket, actor=alice, upload=text_file("internal.txt", b"secret"), internal=True
    )


def test_alice_uploads_a_file_and_sees_it_in_the_timeline(alice_client, ticket):
    response = alice_client.post(upload_url(ticket), {"file": text_file()}, **HTMX)
    assert response.status_code == 200
    attachment = ticket.attachments.get()
    assert (attachment.filename, attachment.is_internal) == ("notes.txt", False)
    assert download_url(ticket, attachment) in response.content.decode()


def test_an_internal_upload_is_marked_internal(alice_client, ticket):
    response = alice_client.post(upload_url(ticket), {"file": text_file(), "internal": "on"})
    assert response.status_code == 302
    assert ticket.attachments.get().is_internal


def test_a_file_too_large_is_refused_next_to_the_field(alice_client, ticket, settings):
    settings.ATTACHMENT_MAX_BYTES = 10
    response = alice_client.post(upload_url(ticket), {"file": text_file()}, **HTMX)
    assert response.status_code == 422
    assert response["HX-Retarget"] == "#form-attachment"
    html = response.content.decode()
    assert 'id="id_attachment_file_error"' in html
    assert "The file is larger than" in html
    assert not ticket.attachments.exists()


def test_a_forbidden_kind_of_file_is_refused(alice_client, ticket):
    bad = SimpleUploadedFile("setup.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    response = alice_client.post(upload_url(ticket), {"file": bad})
    assert response.status_code == 400
    assert "This kind of file is not accepted." in response.content.decode()
    fake_pdf = SimpleUploadedFile("report.pdf", b"<html>not a pdf", content_type="application/pdf")
    response = alice_client.post(upload_url(ticket), {"file": fake_pdf}, **HTMX)
    assert response.status_code == 422
    assert not ticket.attachments.exists()


def test_an_upload_without_a_file_is_refused(alice_client, ticket):
    response = alice_client.post(upload_url(ticket), {}, **HTMX)
    assert response.status_code == 422
    assert 'id="id_attachment_file_error"' in response.content.decode()


def test_alice_downloads_through_the_view(alice_client, ticket, public_file, internal_file):
    response = alice_client.get(download_url(ticket, internal_file))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"secret"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "internal.txt" in response["Content-Disposition"]
    assert response["Content-Type"] == "text/plain"


def test_the_page_never_links_to_the_media_url(alice_client, ticket, public_file):
    html = alice_client.get(reverse("tickets:detail", args=[ticket.pk])).content.decode()
    assert download_url(ticket, public_file) in html
    assert public_file.file.url not in html
    assert public_file.file.name not in html


def test_bob_downloads_public_files_but_not_internal_ones(
    bob_client, ticket, public_file, internal_file
):
    assert bob_client.get(download_url(ticket, public_file)).status_code == 200
    assert bob_client.get(download_url(ticket, internal_file)).status_code == 404


def test_charlie_and_dave_get_404_on_files(
    charlie_client, dave_client, ticket, public_file, internal_file
):
    for client in (charlie_client, dave_client):
        for attachment in (public_file, internal_file):
            response = client.get(download_url(ticket, attachment))
            assert response.status_code == 404


def test_a_file_of_another_ticket_is_not_reachable_through_this_one(
    alice_client, bob, alice, public_file
):
    other = make_ticket(bob, title="Another")
    assert alice_client.get(download_url(other, public_file)).status_code == 404


def test_charlie_cannot_upload(charlie_client, dave_client, ticket):
    for client in (charlie_client, dave_client):
        assert client.post(upload_url(ticket), {"file": text_file()}).status_code == 404
    assert not ticket.attachments.exists()


def test_a_file_missing_from_storage_is_404(alice_client, ticket, public_file):
    public_file.file.storage.delete(public_file.file.name)
    assert alice_client.get(download_url(ticket, public_file)).status_code == 404
