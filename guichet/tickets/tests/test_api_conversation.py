"""API v1 follow-ups, tasks, attachments and timeline; what requesters may not see."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from guichet.tickets import actions
from guichet.tickets.choices import Status
from guichet.tickets.models import Attachment
from guichet.tickets.tests.api_helpers import ApiCaller
from guichet.tickets.tests.factories import make_ticket

PDF = b"%PDF-1.4 a small document"


@pytest.fixture
def api(client):
    return ApiCaller(client)


@pytest.fixture
def ticket(bob):
    return make_ticket(bob)


def pdf(name: str = "report.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


# --- Follow-ups --------------------------------------------------------------------------------
def test_requesters_never_see_internal_followups(api, alice, bob, ticket):
    api.as_(alice).post(f"/tickets/{ticket.pk}/followups", {"body": "Public reply"})
    api.as_(alice).post(
        f"/tickets/{ticket.pk}/followups", {"body": "Client is difficult", "internal": True}
    )

    staff_view = api.as_(alice).get(f"/tickets/{ticket.pk}/followups").json()
    requester_view = api.as_(bob).get(f"/tickets/{ticket.pk}/followups").json()

    assert [f["body"] for f in staff_view] == ["Public reply", "Client is difficult"]
    assert [f["body"] for f in requester_view] == ["Public reply"]
    assert requester_view[0]["author"]["id"] == alice.pk


def test_a_requester_replies_and_the_ticket_comes_back(api, alice, bob, ticket):
    actions.assign(ticket=ticket, actor=alice, assignee=alice)
    api.as_(alice).post(f"/tickets/{ticket.pk}/pending", {"reason": "customer"})

    response = api.as_(bob).post(f"/tickets/{ticket.pk}/followups", {"body": "Here it is"})

    assert response.status_code == 201
    assert response.json()["is_internal"] is False
    ticket.refresh_from_db()
    assert ticket.status == Status.ASSIGNED


def test_a_requester_cannot_write_an_internal_note(api, bob, ticket):
    response = api.as_(bob).post(
        f"/tickets/{ticket.pk}/followups", {"body": "psst", "internal": True}
    )

    assert response.status_code == 403
    assert not ticket.followups.exists()


@pytest.mark.parametrize("body", [{}, {"body": ""}, {"body": "a\x00"}, {"body": 12}])
def test_an_empty_or_invalid_followup_is_refused(api, bob, ticket, body):
    response = api.as_(bob).post(f"/tickets/{ticket.pk}/followups", body)

    assert response.status_code == 422
    assert "body" in response.json()["errors"]


# --- Tasks -------------------------------------------------------------------------------------
def test_staff_log_tasks_and_mark_them_done(api, alice, ticket):
    response = api.as_(alice).post(
        f"/tickets/{ticket.pk}/tasks", {"description": "Replace toner", "duration_minutes": 15}
    )
    assert response.status_code == 201
    task = response.json()
    assert (task["done"], task["duration_minutes"]) == (False, 15)

    response = api.as_(alice).patch(f"/tickets/{ticket.pk}/tasks/{task['id']}", {"done": True})
    assert (response.json()["done"], response.json()["duration_minutes"]) == (True, 15)
    response = api.as_(alice).patch(
        f"/tickets/{ticket.pk}/tasks/{task['id']}", {"duration_minutes": 20}
    )
    assert (response.json()["done"], response.json()["duration_minutes"]) == (True, 20)

    listed = api.as_(alice).get(f"/tickets/{ticket.pk}/tasks").json()
    assert [(t["description"], t["done"]) for t in listed] == [("Replace toner", True)]


def test_tasks_are_for_the_support_staff(api, alice, bob, ticket):
    task = actions.add_task(ticket=ticket, actor=alice, description="Check cable")

    assert api.as_(bob).get(f"/tickets/{ticket.pk}/tasks").status_code == 403
    assert api.as_(bob).post(f"/tickets/{ticket.pk}/tasks", {"description": "x"}).status_code == 403
    response = api.as_(bob).patch(f"/tickets/{ticket.pk}/tasks/{task.pk}", {"done": True})
    assert response.status_code == 403
    task.refresh_from_db()
    assert task.done is False


def test_a_task_of_another_ticket_is_not_found(api, alice, bob, ticket):
    other = make_ticket(bob)
    task = actions.add_task(ticket=other, actor=alice, description="Elsewhere")

    response = api.as_(alice).patch(f"/tickets/{ticket.pk}/tasks/{task.pk}", {"done": True})

    assert response.status_code == 404


@pytest.mark.parametrize("body", [{"duration_minutes": -1}, {"duration_minutes": 10**9}])
def test_a_task_duration_is_bounded(api, alice, ticket, body):
    response = api.as_(alice).post(f"/tickets/{ticket.pk}/tasks", {"description": "x", **body})

    assert response.status_code == 422
    assert "duration_minutes" in response.json()["errors"]


# --- Attachments -------------------------------------------------------------------------------
def test_it_uploads_and_downloads_a_file(api, bob, ticket):
    response = api.as_(bob).upload(f"/tickets/{ticket.pk}/attachments", {"file": pdf()})

    assert response.status_code == 201, response.json()
    attachment = response.json()
    assert (attachment["filename"], attachment["content_type"], attachment["size"]) == (
        "report.pdf",
        "application/pdf",
        len(PDF),
    )
    download = api.as_(bob).get(attachment["download_url"].removeprefix("/api/v1"))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert 'filename="report.pdf"' in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == PDF
    listed = api.as_(bob).get(f"/tickets/{ticket.pk}/attachments").json()
    assert [a["id"] for a in listed] == [attachment["id"]]


def test_internal_files_are_hidden_from_requesters(api, alice, bob, ticket):
    response = api.as_(alice).upload(
        f"/tickets/{ticket.pk}/attachments", {"file": pdf("notes.pdf")}, {"internal": "true"}
    )
    internal = response.json()
    assert internal["is_internal"] is True

    assert api.as_(bob).get(f"/tickets/{ticket.pk}/attachments").json() == []
    path = f"/tickets/{ticket.pk}/attachments/{internal['id']}/content"
    assert api.as_(bob).get(path).status_code == 404
    assert api.as_(alice).get(path).status_code == 200


@pytest.mark.parametrize(
    ("upload", "data"),
    [
        (pdf("fake.pdf", b"MZ not a pdf"), {}),
        (pdf("virus.exe", b"MZ"), {}),
        (pdf("empty.pdf", b""), {}),
        (pdf("page.html", b"<script>"), {}),
    ],
)
def test_a_suspicious_or_empty_file_is_refused(api, bob, ticket, upload, data):
    response = api.as_(bob).upload(f"/tickets/{ticket.pk}/attachments", {"file": upload}, data)

    assert response.status_code == 422
    assert "file" in response.json()["errors"]
    assert not Attachment.objects.exists()


def test_a_file_over_the_size_limit_is_refused(api, bob, ticket, settings):
    settings.ATTACHMENT_MAX_BYTES = 10

    response = api.as_(bob).upload(f"/tickets/{ticket.pk}/attachments", {"file": pdf()})

    assert response.status_code == 422
    assert "file" in response.json()["errors"]


def test_an_upload_without_a_file_is_refused(api, bob, ticket):
    response = api.as_(bob).upload(f"/tickets/{ticket.pk}/attachments", {}, {"internal": "no"})

    assert response.status_code == 422


def test_a_file_missing_from_storage_is_not_found(api, bob, ticket):
    upload = api.as_(bob).upload(f"/tickets/{ticket.pk}/attachments", {"file": pdf()}).json()
    Attachment.objects.get(pk=upload["id"]).file.delete(save=False)

    response = api.as_(bob).get(upload["download_url"].removeprefix("/api/v1"))

    assert response.status_code == 404


# --- Timeline ----------------------------------------------------------------------------------
def test_requesters_see_only_public_events(api, alice, bob, ticket):
    actions.escalate_to_supervisor(ticket=ticket, actor=alice, note="Angry client")
    actions.add_task(ticket=ticket, actor=alice, description="Internal work")
    actions.add_followup(ticket=ticket, actor=alice, body="Hello")

    staff_kinds = [e["kind"] for e in api.as_(alice).get(f"/tickets/{ticket.pk}/events").json()]
    public = api.as_(bob).get(f"/tickets/{ticket.pk}/events").json()

    assert staff_kinds == ["created", "escalated_up", "task", "followup"]
    assert [e["kind"] for e in public] == ["created", "followup"]
    assert all(e["is_public"] for e in public)
    assert public[1]["actor"] == {"id": alice.pk, "name": "Alice Test"}


# --- Outsiders ---------------------------------------------------------------------------------
def test_outsiders_get_a_404_on_the_conversation(api, alice, bob, charlie, dave, ticket):
    task = actions.add_task(ticket=ticket, actor=alice, description="x")
    upload = api.as_(bob).upload(f"/tickets/{ticket.pk}/attachments", {"file": pdf()}).json()
    base = f"/tickets/{ticket.pk}"

    for user in (charlie, dave):
        caller = api.as_(user)
        for path in ("/followups", "/tasks", "/attachments", "/events"):
            assert caller.get(base + path).status_code == 404, path
        assert caller.get(f"{base}/attachments/{upload['id']}/content").status_code == 404
        assert caller.post(f"{base}/followups", {"body": "hi"}).status_code == 404
        assert caller.post(f"{base}/tasks", {"description": "hi"}).status_code == 404
        assert caller.patch(f"{base}/tasks/{task.pk}", {"done": True}).status_code == 404
        assert caller.upload(f"{base}/attachments", {"file": pdf()}).status_code == 404
    assert ticket.followups.count() == 0
    assert ticket.tasks.count() == 1
    assert ticket.attachments.count() == 1
