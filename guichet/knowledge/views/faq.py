"""The FAQ of the portal: the published public articles a requester may read."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from guichet.accounts.access import article_or_404
from guichet.knowledge.choices import ArticleStatus, Audience
from guichet.knowledge.models import Article
from guichet.knowledge.queries import ArticleFilters, published_faq
from guichet.knowledge.views.common import article_context
from guichet.tickets.models import Category

PAGE_SIZE = 30


@login_required
@require_GET
def faq(request):
    category = ArticleFilters.from_values(request.GET).category
    found = published_faq(request.user)
    # Only the categories that hold an article this reader may see.
    chosen = Article.categories.through.objects.filter(article_id__in=found.values("pk"))
    categories = Category.objects.filter(pk__in=chosen.values("category_id")).select_related(
        "parent"
    )
    page = Paginator(published_faq(request.user, category), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "nav": "faq",
        "page_obj": page,
        "categories": sorted(categories, key=lambda c: c.full_name),
        "category": category,
        "query": f"category={category}" if category else "",
    }
    return render(request, "knowledge/faq.html", context)


@login_required
@require_GET
def faq_article(request, pk):
    public = Article.objects.filter(status=ArticleStatus.PUBLISHED, audience=Audience.PUBLIC)
    article = article_or_404(request.user, pk, public)
    return render(
        request, "knowledge/faq_article.html", {"nav": "faq", **article_context(request, article)}
    )
