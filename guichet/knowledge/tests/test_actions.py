"""The knowledge verbs: revisions, transitions, votes, links and their counters."""

import pytest
from django.utils import translation

from guichet.knowledge import actions
from guichet.knowledge.choices import ArticleEventKind, ArticleStatus
from guichet.knowledge.models import Article, ArticleEvent, ArticleTicket, Deflection
from guichet.knowledge.queries import compare, diff_text, history
from guichet.knowledge.tests.factories import make_article, make_faq
from guichet.lib.errors import Conflict, Forbidden, InvalidInput
from guichet.tickets import actions as ticket_actions
from guichet.tickets.choices import EventKind
from guichet.tickets.tests.factories import category, make_ticket


@pytest.fixture(autouse=True)
def _english():
    """The messages are checked in English (the default language is French)."""
    with translation.override("en"):
        yield


pytestmark = pytest.mark.django_db


def test_each_edit_keeps_a_revision_naming_the_changed_fields(alice):
    article = make_article(alice, body_en="Open the tray.")
    actions.update_article(article=article, actor=alice, body_en="Open the back tray.", note="x")
    actions.update_article(article=article, actor=alice, body_en="Open the back tray.")  # no-op

    entries = history(article)
    assert [e.revision.number for e in entries] == [2, 1]
    assert entries[0].changed == ["body_en"]
    assert entries[0].revision.note == "x"
    assert ArticleEvent.objects.filter(article=article, kind=ArticleEventKind.EDITED).count() == 1


def test_a_diff_marks_removed_and_added_words_and_escapes_html():
    html = diff_text("Restart the <b>printer</b> now", "Restart the <b>scanner</b> now")

    assert "<del>" in html and "<ins>" in html
    assert "&lt;b&gt;" in html and "<b>" not in html
    assert "[removed:" in html and "[added:" in html


def test_comparing_revisions_lists_only_changed_fields(alice):
    article = make_article(alice, keywords="paper")
    actions.update_article(article=article, actor=alice, keywords="paper, jam", title_fr="Bourrage")
    old, new = (r.data for r in article.revisions.order_by("number"))

    assert [d.name for d in compare(old, new)] == ["title_fr", "keywords"]


def test_workflow_follows_the_transitions(alice):
    article = make_article(alice)
    actions.set_status(article=article, actor=alice, status=ArticleStatus.REVIEW)
    article = actions.set_status(article=article, actor=alice, status=ArticleStatus.PUBLISHED)
    assert article.published_at is not None
    with pytest.raises(Conflict):
        actions.set_status(article=article, actor=alice, status=ArticleStatus.REVIEW)
    assert ArticleEvent.objects.filter(article=article, kind=ArticleEventKind.STATUS).count() == 2


def test_requesters_cannot_write(alice, bob):
    article = make_faq(alice)
    with pytest.raises(Forbidden):
        actions.set_status(article=article, actor=bob, status=ArticleStatus.ARCHIVED)
    with pytest.raises(Forbidden):
        actions.create_article(actor=bob, title_en="Mine")


def test_a_second_vote_replaces_the_first_and_counts_follow(alice, bob):
    article = make_faq(alice)
    actions.vote(article=article, user=bob, helpful=True)
    actions.vote(article=article, user=alice, helpful=True)
    actions.vote(article=article, user=bob, helpful=False)
    actions.vote(article=article, user=bob, helpful=False)

    article.refresh_from_db()
    assert (article.helpful_count, article.unhelpful_count) == (1, 1)
    assert article.votes.count() == 2


def test_an_outsider_cannot_vote_on_an_article_meant_for_another_client(alice, charlie, acme):
    article = make_faq(alice, organisations=[acme])
    with pytest.raises(Forbidden):
        actions.vote(article=article, user=charlie, helpful=True)
    assert Article.objects.get(pk=article.pk).helpful_count == 0


def test_linking_as_solved_counts_once_and_writes_both_events(alice, bob):
    article = make_article(alice, title="Paper jam")
    ticket = make_ticket(bob)
    actions.link_ticket(article=article, ticket=ticket, actor=alice)
    actions.link_ticket(article=article, ticket=ticket, actor=alice, solved=True)
    actions.link_ticket(article=article, ticket=ticket, actor=alice, solved=True)

    article.refresh_from_db()
    assert article.solved_count == 1
    assert ArticleTicket.objects.get(article=article, ticket=ticket).solved
    notes = list(ticket.events.filter(kind=EventKind.ARTICLE).values_list("note", flat=True))
    assert notes[-1] == f"Article #{article.pk} “Paper jam” used to solve the ticket"
    assert article.events.filter(kind=ArticleEventKind.LINKED).count() == 2


def test_an_outsider_technician_cannot_link_to_a_ticket_they_do_not_see(alice, bob, dave):
    article = make_article(alice)
    with pytest.raises(Forbidden):
        actions.link_ticket(article=article, ticket=make_ticket(bob), actor=dave, solved=True)
    assert not ArticleTicket.objects.exists()


def test_a_solution_becomes_a_draft_in_the_technicians_language(alice, bob):
    alice.language = "en"
    ticket = make_ticket(
        bob, title="Outlook asks for the password", description="Every hour.",
        category=category("messaging-mailbox"),
    )  # fmt: skip
    ticket_actions.solve(ticket=ticket, actor=alice, solution="Removed the stale credential.")

    article = actions.draft_from_ticket(ticket=ticket, actor=alice)

    assert article.status == ArticleStatus.DRAFT
    assert article.title_en == "Outlook asks for the password" and article.title_fr == ""
    assert "Every hour." in article.body_en and "Removed the stale credential." in article.body_en
    assert list(article.categories.values_list("code", flat=True)) == ["messaging-mailbox"]
    assert article.source_ticket == ticket and article.solved_count == 1


def test_no_draft_without_a_solution(alice, bob):
    with pytest.raises(InvalidInput):
        actions.draft_from_ticket(ticket=make_ticket(bob), actor=alice)
    assert not Article.objects.exists()


def test_a_deflection_is_kept_with_its_query_capped(alice, bob, charlie, acme):
    article = make_faq(alice, organisations=[acme])
    actions.deflect(article=article, user=bob, query="x" * 900)
    assert len(Deflection.objects.get().query) == 500
    with pytest.raises(Forbidden):
        actions.deflect(article=article, user=charlie, query="printer")
