"""Export → import → export is exact, for any text in any field; importing an export of the
same database changes nothing."""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guichet.knowledge.actions.articles import create_article
from guichet.knowledge.actions.transfer import import_knowledge
from guichet.knowledge.choices import LANGUAGES, TEXT_FIELDS, ArticleKind, ArticleStatus, Audience
from guichet.knowledge.models import Article, ArticleRevision
from guichet.knowledge.transfer_db import export_tree
from guichet.knowledge.transfer_files import read_zip, zip_bytes
from guichet.tickets.models import Category

pytestmark = pytest.mark.django_db

# Anything a text column can hold: every character but NUL and lone surrogates.
CHARACTERS = st.characters(exclude_categories=("Cs",), exclude_characters="\x00")
# Pieces that break naive formats, mixed with arbitrary text.
TRICKY = st.sampled_from(
    ["---", "---\n", "\r\n", "\r", "\n", "\n\n", " ", "  \n", "\t", "# ", "...", "- ", ": ",
     "'", '"', "|", ">", "\ufeff", "\u2028", "\x85", "é", "🙂", "attachment:1", "null", "yes"]
)  # fmt: skip


def texts(max_size: int) -> st.SearchStrategy[str]:
    mixed = st.lists(st.one_of(TRICKY, st.text(CHARACTERS, max_size=8)), max_size=8).map("".join)
    return st.one_of(st.text(CHARACTERS, max_size=max_size), mixed).map(lambda t: t[:max_size])


@st.composite
def articles(draw) -> dict:
    values = {
        f"{name}_{lang}": draw(texts(250 if name == "title" else 400))
        for name in TEXT_FIELDS
        for lang in LANGUAGES
    }
    if not (values["title_fr"].strip() or values["title_en"].strip()):
        values["title_fr"] = draw(texts(200)) + "x"
    return {
        **values,
        "kind": draw(st.sampled_from(ArticleKind.values)),
        "audience": draw(st.sampled_from(Audience.values)),
        "status": draw(st.sampled_from(ArticleStatus.values)),
        "keywords": draw(texts(500)),
        "software": draw(texts(500)),
    }


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(batch=st.lists(articles(), min_size=1, max_size=3))
def test_any_text_survives_export_import_export_byte_for_byte(root, acme, globex, batch):
    codes = list(Category.objects.order_by("code").values_list("code", flat=True)[:3])
    with transaction.atomic():
        for index, values in enumerate(batch):
            create_article(
                actor=root,
                categories=Category.objects.filter(code__in=codes[: index + 1]),
                organisations=[acme, globex][:index],
                **values,
            )
        first = export_tree(root)
        revisions = ArticleRevision.objects.count()

        # given the same database, when its own export comes back, then nothing changes
        plan = import_knowledge(actor=root, tree=first)
        assert len(plan.unchanged) == len(batch) and not plan.created and not plan.updated
        assert ArticleRevision.objects.count() == revisions

        # given an empty knowledge base, when the export (through a zip) is imported, then the
        # articles are the same and a new export is byte for byte the first one
        expected = {
            str(a.uid): {name: getattr(a, name) for name in values} for a in Article.objects.all()
        }
        Article.objects.all().delete()
        plan = import_knowledge(actor=root, tree=read_zip_bytes(zip_bytes(first)))
        assert len(plan.created) == len(batch)
        for article in Article.objects.all():
            assert {name: getattr(article, name) for name in values} == expected[str(article.uid)]
        assert export_tree(root) == first
        transaction.set_rollback(True)


def read_zip_bytes(content: bytes):
    import io

    return read_zip(io.BytesIO(content))
