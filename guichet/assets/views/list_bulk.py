"""One change (state, location, assigned user or organisation) to the assets selected in the
list. The change is all or nothing (`actions.bulk_update`): a refusal on one asset leaves
every asset as it was, and the list comes back with the reason and the selection kept."""

from urllib.parse import urlsplit

from django.contrib import messages
from django.http import QueryDict
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from guichet.accounts.access import visible_assets
from guichet.assets import actions
from guichet.assets.forms import BulkForm, FilterForm
from guichet.assets.views.list_page import bulk_people, render_list
from guichet.lib.errors import ActionError, InvalidInput
from guichet.lib.pagination import MAX_PAGE_SIZE
from guichet.tickets.views.queue_listing import staff_required


def _next_url(request) -> str:
    """Back to the list the user came from (same site, list path only)."""
    listing = reverse("assets:list")
    candidate = request.POST.get("next", "")
    if (
        url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()})
        and urlsplit(candidate).path == listing
    ):
        return candidate
    return listing


def _ids(raw: list[str]) -> tuple[set[int], int]:
    """The selected ids, and how many values were not ids at all."""
    ids, bad = set(), 0
    for value in raw:
        if value.isdigit() and 0 < int(value) < 2**63:
            ids.add(int(value))
        else:
            bad += 1
    return ids, bad


def _field_label(form: BulkForm, name: str) -> str:
    field = form.fields.get(name)
    return str(field.label) if field is not None and field.label else name


@staff_required()
@require_POST
def bulk(request):
    user = request.user
    next_url = _next_url(request)
    params = QueryDict(urlsplit(next_url).query)
    filters = FilterForm(params, user=user)
    form = BulkForm(request.POST, user=user, people=bulk_people(user, filters))
    ids, malformed = _ids(request.POST.getlist("ids"))
    errors: list[str] = []
    if not ids and not malformed:
        errors.append(_("Select at least one asset."))
    if len(ids) > MAX_PAGE_SIZE:
        errors.append(_("At most %(n)d assets at a time.") % {"n": MAX_PAGE_SIZE})
    if not form.is_valid():
        errors += [
            f"{_field_label(form, name)}: {' '.join(msgs)}" if name != "__all__" else " ".join(msgs)
            for name, msgs in form.errors.items()
        ]
    # Only assets the user may see can be changed; the others are as good as unknown.
    assets = list(visible_assets(user).filter(pk__in=ids).order_by("pk")) if not errors else []
    if not errors and not assets:
        errors.append(_("None of the selected assets was found."))
    status = 400
    if not errors:
        try:
            changed = actions.bulk_update(actor=user, assets=assets, **form.values())
        except InvalidInput as exc:
            errors.append(_("Nothing was changed."))
            errors += [
                f"{_field_label(form, name)}: {' '.join(msgs)}" for name, msgs in exc.errors.items()
            ]
        except ActionError as exc:
            errors.append(exc.message)
            status = 403
        else:
            messages.success(
                request,
                ngettext("%(n)d asset changed.", "%(n)d assets changed.", changed) % {"n": changed},
            )
            _ignored(request, malformed + len(ids) - len(assets))
            return redirect(next_url)
    for error in errors:
        messages.error(request, error)
    return render_list(request, params, status=status, bulk_form=form, selected=ids)


def _ignored(request, ignored: int) -> None:
    if ignored:
        messages.error(
            request,
            ngettext(
                "%(n)d selected asset was not found and was ignored.",
                "%(n)d selected assets were not found and were ignored.",
                ignored,
            )
            % {"n": ignored},
        )


urlpatterns = [
    path("bulk/", bulk, name="list-bulk"),
]
