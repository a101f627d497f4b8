"""The staff screens of articles: the list, an article, its form and its workflow buttons."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from guichet.accounts.access import is_staff_member, visible_tickets
from guichet.knowledge import actions
from guichet.knowledge.choices import KNOWN_ERROR_FIELDS, TRANSITIONS, ArticleStatus
from guichet.knowledge.forms import ArticleForm, FilterForm, StatusForm, UploadForm
from guichet.knowledge.queries import ArticleFilters, article_list
from guichet.knowledge.views.common import (
    MOVE_LABELS,
    article_context,
    staff_article,
    staff_only,
)
from guichet.lib.errors import Conflict, Forbidden, InvalidInput

PAGE_SIZE = 50


@login_required
@require_GET
def article_index(request):
    if not is_staff_member(request.user):
        return redirect("knowledge:faq")
    filters = ArticleFilters.from_values(request.GET)
    page = Paginator(article_list(request.user, filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "nav": "knowledge",
        "page_obj": page,
        "filter_form": FilterForm(initial=filters.__dict__),
        "query": query.urlencode(),
    }
    return render(request, "knowledge/list.html", context)


@login_required
@require_GET
def article_detail(request, pk):
    if not is_staff_member(request.user):
        return redirect("knowledge:faq-article", pk=pk)
    return detail_page(request, staff_article(request, pk))


def detail_page(request, article, upload_form=None, status: int = 200):
    links = (
        article.ticket_links.filter(ticket__in=visible_tickets(request.user))
        .select_related("ticket")
        .order_by("-created_at")[:10]
    )
    context = {
        **article_context(request, article),
        "nav": "knowledge",
        "moves": [
            (status, MOVE_LABELS[status])
            for status in ArticleStatus
            if status in TRANSITIONS[ArticleStatus(article.status)]
        ],
        "links": links,
        "upload_form": upload_form or UploadForm(),
        "organisations": list(article.organisations.order_by("name")),
        # Requesters who read it in the portal's form and sent no request.
        "deflections": article.deflections.count(),
    }
    return render(request, "knowledge/detail.html", context, status=status)


def _form_page(request, form, article, status=200):
    context = {
        "nav": "knowledge",
        "form": form,
        "article": article,
        "text_pairs": form.pairs(["title", "body"]),
        "known_error_pairs": form.pairs(KNOWN_ERROR_FIELDS),
    }
    return render(request, "knowledge/form.html", context, status=status)


@login_required
def article_new(request):
    staff_only(request.user)
    return _edit(request, None)


@login_required
def article_edit(request, pk):
    return _edit(request, staff_article(request, pk))


def _edit(request, article):
    initial = ArticleForm.initial_of(article)
    if request.method != "POST":
        return _form_page(request, ArticleForm(initial=initial, user=request.user), article)
    form = ArticleForm(request.POST, initial=initial, user=request.user)
    if form.is_valid():
        values = form.values(article)
        try:
            if article is None:
                saved = actions.create_article(actor=request.user, **values)
                messages.success(request, _("The article was created as a draft."))
            else:
                saved = actions.update_article(article=article, actor=request.user, **values)
                messages.success(request, _("The article was saved."))
        except InvalidInput as error:
            form.add_action_errors(error)
        else:
            return redirect("knowledge:detail", saved.pk)
    return _form_page(request, form, article, status=400)


@login_required
@require_POST
def article_status(request, pk):
    article = staff_article(request, pk)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a state for the article."))
        return redirect("knowledge:detail", article.pk)
    try:
        actions.set_status(
            article=article,
            actor=request.user,
            status=form.cleaned_data["status"],
            note=form.cleaned_data["note"],
        )
    except (Conflict, Forbidden) as error:
        messages.error(request, error.message)
    else:
        label = ArticleStatus(form.cleaned_data["status"]).label
        messages.success(request, _("The article is now “%(status)s”.") % {"status": label})
    return redirect("knowledge:detail", article.pk)
