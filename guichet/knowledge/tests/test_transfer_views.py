"""The administrators' import / export page: download, dry run, apply; refused to everyone
else."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from guichet.knowledge import transfer_files
from guichet.knowledge.models import Article, ArticleRevision
from guichet.knowledge.tests.test_transfer import make, raw_zip
from guichet.knowledge.transfer_db import export_tree
from guichet.knowledge.transfer_files import read_zip, zip_bytes

pytestmark = pytest.mark.django_db

PAGE = reverse("knowledge:transfer")
EXPORT = reverse("knowledge:transfer-export")
APPLY = reverse("knowledge:transfer-apply")


@pytest.fixture
def root_client(root):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(root)
    return client


def upload(client, content: bytes, name: str = "kb.zip"):
    return client.post(PAGE, {"archive": SimpleUploadedFile(name, content)})


def test_an_administrator_downloads_the_whole_knowledge_base(root_client, root):
    make(root, status="archived")
    response = root_client.get(EXPORT)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="knowledge-')
    tree = read_zip(io.BytesIO(response.content))
    assert {name.removeprefix("knowledge/") for name in tree} == set(export_tree(root))


def test_an_upload_is_a_dry_run_then_apply_imports_it(root_client, root):
    make(root)
    content = zip_bytes(export_tree(root))
    Article.objects.all().delete()

    response = upload(root_client, content)

    assert response.status_code == 200
    assert "1 to create, 0 to update, 0 unchanged." in response.content.decode()
    assert not Article.objects.exists()
    token = response.context["token"]
    response = root_client.post(APPLY, {"token": token}, follow=True)
    assert "Import done: 1 created, 0 updated, 0 unchanged." in response.content.decode()
    assert Article.objects.count() == 1
    # the waiting archive is gone: applying twice does nothing more
    response = root_client.post(APPLY, {"token": token}, follow=True)
    assert "no longer waiting" in response.content.decode()
    assert ArticleRevision.objects.count() == 1


def test_uploading_the_same_base_shows_nothing_to_do(root_client, root):
    make(root)
    response = upload(root_client, zip_bytes(export_tree(root)))
    assert "there is nothing to import" in response.content.decode()
    assert response.context["token"] == ""


def test_bad_archives_are_shown_on_the_page_not_as_errors(root_client):
    response = upload(root_client, raw_zip({"../evil": b"x"}))
    assert response.status_code == 400
    assert "<code>../evil</code>: Paths leading out of the folder" in response.content.decode()
    response = upload(root_client, b"not a zip at all")
    assert response.status_code == 400
    assert "Not a readable .zip file" in response.content.decode()
    tree = {"knowledge.yaml": b"format: 1\n", "a/meta.yaml": b"kind: [\n"}
    response = upload(root_client, raw_zip(tree))
    assert response.status_code == 400
    assert "<code>a/meta.yaml</code>: Invalid YAML" in response.content.decode()
    assert not Article.objects.exists()


def test_a_missing_or_too_large_upload_is_a_field_error(root_client, monkeypatch):
    response = root_client.post(PAGE, {})
    assert response.status_code == 400 and response.context["form"].errors["archive"]
    monkeypatch.setattr(transfer_files, "MAX_ARCHIVE_BYTES", 10)
    response = upload(root_client, b"x" * 11)
    assert response.status_code == 400
    assert "larger than" in response.context["form"].errors["archive"][0]


def test_apply_needs_the_token_of_this_session(root_client, root, client):
    make(root)
    content = zip_bytes(export_tree(root))
    Article.objects.all().delete()
    token = upload(root_client, content).context["token"]
    other = Client(HTTP_ACCEPT_LANGUAGE="en")
    other.force_login(root)  # another session of the same administrator
    response = other.post(APPLY, {"token": token}, follow=True)
    assert "no longer waiting" in response.content.decode()
    assert not Article.objects.exists()


@pytest.mark.parametrize("who", ["alice", "dave", "bob", "charlie"])
def test_everyone_but_an_administrator_is_refused(request, who, root):
    make(root)
    client = Client()
    client.force_login(request.getfixturevalue(who))
    content = zip_bytes(export_tree(root))
    assert client.get(PAGE).status_code == 403
    assert client.get(EXPORT).status_code == 403
    assert upload(client, content).status_code == 403
    assert client.post(APPLY, {"token": "x"}).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for response in (client.get(PAGE), client.get(EXPORT), client.post(APPLY, {"token": "x"})):
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
