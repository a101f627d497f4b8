"""An asset's files: uploaded and downloaded by the staff who may see the asset, never by
their media URL (that would bypass the access check)."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from guichet.assets import actions
from guichet.assets.forms import UploadForm
from guichet.assets.views.asset_page import load_asset, render_detail
from guichet.lib.errors import ActionError, InvalidInput
from guichet.tickets.views.queue_listing import staff_required


@staff_required()
@require_POST
def upload(request, pk: int):
    asset = load_asset(request.user, pk)
    form = UploadForm(request.POST, request.FILES)
    status = 400
    if form.is_valid():
        try:
            item = actions.add_attachment(
                asset=asset, actor=request.user, upload=form.cleaned_data["file"]
            )
        except InvalidInput as exc:
            form.add_action_errors(exc)
        except ActionError as exc:
            form.add_error(None, exc.message)
            status = 403
        else:
            messages.success(request, _("“%(name)s” was added.") % {"name": item.filename})
            return redirect(reverse("assets:detail", args=[asset.pk]) + "#attachments")
    return render_detail(request, asset, status=status, upload_form=form)


@staff_required()
@require_GET
def download(request, pk: int, att: int):
    asset = load_asset(request.user, pk)
    item = get_object_or_404(asset.attachments, pk=att)
    try:
        handle = item.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=item.filename, content_type=item.content_type
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@staff_required()
@require_POST
def remove(request, pk: int, att: int):
    asset = load_asset(request.user, pk)
    item = get_object_or_404(asset.attachments, pk=att)
    try:
        actions.remove_attachment(attachment=item, actor=request.user)
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("“%(name)s” was deleted.") % {"name": item.filename})
    return redirect(reverse("assets:detail", args=[asset.pk]) + "#attachments")


urlpatterns = [
    path("<int:pk>/attachments/", upload, name="attachment-add"),
    path("<int:pk>/attachments/<int:att>/", download, name="attachment"),
    path("<int:pk>/attachments/<int:att>/delete/", remove, name="attachment-delete"),
]
