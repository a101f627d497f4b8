"""An asset's page: every field by section, its parts, software, licences, contracts, tickets
and history; and its buttons (a note, "mark as reviewed"). Staff only: anyone else, and staff
who do not serve the asset's organisation, get a 404."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from guichet.accounts.access import asset_or_404
from guichet.assets import actions, queries
from guichet.assets.choices import AssetKind
from guichet.assets.forms import NoteForm, UploadForm
from guichet.assets.models import Asset
from guichet.lib.errors import ActionError, InvalidInput
from guichet.tickets.views.queue_listing import staff_required

SOFTWARE_TARGET = "asset-software"
SEARCH_MAX = 200


def load_asset(user, pk) -> Asset:
    return asset_or_404(user, pk, queryset=queries.detail_queryset())


def _software(asset: Asset, search: str) -> dict:
    rows, count = queries.software(asset, search)
    return {"software": rows, "software_count": count, "software_search": search,
            "software_shown": queries.SOFTWARE_SHOWN}  # fmt: skip


def detail_context(request, asset: Asset, **forms) -> dict:
    """Everything the asset's page shows; `forms` replaces a form that came back with errors."""
    user = request.user
    today = timezone.localdate()
    tickets, ticket_count = queries.tickets(user, asset)
    context = {
        "nav": "assets",
        "asset": asset,
        "today": today,
        "warranty_expired": bool(asset.warranty_end and asset.warranty_end < today),
        "is_phone": asset.kind == AssetKind.PHONE,
        "is_computer": asset.kind == AssetKind.COMPUTER,
        "flag_count": queries.flag_count(asset),
        "components": queries.component_groups(asset),
        "licences": queries.licence_assignments(user, asset),
        "contracts": queries.contracts(user, asset),
        "tickets": tickets,
        "ticket_count": ticket_count,
        "history": queries.history_page(user, asset, None),
        "attachments": queries.attachments(asset),
        "max_upload_mb": settings.ATTACHMENT_MAX_BYTES / 1024 / 1024,
        "note_form": NoteForm(),
        "upload_form": UploadForm(),
        **_software(asset, request.GET.get("software", "").strip()[:SEARCH_MAX]),
    }
    context.update(forms)
    return context


def render_detail(request, asset: Asset, *, status: int = 200, **forms):
    return render(request, "assets/asset.html", detail_context(request, asset, **forms),
                  status=status)  # fmt: skip


@staff_required()
@require_GET
def detail(request, pk: int):
    asset = load_asset(request.user, pk)
    if request.htmx and request.htmx.target == SOFTWARE_TARGET:
        # The software search swaps its own section only.
        search = request.GET.get("software", "").strip()[:SEARCH_MAX]
        context = {"asset": asset, **_software(asset, search)}
        response = render(request, "assets/partials/asset_software.html", context)
    else:
        response = render_detail(request, asset)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


@staff_required()
@require_GET
def history(request, pk: int):
    """The asset's whole history, one keyset page at a time (the asset's page shows the
    newest changes)."""
    asset = load_asset(request.user, pk)
    try:
        page = queries.history_page(request.user, asset, request.GET.get("cursor") or None)
    except (ValueError, TypeError, OverflowError, ValidationError):
        raise Http404 from None
    base = reverse("assets:history", args=[asset.pk])
    context = {
        "nav": "assets",
        "asset": asset,
        "history": page,
        "flag_count": queries.flag_count(asset),
        "next_url": f"{base}?cursor={page.next_cursor}" if page.next_cursor else None,
        "prev_url": f"{base}?cursor={page.prev_cursor}" if page.prev_cursor else None,
    }
    return render(request, "assets/asset_history.html", context)


@staff_required()
@require_POST
def review(request, pk: int):
    asset = load_asset(request.user, pk)
    count = actions.review_flags(asset=asset, actor=request.user)
    messages.success(
        request,
        ngettext(
            "%(n)d flagged change marked as reviewed.",
            "%(n)d flagged changes marked as reviewed.",
            count,
        )
        % {"n": count},
    )
    return redirect(reverse("assets:detail", args=[asset.pk]) + "#history")


@staff_required()
@require_POST
def add_note(request, pk: int):
    asset = load_asset(request.user, pk)
    form = NoteForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            actions.add_note(asset=asset, actor=request.user, text=form.cleaned_data["text"])
        except InvalidInput as exc:
            form.add_action_errors(exc)
        except ActionError as exc:
            form.add_error(None, exc.message)
            status = 403
        else:
            messages.success(request, _("The note was added."))
            return redirect(reverse("assets:detail", args=[asset.pk]) + "#history")
    return render_detail(request, asset, status=status, note_form=form)


urlpatterns = [
    path("<int:pk>/", detail, name="detail"),
    path("<int:pk>/history/", history, name="history"),
    path("<int:pk>/review/", review, name="review-flags"),
    path("<int:pk>/notes/", add_note, name="add-note"),
]
