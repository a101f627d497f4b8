"""An article's history: every revision, its events, and the comparison of two revisions."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from guichet.accounts.models import Organisation
from guichet.knowledge.queries import compare, history
from guichet.knowledge.views.common import staff_article


@login_required
@require_GET
def article_history(request, pk):
    article = staff_article(request, pk)
    entries = history(article)
    context = {
        "nav": "knowledge",
        "article": article,
        "entries": entries,
        "events": article.events.select_related("actor").order_by("-created_at", "-id")[:200],
    }
    return render(request, "knowledge/history.html", context)


def _number(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


@login_required
@require_GET
def article_compare(request, pk):
    """`?a=1&b=3`: what changed from revision a to revision b (by default the last two)."""
    article = staff_article(request, pk)
    numbers = list(article.revisions.order_by("number").values_list("number", flat=True))
    last = numbers[-1] if numbers else 1
    a = _number(request.GET.get("a"), max(1, last - 1))
    b = _number(request.GET.get("b"), last)
    revisions = {r.number: r for r in article.revisions.filter(number__in=[a, b])}
    old, new = revisions.get(a), revisions.get(b)
    diffs = []
    if old is not None and new is not None:
        ids = set(old.data.get("organisations", [])) | set(new.data.get("organisations", []))
        names = {
            ("organisations", pk): name
            for pk, name in Organisation.objects.filter(pk__in=ids).values_list("pk", "name")
        }
        diffs = compare(old.data, new.data, names)
    context = {
        "nav": "knowledge",
        "article": article,
        "numbers": numbers,
        "a": a,
        "b": b,
        "old": old,
        "new": new,
        "diffs": diffs,
    }
    status = 200 if old is not None and new is not None else 404
    return render(request, "knowledge/compare.html", context, status=status)
