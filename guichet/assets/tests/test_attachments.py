"""An asset's files: the desk's size limit, a content that matches the name, downloads through
the access check only."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from guichet.assets import actions
from guichet.assets.choices import AssetEventKind
from guichet.assets.models import AssetAttachment
from guichet.assets.tests.factories import make_asset
from guichet.lib.errors import Forbidden, InvalidInput

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 invoice"


@pytest.fixture
def laptop(alice, acme):
    return make_asset(alice, acme)


def upload_url(asset) -> str:
    return reverse("assets:attachment-add", args=[asset.pk])


def _file(name: str = "invoice.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def test_a_file_is_kept_listed_and_recorded(alice_client, alice, laptop):
    response = alice_client.post(upload_url(laptop), {"file": _file()})
    assert response.status_code == 302
    item = AssetAttachment.objects.get()
    assert (item.filename, item.content_type, item.size, item.uploaded_by) == (
        "invoice.pdf", "application/pdf", len(PDF), alice)  # fmt: skip
    event = laptop.events.get(field="attachment")
    assert (event.kind, event.new_value) == (AssetEventKind.CHANGED, "invoice.pdf")
    body = alice_client.get(reverse("assets:detail", args=[laptop.pk])).content.decode()
    assert reverse("assets:attachment", args=[laptop.pk, item.pk]) in body
    assert "File: <del>—</del> → <ins>invoice.pdf</ins>" in body


def test_the_file_is_downloaded_through_the_access_check(alice_client, alice, laptop):
    item = actions.add_attachment(asset=laptop, actor=alice, upload=_file())
    response = alice_client.get(reverse("assets:attachment", args=[laptop.pk, item.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


def test_a_file_larger_than_the_desks_limit_is_refused(alice_client, laptop, settings):
    settings.ATTACHMENT_MAX_BYTES = 10
    response = alice_client.post(upload_url(laptop), {"file": _file()})
    assert response.status_code == 400
    body = response.content.decode()
    assert "The file is larger than 0.0 MB." in body
    assert 'id="upload-file_error"' in body
    assert not AssetAttachment.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("photo.png", b"not a png", "This kind of file is not accepted."),
        ("tool.exe", b"MZ\x90\x00", "This kind of file is not accepted."),
        ("empty.txt", b"", "The submitted file is empty."),
    ],
)
def test_files_whose_content_does_not_match_are_refused(alice_client, laptop, name, content,
                                                        message):  # fmt: skip
    response = alice_client.post(upload_url(laptop), {"file": _file(name, content)})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not AssetAttachment.objects.exists()


def test_a_configuration_backup_is_accepted_as_text(alice, laptop):
    item = actions.add_attachment(asset=laptop, actor=alice,
                                  upload=_file("switch.cfg", b"hostname sw1\n"))  # fmt: skip
    assert item.content_type == "text/plain"


def test_no_file_is_a_field_error(alice_client, laptop):
    response = alice_client.post(upload_url(laptop), {})
    assert response.status_code == 400
    assert 'id="upload-file_error"' in response.content.decode()


@pytest.mark.parametrize("who", ["dave_client", "charlie_client", "bob_client"])
def test_outsiders_can_neither_upload_nor_download(request, who, alice, laptop):
    item = actions.add_attachment(asset=laptop, actor=alice, upload=_file())
    client = request.getfixturevalue(who)
    assert client.get(reverse("assets:attachment", args=[laptop.pk, item.pk])).status_code == 404
    assert client.post(upload_url(laptop), {"file": _file("b.pdf")}).status_code == 404
    assert AssetAttachment.objects.count() == 1


def test_a_file_is_only_found_under_its_own_asset(alice_client, alice, acme, laptop):
    item = actions.add_attachment(asset=laptop, actor=alice, upload=_file())
    other = make_asset(alice, acme, name="Other")
    response = alice_client.get(reverse("assets:attachment", args=[other.pk, item.pk]))
    assert response.status_code == 404


def test_the_action_refuses_requesters_and_staff_of_other_clients(bob, dave, laptop):
    with pytest.raises(Forbidden):
        actions.add_attachment(asset=laptop, actor=bob, upload=_file())
    with pytest.raises(InvalidInput):
        actions.add_attachment(asset=laptop, actor=dave, upload=_file())
    assert not AssetAttachment.objects.exists()


def delete_url(asset, item) -> str:
    return reverse("assets:attachment-delete", args=[asset.pk, item.pk])


def test_a_file_is_deleted_with_its_stored_copy_and_recorded(
    alice_client, alice, laptop, django_capture_on_commit_callbacks
):
    item = actions.add_attachment(asset=laptop, actor=alice, upload=_file())
    stored, storage = item.file.name, item.file.storage
    assert "Delete “invoice.pdf”" in alice_client.get(
        reverse("assets:detail", args=[laptop.pk])).content.decode()  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(delete_url(laptop, item), follow=True)
    assert "“invoice.pdf” was deleted." in response.content.decode()
    assert not AssetAttachment.objects.exists() and not storage.exists(stored)
    event = laptop.events.filter(field="attachment").order_by("-id").first()
    assert (event.kind, event.old_value, event.actor) == (AssetEventKind.CHANGED, "invoice.pdf",
                                                          alice)  # fmt: skip


@pytest.mark.parametrize("who", ["dave_client", "charlie_client", "bob_client"])
def test_outsiders_cannot_delete_a_file(request, who, alice, laptop):
    item = actions.add_attachment(asset=laptop, actor=alice, upload=_file())
    assert request.getfixturevalue(who).post(delete_url(laptop, item)).status_code == 404
    assert AssetAttachment.objects.count() == 1 and item.file.storage.exists(item.file.name)
    with pytest.raises(InvalidInput):
        actions.remove_attachment(attachment=item, actor=request.getfixturevalue("dave"))
