"""Creating and editing an asset. The form checks what was typed; the action checks the rest
(the organisation served, the site of that organisation, a unique inventory number...) and
its refusals come back beside their fields, with what was typed, as a 400."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from guichet.accounts.access import organisation_names
from guichet.assets import actions, queries
from guichet.assets.choices import AssetKind
from guichet.assets.forms import KIND_FIELDS, AssetForm, initial_for
from guichet.assets.views.asset_page import load_asset
from guichet.lib.errors import ActionError, InvalidInput
from guichet.tickets.views.queue_listing import staff_required


def _render(request, form: AssetForm, asset=None, status: int = 200):
    context = {
        "nav": "assets",
        "form": form,
        "asset": asset,
        "kind": form.current_kind(),
        "kind_fields": {kind.value: fields for kind, fields in KIND_FIELDS.items()},
        "manufacturers": [name for _pk, name in queries.manufacturer_choices()],
        "suppliers": queries.supplier_names(),
    }
    return render(request, "assets/form.html", context, status=status)


def _new_initial(request) -> dict:
    """A type from the link that opened the form (`?kind=phone`), and the organisation when
    the user serves only one."""
    initial: dict = {}
    if request.GET.get("kind") in AssetKind.values:
        initial["kind"] = request.GET["kind"]
    names = organisation_names(request.user)
    if len(names) == 1:
        initial["organisation"] = names[0][0]
    return initial


def _attempt(request, form: AssetForm, perform, asset=None):
    status = 400
    if form.is_valid():
        try:
            saved = perform(form.values())
        except InvalidInput as exc:
            form.add_action_errors(exc)
        except ActionError as exc:
            form.add_error(None, exc.message)
            status = 403
        else:
            return redirect("assets:detail", pk=saved.pk)
    return _render(request, form, asset, status=status)


@staff_required()
@require_http_methods(["GET", "POST"])
def asset_new(request):
    if request.method == "GET":
        return _render(request, AssetForm(user=request.user, initial=_new_initial(request)))

    def perform(values):
        asset = actions.create_asset(actor=request.user, **values)
        messages.success(request, _("The asset %(ref)s was created.") % {"ref": asset.reference})
        return asset

    return _attempt(request, AssetForm(request.POST, user=request.user), perform)


@staff_required()
@require_http_methods(["GET", "POST"])
def asset_edit(request, pk: int):
    asset = load_asset(request.user, pk)
    if request.method == "GET":
        return _render(request, AssetForm(user=request.user, initial=initial_for(asset)), asset)

    def perform(values):
        changed = actions.update_asset(asset=asset, actor=request.user, **values)
        if changed:
            messages.success(request, _("The asset was saved."))
        else:
            messages.info(request, _("Nothing was changed."))
        return asset

    return _attempt(request, AssetForm(request.POST, user=request.user), perform, asset)


urlpatterns = [
    path("new/", asset_new, name="new"),
    path("<int:pk>/edit/", asset_edit, name="edit"),
]
