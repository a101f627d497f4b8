"""The conflicts: inventories that matched several assets, or matched one in a way another
rule contradicts. Each shows the kept inventory beside its candidates; a human attaches it
to one of them, has a new asset created, or dismisses it. Every button is one action, all or
nothing; a refusal comes back as a message on the list."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from guichet.accounts.access import visible_assets
from guichet.inventory import actions, queries
from guichet.inventory.forms import ConflictFilterForm, ResolveForm
from guichet.inventory.screens.common import manager_required, page_url, screen_context
from guichet.lib.errors import ActionError, InvalidInput


@manager_required
@require_GET
def conflict_list(request):
    form = ConflictFilterForm(request.GET)
    page, status = None, 200
    if form.is_valid():
        try:
            page = queries.conflict_page(request.user, form.status_value(),
                                         request.GET.get("cursor"))  # fmt: skip
        except (ValueError, TypeError, OverflowError, ValidationError):
            form.add_error(None, _("This page link is not valid; start again from page one."))
    if page is None:
        status = 400
    context = screen_context(
        request,
        "conflicts",
        form=form,
        page=page,
        next_url=page_url("inventory:conflicts", request.GET, page.next_cursor if page else None),
        prev_url=page_url("inventory:conflicts", request.GET, page.prev_cursor if page else None),
    )
    return render(request, "inventory/conflicts.html", context, status=status)


def _conflict(request, pk: int):
    return get_object_or_404(queries.visible_conflicts(request.user), pk=pk)


def _back(conflict) -> str:
    return f"{reverse('inventory:conflicts')}#conflict-{conflict.pk}"


def _refused(request, conflict, error: ActionError):
    if isinstance(error, InvalidInput):
        for problems in error.errors.values():
            for problem in problems:
                messages.error(request, problem)
    else:
        messages.error(request, error.message)
    return redirect(_back(conflict))


@manager_required
@require_POST
def resolve(request, pk: int):
    conflict = _conflict(request, pk)
    form = ResolveForm(request.POST)
    if not form.is_valid():
        errors = {name: [str(m) for m in problems] for name, problems in form.errors.items()}
        return _refused(request, conflict, InvalidInput(errors))
    asset = None
    if form.cleaned_data["asset"] is not None:
        asset = visible_assets(request.user).filter(pk=form.cleaned_data["asset"]).first()
        if asset is None:
            error = InvalidInput({"asset": [_("Choose an asset of the organisation.")]})
            return _refused(request, conflict, error)
    try:
        asset = actions.resolve_conflict(conflict=conflict, actor=request.user, asset=asset)
    except ActionError as error:
        return _refused(request, conflict, error)
    if form.cleaned_data["asset"] is None:
        message = _("The asset %(asset)s was created from the inventory.")
    else:
        message = _("The inventory was applied to %(asset)s.")
    messages.success(request, message % {"asset": asset.reference})
    return redirect("inventory:conflicts")


@manager_required
@require_POST
def dismiss(request, pk: int):
    conflict = _conflict(request, pk)
    try:
        actions.dismiss_conflict(conflict=conflict, actor=request.user)
    except ActionError as error:
        return _refused(request, conflict, error)
    messages.success(request, _("The conflict was dismissed."))
    return redirect("inventory:conflicts")


urlpatterns = [
    path("conflicts/", conflict_list, name="conflicts"),
    path("conflicts/<int:pk>/resolve/", resolve, name="conflict-resolve"),
    path("conflicts/<int:pk>/dismiss/", dismiss, name="conflict-dismiss"),
]
