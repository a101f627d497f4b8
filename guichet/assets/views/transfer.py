"""Assets in and out in bulk: the CSV import (a dry run, then "Import"), the CSV and XLSX
exports of the list's filters, and PDF sheets of QR labels. Support staff only; every asset
read goes through the access door.

The uploaded file waits between the two steps of an import in storage (`transfer.waiting`,
purged of files left over a day), under a random name kept in the user's session with its
token; "Import" reads that file again and checks it
again, never anything the browser sends back.
"""

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guichet.accounts.access import visible_assets, visible_organisations
from guichet.assets.forms import FilterForm
from guichet.assets.transfer import columns, export, labels
from guichet.assets.transfer import waiting as waiting_files
from guichet.assets.transfer.csv_import import apply_import, plan_import
from guichet.assets.transfer.filters import filtered_assets
from guichet.assets.transfer.forms import ImportForm
from guichet.assets.transfer.report import Report
from guichet.lib.errors import InvalidInput
from guichet.tickets.views.queue_listing import staff_required

SESSION_KEY = "assets_import"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _import_page(request, form, report: Report | None = None, token: str = "", status=200):
    context = {
        "nav": "assets",
        "form": form,
        "report": report,
        "token": token,
        "columns": [(name, columns.ALIASES[name]) for name in columns.FIELDS],
        "required": columns.REQUIRED,
    }
    return render(request, "assets/import.html", context, status=status)


def _forget_pending(request) -> None:
    waiting = request.session.pop(SESSION_KEY, None)
    if isinstance(waiting, dict) and waiting.get("name"):
        waiting_files.forget(waiting["name"])


def _organisation(user, pk):
    if pk is None:
        return None
    return visible_organisations(user).filter(pk=pk).first()


@staff_required(requesters_to_portal=True)
@require_http_methods(["GET", "POST"])
def import_page(request):
    if request.method == "GET":
        return _import_page(request, ImportForm(user=request.user))
    form = ImportForm(request.POST, request.FILES, user=request.user)
    if not form.is_valid():
        return _import_page(request, form, status=400)
    _forget_pending(request)
    content = form.cleaned_data["file"].read()
    organisation = _organisation(request.user, form.cleaned_data["organisation"])
    report = plan_import(request.user, content, organisation=organisation)
    token = ""
    if report.pending:
        name, token = waiting_files.keep(content)
        request.session[SESSION_KEY] = {
            "name": name,
            "token": token,
            "organisation": getattr(organisation, "pk", None),
        }
    return _import_page(request, form, report, token, status=200 if report.ok else 400)


@staff_required()
@require_POST
def import_apply(request):
    waiting = request.session.get(SESSION_KEY)
    token = request.POST.get("token", "")
    if not isinstance(waiting, dict) or not token or waiting.get("token") != token:
        messages.error(request, _("This import is no longer waiting: upload the file again."))
        return redirect("assets:import")
    try:
        with default_storage.open(waiting["name"], "rb") as handle:
            content = handle.read()
    except FileNotFoundError:
        _forget_pending(request)
        messages.error(request, _("This import is no longer waiting: upload the file again."))
        return redirect("assets:import")
    organisation = _organisation(request.user, waiting.get("organisation"))
    report = apply_import(actor=request.user, content=content, organisation=organisation)
    _forget_pending(request)
    if not report.applied:
        return _import_page(request, ImportForm(user=request.user), report, status=400)
    counts = report.counts
    messages.success(
        request,
        _("Import done: %(create)d created, %(update)d updated, %(unchanged)d unchanged.") % counts,
    )
    return redirect("assets:import")


@staff_required(requesters_to_portal=True)
@require_GET
def export_page(request):
    form = FilterForm(request.GET or None, user=request.user)
    if form.is_bound:
        form.is_valid()
    context = {
        "nav": "assets",
        "form": form,
        "query": request.GET.urlencode(),
        "max_labels": labels.MAX_LABELS,
    }
    return render(request, "assets/export.html", context)


def _bad_filters(refusal: InvalidInput) -> HttpResponse:
    lines = [f"{name}: {' '.join(errors)}" for name, errors in refusal.errors.items()]
    return HttpResponse("\n".join(lines), status=400, content_type="text/plain; charset=utf-8")


def _filename(extension: str) -> str:
    return f"assets-{timezone.localdate():%Y-%m-%d}.{extension}"


@staff_required()
@require_GET
def export_csv(request):
    try:
        assets = filtered_assets(request.user, request.GET)
    except InvalidInput as refusal:
        return _bad_filters(refusal)
    # As Excel expects them in the reader's language, like the service reports' CSV.
    french = (get_language() or "").startswith("fr")
    delimiter, decimal = (";", ",") if french else (",", ".")
    chunks = export.csv_chunks(assets, delimiter=delimiter, decimal=decimal)
    response = StreamingHttpResponse(chunks, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    return response


@staff_required()
@require_GET
def export_xlsx(request):
    try:
        assets = filtered_assets(request.user, request.GET)
    except InvalidInput as refusal:
        return _bad_filters(refusal)
    return FileResponse(
        export.xlsx_file(assets), as_attachment=True, filename=_filename("xlsx"), content_type=XLSX
    )


def _ids(raw_values: list[str]) -> list[int]:
    """ "1,2,3" (or ids=1&ids=2) as ids, in order, once each; ValueError for anything else."""
    ids: dict[int, None] = {}
    for raw in raw_values:
        for part in raw.split(","):
            part = part.strip()
            if not part:
                continue
            if not part.isdigit() or len(part) > 18 or int(part) == 0:
                raise ValueError(part)
            ids[int(part)] = None
    return list(ids)


def _labels_refused(request, message: str, status: int = 400):
    context = {"nav": "assets", "message": message, "query": request.GET.urlencode()}
    return render(request, "assets/labels_refused.html", context, status=status)


def _too_many(request):
    return _labels_refused(
        request,
        _("At most %(max)d labels can be printed at once: choose fewer assets or narrow the "
          "filters.") % {"max": labels.MAX_LABELS},
    )  # fmt: skip


@staff_required()
@require_GET
def labels_pdf(request):
    if request.GET.get("ids", "").strip():
        try:
            ids = _ids(request.GET.getlist("ids"))
        except ValueError:
            return _labels_refused(request, _("The list of assets is not valid."))
        if len(ids) > labels.MAX_LABELS:
            return _too_many(request)
        found = visible_assets(request.user).filter(pk__in=ids).select_related("organisation")
        by_id = {asset.pk: asset for asset in found}
        assets = [by_id[pk] for pk in ids if pk in by_id]
        if not assets:
            raise Http404
    else:
        try:
            matching = filtered_assets(request.user, request.GET)
        except InvalidInput as refusal:
            return _bad_filters(refusal)
        rows = matching.select_related("organisation").order_by("pk")
        assets = list(rows[: labels.MAX_LABELS + 1])
        if len(assets) > labels.MAX_LABELS:
            return _too_many(request)
        if not assets:
            return _labels_refused(request, _("No asset matches these filters."))
    sheet = labels.make_labels(assets, request.build_absolute_uri)
    response = HttpResponse(labels.sheet_pdf(sheet), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{_filename("pdf")}"'
    return response


urlpatterns = [
    path("import/", import_page, name="import"),
    path("import/apply", import_apply, name="import-apply"),
    path("export/", export_page, name="export"),
    path("export.csv", export_csv, name="export-csv"),
    path("export.xlsx", export_xlsx, name="export-xlsx"),
    path("labels.pdf", labels_pdf, name="labels"),
]
