"""Publishing a problem as a known error: one article, kept up to date, and the workaround
posted on the open incidents the publisher may see."""

import pytest

from guichet.knowledge.choices import ArticleKind, ArticleStatus, Audience
from guichet.knowledge.models import Article
from guichet.lib.errors import InvalidInput
from guichet.problems import actions
from guichet.problems.choices import ProblemEventKind, ProblemStatus
from guichet.problems.models import Problem
from guichet.problems.tests.factories import make_problem, reload
from guichet.tickets import actions as ticket_actions
from guichet.tickets.models import FollowUp
from guichet.tickets.tests.factories import category, make_ticket

pytestmark = pytest.mark.django_db


def _analysed(actor, **fields) -> Problem:
    return make_problem(
        actor,
        description="Printing stops with error 0x0BCB.",
        root_cause="Driver 5.2 update.",
        workaround="Reinstall driver 5.1 from the share.",
        permanent_fix="Vendor patch 5.2.1.",
        category=category("hardware-printer"),
        **fields,
    )


def test_publishing_creates_a_published_internal_known_error_in_the_authors_language(alice):
    alice.language = "fr"
    alice.save(update_fields=["language"])
    problem = _analysed(alice)

    article, posted = actions.publish_known_error(problem=problem, actor=alice)

    assert posted == 0
    assert article.kind == ArticleKind.KNOWN_ERROR
    assert article.status == ArticleStatus.PUBLISHED
    assert article.audience == Audience.INTERNAL
    assert article.title_fr == problem.title and article.title_en == ""
    assert article.symptom_fr == "Printing stops with error 0x0BCB."
    assert article.cause_fr == "Driver 5.2 update."
    assert article.workaround_fr == "Reinstall driver 5.1 from the share."
    assert article.solution_fr == "Vendor patch 5.2.1."
    assert list(article.categories.values_list("code", flat=True)) == ["hardware-printer"]
    saved = reload(problem)
    assert saved.known_error == article
    assert saved.status == ProblemStatus.KNOWN_ERROR
    assert saved.events.filter(kind=ProblemEventKind.KNOWN_ERROR, new_value=str(article.pk))


def test_an_english_speaker_writes_the_english_fields_and_may_choose_the_public_faq(alice):
    assert alice.language == "en"

    article, _posted = actions.publish_known_error(
        problem=_analysed(alice), actor=alice, public=True
    )

    assert article.title_en and not article.title_fr
    assert article.workaround_en == "Reinstall driver 5.1 from the share."
    assert article.audience == Audience.PUBLIC


def test_publishing_again_updates_the_same_article(alice):
    problem = _analysed(alice)
    first, _ = actions.publish_known_error(problem=problem, actor=alice)
    actions.update_problem(problem=problem, actor=alice, workaround="Use the PCL6 driver.")

    again, _ = actions.publish_known_error(problem=reload(problem), actor=alice)

    assert again.pk == first.pk
    assert Article.objects.count() == 1
    assert Article.objects.get().workaround_en == "Use the PCL6 driver."
    assert reload(problem).events.filter(kind=ProblemEventKind.KNOWN_ERROR).count() == 2


def test_an_archived_known_error_is_published_again(alice):
    from guichet.knowledge.actions import set_status

    problem = _analysed(alice)
    article, _ = actions.publish_known_error(problem=problem, actor=alice)
    set_status(article=article, actor=alice, status=ArticleStatus.ARCHIVED)

    again, _ = actions.publish_known_error(problem=reload(problem), actor=alice)

    assert again.status == ArticleStatus.PUBLISHED


def test_there_is_nothing_to_publish_without_a_workaround(alice):
    problem = make_problem(alice, root_cause="Unknown yet")

    with pytest.raises(InvalidInput) as caught:
        actions.publish_known_error(problem=problem, actor=alice)

    assert "workaround" in caught.value.errors
    assert not Article.objects.exists()
    assert reload(problem).status == ProblemStatus.NEW


def test_the_workaround_goes_to_the_open_incidents_the_publisher_can_see(alice, bob, dave, charlie):
    open_one, solved = make_ticket(bob), make_ticket(bob, title="Printer too")
    ticket_actions.solve(ticket=solved, actor=alice, solution="Restarted")
    globex = make_ticket(charlie, title="Globex printer")
    problem = _analysed(alice, tickets=[open_one, solved])
    actions.link_ticket(problem=problem, ticket=globex, actor=dave)

    _article, posted = actions.publish_known_error(
        problem=problem, actor=alice, post_to_incidents=True
    )

    assert posted == 1
    followup = FollowUp.objects.get(ticket=open_one)
    assert "Reinstall driver 5.1 from the share." in followup.body
    assert followup.is_internal is False
    assert not FollowUp.objects.filter(ticket__in=[solved, globex]).exists()
    assert list(open_one.article_links.values_list("article_id", flat=True)) == [_article.pk]


def test_a_solved_problem_keeps_its_status_when_its_known_error_is_updated(alice):
    problem = _analysed(alice)
    actions.set_status(problem=problem, actor=alice, status=ProblemStatus.SOLVED)

    actions.publish_known_error(problem=problem, actor=alice)

    assert reload(problem).status == ProblemStatus.SOLVED
    assert reload(problem).known_error is not None
