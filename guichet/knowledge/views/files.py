"""An article's files: uploaded by the staff, downloaded by whoever may read the article."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from guichet.accounts.access import article_or_404
from guichet.knowledge import actions
from guichet.knowledge.actions.files import INLINE_TYPES
from guichet.knowledge.forms import UploadForm
from guichet.knowledge.views.articles import detail_page
from guichet.knowledge.views.common import staff_article
from guichet.lib.errors import InvalidInput


@login_required
@require_POST
def upload(request, pk):
    article = staff_article(request, pk)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return detail_page(request, article, upload_form=form, status=400)
    try:
        item = actions.add_attachment(
            article=article, actor=request.user, upload=form.cleaned_data["file"]
        )
    except InvalidInput as error:
        form.add_action_errors(error)
        return detail_page(request, article, upload_form=form, status=400)
    messages.success(
        request,
        _("“%(name)s” was added. Show it in the text with %(code)s.")
        % {"name": item.filename, "code": f"![{item.filename}](attachment:{item.pk})"},
    )
    return redirect("knowledge:detail", article.pk)


@login_required
@require_GET
def download(request, pk, att):
    """Served only to someone who may read the article; never by its media URL."""
    article = article_or_404(request.user, pk)
    item = get_object_or_404(article.attachments, pk=att)
    try:
        handle = item.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    inline = item.content_type in INLINE_TYPES
    response = FileResponse(
        handle, as_attachment=not inline, filename=item.filename, content_type=item.content_type
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
