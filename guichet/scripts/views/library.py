"""The staff's screens of the scripts: the list with figures, a script's page, the editor,
download and upload of a version."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from guichet.accounts.access import is_staff_member, visible_scripts
from guichet.lib.errors import ActionError, InvalidInput
from guichet.scripts import actions, display, stats, tree
from guichet.scripts.forms import ImportForm, ScriptForm
from guichet.scripts.models import Script


def _staff(request) -> None:
    if not is_staff_member(request.user):
        raise PermissionDenied


def _editor(request) -> None:
    if not actions.may_edit(request.user):
        raise PermissionDenied


def script_or_404(user, pk) -> Script:
    found = visible_scripts(user).select_related("current", "category").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@login_required
@require_GET
def script_list(request):
    _staff(request)
    scripts = list(visible_scripts(request.user).select_related("current", "category"))
    figures = stats.per_script(request.user, scripts)
    rows = [(s, figures.get(s.pk, {"runs": 0, "finished": 0, "solved": 0})) for s in scripts]
    return render(
        request,
        "scripts/list.html",
        {"rows": rows, "may_edit": actions.may_edit(request.user), "nav": "scripts"},
    )


@login_required
@require_GET
def script_detail(request, pk: int):
    _staff(request)
    script = script_or_404(request.user, pk)
    versions = list(script.versions.select_related("created_by"))
    shown = script.current
    if "version" in request.GET:
        shown = next((v for v in versions if str(v.number) == request.GET["version"]), None)
        if shown is None:
            raise Http404
    context = {
        "script": script,
        "shown": shown,
        "outline": display.outline(shown.definition) if shown else "",
        "versions": versions,
        "figures": stats.of_script(request.user, script),
        "may_edit": actions.may_edit(request.user),
        "nav": "scripts",
    }
    return render(request, "scripts/detail.html", context)


def _initial(script: Script | None) -> dict:
    if script is None:
        first = {"kind": "question", "text": {"fr": "", "en": ""}, "answers": []}
        empty = {"start": "start", "nodes": {"start": first}}
        return {"active": True, "definition": tree.dump(empty, "yaml")}
    return {
        "name_fr": script.name_fr,
        "name_en": script.name_en,
        "description_fr": script.description_fr,
        "description_en": script.description_en,
        "category": script.category,
        "active": script.active,
        "in_portal": script.in_portal,
        "definition": tree.dump(script.current.definition, "yaml") if script.current else "",
    }


@login_required
@require_http_methods(["GET", "POST"])
def script_edit(request, pk: int | None = None):
    _staff(request)
    _editor(request)
    script = script_or_404(request.user, pk) if pk else None
    initial = _initial(script)
    status = 200
    if request.method == "POST":
        form = ScriptForm(request.POST, initial=initial, creating=script is None)
        if form.is_valid():
            try:
                script = _save(request, form, script)
            except InvalidInput as error:
                form.add_action_errors(error)
            except ActionError as error:
                form.add_error(None, error.message)
            else:
                return redirect("scripts:detail", pk=script.pk)
        status = 400
    else:
        form = ScriptForm(initial=initial, creating=script is None)
    return render(
        request,
        "scripts/edit.html",
        {"form": form, "script": script, "nav": "scripts"},
        status=status,
    )


def _save(request, form: ScriptForm, script: Script | None) -> Script:
    data = form.cleaned_data
    settings = {
        key: data[key]
        for key in ("name_fr", "name_en", "description_fr", "description_en", "category")
    }
    flags = {"active": data["active"], "in_portal": data["in_portal"]}
    if script is None:
        script = actions.create_script(
            actor=request.user,
            code=data["code"],
            definition=data["definition"],
            note=data["note"],
            **settings,
            **flags,
        )
        messages.success(request, _("The script was created."))
        return script
    with transaction.atomic():
        script = actions.update_script(script=script, actor=request.user, **settings, **flags)
        if script.current is None or tree.tree_of(data["definition"]) != script.current.definition:
            version = actions.save_version(
                script=script, actor=request.user, definition=data["definition"], note=data["note"]
            )
            messages.success(request, _("Version %(n)s saved.") % {"n": version.number})
        else:
            messages.success(request, _("The script was saved (the tree did not change)."))
    return script


@login_required
@require_GET
def script_export(request, pk: int):
    _staff(request)
    script = script_or_404(request.user, pk)
    version = script.current
    if "version" in request.GET:
        number = request.GET["version"]
        version = script.versions.filter(number=int(number)).first() if number.isdigit() else None
    if version is None:
        raise Http404
    fmt = "yaml" if request.GET.get("format") == "yaml" else "json"
    body = tree.dump(actions.export_document(script, version), fmt)
    response = HttpResponse(
        body, content_type="application/yaml" if fmt == "yaml" else "application/json"
    )
    filename = f"{script.code}-v{version.number}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def script_import(request):
    _staff(request)
    _editor(request)
    status = 200
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                script, version = actions.import_document(
                    actor=request.user,
                    document=form.cleaned_data["file"],
                    note=form.cleaned_data["note"],
                )
            except InvalidInput as error:
                for messages_ in error.errors.values():
                    for message in messages_:
                        form.add_error("file", message)
            except ActionError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("“%(name)s” version %(n)s imported.")
                    % {"name": script.name, "n": version.number},
                )
                return redirect("scripts:detail", pk=script.pk)
        status = 400
    else:
        form = ImportForm()
    return render(request, "scripts/import.html", {"form": form, "nav": "scripts"}, status=status)
