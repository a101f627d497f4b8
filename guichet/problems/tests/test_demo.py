"""The demo's problems: realistic, linked to the demo's tickets, seeded once."""

import pytest
from django.utils import timezone

from guichet.demo import problems as demo_problems
from guichet.demo.people import ensure_cast
from guichet.knowledge.models import Article
from guichet.problems.choices import ProblemStatus
from guichet.problems.models import Problem, ProblemEvent
from guichet.tickets.tests.factories import category, make_ticket

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_problems_in_every_state_once():
    cast = ensure_cast()
    contact = cast.clients[0].contacts[0]
    printers = [
        make_ticket(contact, title=f"Imprimante {n}", category=category("hardware-printer"))
        for n in range(3)
    ]

    demo_problems.seed(cast, now=timezone.now())
    counts = (Problem.objects.count(), ProblemEvent.objects.count(), Article.objects.count())
    demo_problems.seed(cast, now=timezone.now())

    assert (Problem.objects.count(), ProblemEvent.objects.count(), Article.objects.count()) == (
        counts
    )
    assert 4 <= counts[0] <= 6
    statuses = set(Problem.objects.values_list("status", flat=True))
    assert {ProblemStatus.NEW, ProblemStatus.KNOWN_ERROR, ProblemStatus.CLOSED} <= statuses
    driver = Problem.objects.get(category__code="hardware-printer")
    assert set(driver.incidents.values_list("pk", flat=True)) == {t.pk for t in printers}
    article = Article.objects.get()
    assert driver.known_error == article
    assert article.title_fr and article.title_en and article.workaround_en
