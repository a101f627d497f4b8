"""The knowledge panel of the ticket page: the articles used on it, linking one, and turning
the ticket's solution into a draft article."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from guichet.accounts.access import ticket_or_404, visible_articles
from guichet.knowledge import actions
from guichet.knowledge.forms import LinkForm
from guichet.knowledge.models import ArticleTicket
from guichet.knowledge.views.common import error_text, staff_only
from guichet.lib.errors import Forbidden, InvalidInput


def _ticket(request, pk):
    staff_only(request.user)
    return ticket_or_404(request.user, pk)


def _panel(request, ticket, form=None, status: int = 200):
    links = (
        ArticleTicket.objects.filter(ticket=ticket)
        .select_related("article")
        .only(
            "solved",
            "created_at",
            "article__id",
            "article__title_fr",
            "article__title_en",
            "article__status",
            "article__kind",
        )  # fmt: skip
        .order_by("-solved", "-created_at")
    )
    context = {"ticket": ticket, "links": links, "form": form or LinkForm()}
    return render(request, "knowledge/partials/ticket_panel.html", context, status=status)


@login_required
@require_GET
def ticket_panel(request, pk):
    return _panel(request, _ticket(request, pk))


@login_required
@require_POST
def ticket_link(request, pk):
    ticket = _ticket(request, pk)
    form = LinkForm(request.POST)
    if form.is_valid():
        article = visible_articles(request.user).filter(pk=form.cleaned_data["article"]).first()
        if article is None:
            form.add_error("article", _("No article has this number."))
        else:
            try:
                actions.link_ticket(
                    article=article,
                    ticket=ticket,
                    actor=request.user,
                    solved=form.cleaned_data["solved"],
                )
            except (InvalidInput, Forbidden) as error:
                form.add_error("article", error_text(error))
            else:
                if request.htmx:
                    return _panel(request, ticket)
                messages.success(request, _("The article is linked to the ticket."))
                return redirect("tickets:detail", ticket.pk)
    if request.htmx:
        return _panel(request, ticket, form, status=400)
    messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("tickets:detail", ticket.pk)


@login_required
@require_POST
def ticket_draft(request, pk):
    ticket = _ticket(request, pk)
    try:
        article = actions.draft_from_ticket(ticket=ticket, actor=request.user)
    except (InvalidInput, Forbidden) as error:
        messages.error(request, error_text(error))
        return redirect("tickets:detail", ticket.pk)
    messages.success(request, _("A draft article was written from the ticket: review it."))
    return redirect("knowledge:edit", article.pk)
