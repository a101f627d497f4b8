"""The demo's knowledge base: realistic, in both languages, and seeded once only."""

import pytest
from django.utils import timezone

from guichet.demo.knowledge import seed
from guichet.demo.people import ensure_cast
from guichet.knowledge.choices import ArticleKind, ArticleStatus, Audience
from guichet.knowledge.models import Article, ArticleRevision, ArticleTicket
from guichet.tickets import actions as ticket_actions
from guichet.tickets.tests.factories import category, make_ticket

pytestmark = pytest.mark.django_db


def test_the_demo_seed_writes_a_varied_knowledge_base_once():
    cast = ensure_cast()
    ticket = make_ticket(cast.clients[0].contacts[0], title="VPN", category=category("network-vpn"))
    ticket_actions.solve(ticket=ticket, actor=cast.supervisor, solution="New profile")
    seed(cast, now=timezone.now())
    count = Article.objects.count()
    assert 23 <= count <= 30
    assert Article.objects.filter(kind=ArticleKind.KNOWN_ERROR).count() >= 7
    assert (
        Article.objects.filter(title_en="").exists()
        and Article.objects.filter(title_fr="").exists()
    )
    assert Article.objects.filter(status=ArticleStatus.PUBLISHED).count() > count / 2
    for status in (ArticleStatus.DRAFT, ArticleStatus.REVIEW, ArticleStatus.ARCHIVED):
        assert Article.objects.filter(status=status).exists()
    faq = Article.objects.filter(audience=Audience.PUBLIC)
    assert faq.filter(organisations__isnull=False).count() == 1
    assert ArticleRevision.objects.filter(number=2).exists()
    assert Article.objects.filter(helpful_count__gt=0).exists()
    assert ArticleTicket.objects.filter(ticket=ticket, solved=True).exists()

    seed(cast, now=timezone.now())
    assert Article.objects.count() == count
