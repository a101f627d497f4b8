"""Administrators' import / export page: the whole knowledge base as a .zip of Markdown files.

An upload is first a dry run: the page lists what would be created, updated or refused. The
archive waits in storage under a random name kept in the administrator's session, and the
"Apply" button imports that very file (read and checked again: the base may have changed).
"""

import secrets

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from guichet.knowledge import transfer_files
from guichet.knowledge.actions.transfer import import_knowledge
from guichet.knowledge.transfer import Problem, TransferError
from guichet.knowledge.transfer_db import Plan, export_tree, plan_import
from guichet.knowledge.transfer_files import read_zip, zip_bytes

SESSION_KEY = "knowledge_import"


class UploadForm(forms.Form):
    archive = forms.FileField(
        label=gettext_lazy("Knowledge base archive (.zip)"),
        help_text=gettext_lazy("A .zip exported from here or with “guichet knowledge export”."),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )

    def clean_archive(self):
        archive = self.cleaned_data["archive"]
        if archive.size > transfer_files.MAX_ARCHIVE_BYTES:
            raise forms.ValidationError(
                _("The archive is larger than %(mb)s MB.")
                % {"mb": transfer_files.MAX_ARCHIVE_BYTES // 1024 // 1024}
            )
        return archive


def _admin_only(request) -> None:
    if not request.user.is_admin:
        raise PermissionDenied


def _page(request, form, plan: Plan | None = None, token: str = "", status: int = 200):
    context = {"nav": "knowledge", "form": form, "plan": plan, "token": token}
    return render(request, "knowledge/transfer.html", context, status=status)


def _forget_pending(request) -> None:
    name = request.session.pop(SESSION_KEY, None)
    if name:
        default_storage.delete(name)


@login_required
def transfer(request):
    _admin_only(request)
    if request.method != "POST":
        return _page(request, UploadForm())
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form, status=400)
    _forget_pending(request)
    content = form.cleaned_data["archive"].read()
    try:
        plan = plan_import(read_zip(ContentFile(content)), request.user)
    except TransferError as error:
        plan = Plan(problems=error.problems)
    if plan.problems:
        return _page(request, form, plan, status=400)
    token = ""
    if plan.created or plan.updated:
        token = secrets.token_hex(16)
        saved = default_storage.save(f"knowledge/imports/{token}.zip", ContentFile(content))
        request.session[SESSION_KEY] = saved
    return _page(request, UploadForm(), plan, token)


@login_required
@require_POST
def transfer_apply(request):
    _admin_only(request)
    name = request.session.get(SESSION_KEY, "")
    token = request.POST.get("token", "")
    if not token or not name or name != f"knowledge/imports/{token}.zip":
        messages.error(request, _("This import is no longer waiting: upload the archive again."))
        return redirect("knowledge:transfer")
    try:
        with default_storage.open(name, "rb") as handle:
            tree = read_zip(handle)
        plan = import_knowledge(actor=request.user, tree=tree)
    except FileNotFoundError:
        plan = Plan(problems=[Problem(_("the archive"), _("Upload the archive again."))])
    except TransferError as error:
        plan = Plan(problems=error.problems)
    _forget_pending(request)
    if plan.problems:
        return _page(request, UploadForm(), plan, status=400)
    messages.success(
        request,
        _("Import done: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
        % {
            "created": len(plan.created),
            "updated": len(plan.updated),
            "unchanged": len(plan.unchanged),
        },
    )
    return redirect("knowledge:transfer")


@login_required
def transfer_export(request):
    _admin_only(request)
    content = zip_bytes(export_tree(request.user))
    response = HttpResponse(content, content_type="application/zip")
    filename = f"knowledge-{timezone.localdate():%Y-%m-%d}.zip"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


urlpatterns = [
    path("transfer/", transfer, name="transfer"),
    path("transfer/apply", transfer_apply, name="transfer-apply"),
    path("transfer/export.zip", transfer_export, name="transfer-export"),
]
