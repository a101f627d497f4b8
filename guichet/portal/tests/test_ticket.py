"""One ticket as its requester sees it: public timeline, reply, accept/refuse, rating, files."""

from django.urls import reverse

from guichet.portal.tests.conftest import png, text_file
from guichet.tickets import actions
from guichet.tickets.choices import EventKind, Status
from guichet.tickets.models import Attachment, FollowUp, Ticket, TicketEvent


def url(name, ticket, *args):
    return reverse(f"portal:{name}", args=[ticket.pk, *args])


def test_it_shows_status_description_and_public_timeline(bob_client, bob_ticket, alice):
    actions.add_followup(ticket=bob_ticket, actor=alice, body="Which **floor**?")
    actions.add_attachment(ticket=bob_ticket, actor=alice, upload=text_file("guide.txt"))
    response = bob_client.get(url("detail", bob_ticket))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Printer jams on floor 2" in body
    assert "Received, waiting for a technician" in body
    assert "Request opened" in body
    assert "Which <strong>floor</strong>?" in body
    assert "guide.txt" in body and url("download", bob_ticket, Attachment.objects.get().pk) in body


def test_it_never_shows_internal_notes_files_or_events(bob_client, bob_ticket, alice, sam):
    actions.add_followup(ticket=bob_ticket, actor=alice, body="INTERNAL-NOTE", internal=True)
    secret = actions.add_attachment(
        ticket=bob_ticket, actor=alice, upload=text_file("secret-file.txt"), internal=True
    )
    actions.escalate_to_supervisor(ticket=bob_ticket, actor=alice, note="ESCALATION-NOTE")
    actions.add_task(ticket=bob_ticket, actor=alice, description="TASK-TEXT", duration_minutes=5)
    actions.update_ticket(ticket=bob_ticket, actor=alice, urgency=5)
    body = bob_client.get(url("detail", bob_ticket)).content.decode()
    for hidden in ("INTERNAL-NOTE", "secret-file.txt", "ESCALATION-NOTE", "TASK-TEXT"):
        assert hidden not in body
    assert "escalat" not in body.lower()
    assert bob_client.get(url("download", bob_ticket, secret.pk)).status_code == 404


def test_it_keeps_a_flat_number_of_queries(
    bob_client, bob_ticket, alice, django_assert_max_num_queries
):
    for n in range(5):
        actions.add_followup(ticket=bob_ticket, actor=alice, body=f"Message {n}")
        actions.add_attachment(ticket=bob_ticket, actor=alice, upload=text_file(f"f{n}.txt"))
    with django_assert_max_num_queries(8):
        assert bob_client.get(url("detail", bob_ticket)).status_code == 200


def test_i_reply_with_a_message_and_a_file(bob_client, bob_ticket, bob):
    response = bob_client.post(
        url("reply", bob_ticket), {"body": "It is the HP one.", "file": png()}
    )
    assert response.status_code == 302
    followup = FollowUp.objects.get(ticket=bob_ticket)
    assert followup.author == bob and not followup.is_internal
    assert Attachment.objects.get(ticket=bob_ticket).uploaded_by == bob
    assert "It is the HP one." in bob_client.get(url("detail", bob_ticket)).content.decode()


def test_i_can_send_a_file_alone(bob_client, bob_ticket):
    assert bob_client.post(url("reply", bob_ticket), {"file": png()}).status_code == 302
    assert Attachment.objects.filter(ticket=bob_ticket).count() == 1
    assert FollowUp.objects.count() == 0


def test_an_empty_reply_is_refused_with_a_message(bob_client, bob_ticket):
    response = bob_client.post(url("reply", bob_ticket), {"body": "   "})
    assert response.status_code == 422
    assert "Write a message or choose a file." in response.content.decode()
    assert FollowUp.objects.count() == 0


def test_a_refused_file_drops_the_message_too(bob_client, bob_ticket):
    response = bob_client.post(
        url("reply", bob_ticket), {"body": "See attached", "file": text_file("x.exe", b"MZ")}
    )
    assert response.status_code == 422
    assert 'id="id_file_error"' in response.content.decode()
    assert FollowUp.objects.count() == 0 and Attachment.objects.count() == 0
    assert "See attached" in response.content.decode()  # kept in the form


def test_my_reply_wakes_a_ticket_waiting_for_me(bob_client, bob_ticket, alice):
    from guichet.tickets.models import PendingReason

    actions.set_pending(
        ticket=bob_ticket, actor=alice, reason=PendingReason.objects.get(code="customer")
    )
    bob_client.post(url("reply", bob_ticket), {"body": "Here is the info."})
    bob_ticket.refresh_from_db()
    assert bob_ticket.status == Status.NEW


def test_replying_on_a_closed_ticket_is_a_409(bob_client, solved_ticket, bob):
    actions.accept_solution(ticket=solved_ticket, actor=bob)
    body = bob_client.get(url("detail", solved_ticket)).content.decode()
    assert f'action="{url("reply", solved_ticket)}"' not in body
    assert "This request is closed" in body
    response = bob_client.post(url("reply", solved_ticket), {"body": "Still there?"})
    assert response.status_code == 409
    assert "This ticket is closed." in response.content.decode()
    assert FollowUp.objects.count() == 0


def test_a_solved_ticket_shows_the_solution_with_accept_and_refuse(bob_client, solved_ticket):
    body = bob_client.get(url("detail", solved_ticket)).content.decode()
    assert "Solved: please confirm" in body
    assert "Replaced the <strong>cable</strong>." in body
    assert url("accept", solved_ticket) in body and url("refuse", solved_ticket) in body


def test_accepting_closes_the_ticket(bob_client, solved_ticket):
    response = bob_client.post(url("accept", solved_ticket))
    assert response.status_code == 302
    solved_ticket.refresh_from_db()
    assert solved_ticket.status == Status.CLOSED
    assert solved_ticket.events.filter(kind=EventKind.ACCEPTED).exists()
    body = bob_client.get(url("detail", solved_ticket)).content.decode()
    assert "Solution accepted" in body
    assert url("accept", solved_ticket) not in body


def test_refusing_needs_a_reason_and_reopens(bob_client, solved_ticket):
    response = bob_client.post(url("refuse", solved_ticket), {"reason": " "})
    assert response.status_code == 422
    assert 'id="id_reason_error"' in response.content.decode()
    solved_ticket.refresh_from_db()
    assert solved_ticket.status == Status.SOLVED
    response = bob_client.post(url("refuse", solved_ticket), {"reason": "Still flickers"})
    assert response.status_code == 302
    solved_ticket.refresh_from_db()
    assert solved_ticket.status == Status.ASSIGNED and solved_ticket.reopen_count == 1
    body = bob_client.get(url("detail", solved_ticket)).content.decode()
    assert "Still flickers" in body and "Solution refused" in body


def test_accepting_or_refusing_without_a_solution_is_a_409(bob_client, bob_ticket):
    assert bob_client.post(url("accept", bob_ticket)).status_code == 409
    assert bob_client.post(url("refuse", bob_ticket), {"reason": "No"}).status_code == 409
    bob_ticket.refresh_from_db()
    assert bob_ticket.status == Status.NEW and bob_ticket.reopen_count == 0


def test_i_rate_a_solved_or_closed_ticket_once(bob_client, solved_ticket):
    body = bob_client.get(url("detail", solved_ticket)).content.decode()
    assert url("rate", solved_ticket) in body
    assert "<legend>How satisfied are you" in body and "Very satisfied" in body
    response = bob_client.post(url("rate", solved_ticket), {"score": "4", "comment": "Quick"})
    assert response.status_code == 302
    solved_ticket.refresh_from_db()
    assert (solved_ticket.satisfaction, solved_ticket.satisfaction_comment) == (4, "Quick")
    body = bob_client.get(url("detail", solved_ticket)).content.decode()
    assert url("rate", solved_ticket) not in body and "You rated this request 4 out of 5" in body
    again = bob_client.post(url("rate", solved_ticket), {"score": "1"})
    assert again.status_code == 409
    solved_ticket.refresh_from_db()
    assert solved_ticket.satisfaction == 4


def test_a_rating_out_of_range_is_refused(bob_client, solved_ticket):
    response = bob_client.post(url("rate", solved_ticket), {"score": "9"})
    assert response.status_code == 422
    assert 'id="id_score_error"' in response.content.decode()
    solved_ticket.refresh_from_db()
    assert solved_ticket.satisfaction is None


def test_an_open_ticket_cannot_be_rated(bob_client, bob_ticket):
    assert url("rate", bob_ticket) not in bob_client.get(url("detail", bob_ticket)).content.decode()
    assert bob_client.post(url("rate", bob_ticket), {"score": "5"}).status_code == 409
    assert Ticket.objects.get(pk=bob_ticket.pk).satisfaction is None


def test_i_download_a_public_file(bob_client, bob_ticket, alice):
    attachment = actions.add_attachment(
        ticket=bob_ticket, actor=alice, upload=text_file("guide.txt", b"step one")
    )
    response = bob_client.get(url("download", bob_ticket, attachment.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"step one"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "text/plain"


def test_a_file_of_another_ticket_is_a_404_through_mine(bob_client, bob, bob_ticket, alice):
    from guichet.tickets.tests.factories import make_ticket

    other = make_ticket(bob, title="Other")
    attachment = actions.add_attachment(ticket=other, actor=alice, upload=text_file())
    assert bob_client.get(url("download", bob_ticket, attachment.pk)).status_code == 404


def test_actions_only_answer_post(bob_client, solved_ticket):
    for name in ("reply", "accept", "refuse", "rate"):
        assert bob_client.get(url(name, solved_ticket)).status_code == 405
    assert TicketEvent.objects.filter(ticket=solved_ticket, kind=EventKind.ACCEPTED).count() == 0


def test_a_merged_ticket_points_to_the_one_that_follows_it(bob_client, bob, bob_ticket, alice):
    from guichet.tickets.tests.factories import make_ticket

    target = make_ticket(bob, title="Printers on floor 2")
    actions.add_followup(ticket=bob_ticket, actor=bob, body="Paper everywhere")
    actions.merge(source=bob_ticket, target=target, actor=alice)
    body = bob_client.get(url("detail", bob_ticket)).content.decode()
    assert f"Merged into request #{target.pk}" in body
    assert url("detail", target) in body
    assert f'action="{url("reply", bob_ticket)}"' not in body
    target_body = bob_client.get(url("detail", target)).content.decode()
    assert "Paper everywhere" in target_body
