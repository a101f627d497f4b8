"""Helpful or not: the same button on the staff page and in the FAQ."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guichet.accounts.access import article_or_404, is_staff_member
from guichet.knowledge import actions
from guichet.knowledge.forms import VoteForm
from guichet.lib.errors import Forbidden


@login_required
@require_POST
def vote(request, pk):
    article = article_or_404(request.user, pk)
    form = VoteForm(request.POST)
    # Staff voting from the FAQ come back to the FAQ page they were reading.
    back = "knowledge:faq-article" if request.POST.get("from") == "faq" else "knowledge:detail"
    if not is_staff_member(request.user):
        back = "knowledge:faq-article"
    if not form.is_valid():
        messages.error(request, _("Say whether the article helped."))
        return redirect(back, article.pk)
    try:
        actions.vote(article=article, user=request.user, helpful=form.cleaned_data["helpful"])
    except Forbidden as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Thank you for your opinion."))
    return redirect(back, article.pk)
