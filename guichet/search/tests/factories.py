"""Articles, known errors and problems for the search tests."""

from django.utils import timezone

from guichet.knowledge import actions as knowledge
from guichet.problems.models import Problem


def make_article(actor, *, title_fr="", title_en="", status="published", **fields):
    return knowledge.create_article(
        actor=actor, title_fr=title_fr, title_en=title_en, status=status, **fields
    )


def make_known_error(actor, *, title_fr, workaround_fr="", **fields):
    return make_article(
        actor, title_fr=title_fr, kind="known_error", workaround_fr=workaround_fr, **fields
    )


def make_problem(actor, *, title, **fields):
    now = timezone.now()
    return Problem.objects.create(
        title=title, created_by=actor, created_at=now, updated_at=now, **fields
    )
