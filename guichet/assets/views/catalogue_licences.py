"""Licences: the list, a licence's page with its seats, the forms, and its key shown on
request to those allowed."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guichet.accounts.access import may_read_licence_keys
from guichet.assets import actions
from guichet.assets import catalogue_queries as queries
from guichet.assets.catalogue_forms import (
    LicenceFilterForm,
    LicenceForm,
    MachineSeatForm,
    PersonSeatForm,
)
from guichet.assets.catalogue_history import history
from guichet.assets.choices import CatalogueSubject
from guichet.assets.models import Licence
from guichet.assets.views.catalogue_common import CURSOR_ERROR, page_url, submit
from guichet.lib import crypto
from guichet.lib.errors import Conflict, Forbidden, InvalidInput
from guichet.tickets.views.queue_listing import staff_required

FORM_FIELDS = ("name", "product", "organisation", "kind", "seats", "valid_from",
               "valid_until", "supplier", "purchase_price", "notes")  # fmt: skip


@staff_required(requesters_to_portal=True)
@require_GET
def licence_list(request):
    form = LicenceFilterForm(request.GET, user=request.user)
    page, status = None, 200
    if form.is_valid():
        try:
            page = queries.licence_page(request.user, form.filters(), request.GET.get("cursor"))
        except (ValueError, TypeError, OverflowError, ValidationError):
            form.add_error(None, CURSOR_ERROR)
    if page is None:
        status = 400
    context = {
        "nav": "assets",
        "tab": "licences",
        "form": form,
        "page": page,
        "next_url": page_url("licences", request.GET, page.next_cursor if page else None),
        "prev_url": page_url("licences", request.GET, page.prev_cursor if page else None),
    }
    return render(request, "assets/licence_list.html", context, status=status)


def detail_context(request, licence: Licence, **extra) -> dict:
    """Everything a licence's page shows; `extra` replaces a form that came back with errors
    or adds the key once revealed."""
    queries.with_seats_used([licence])
    context = {
        "nav": "assets",
        "tab": "licences",
        "licence": licence,
        "assignments": queries.assignments(request.user, licence),
        "machine_form": MachineSeatForm(),
        "person_form": PersonSeatForm(organisation_id=licence.organisation_id),
        "may_read_key": may_read_licence_keys(request.user),
        "has_key": bool(licence.key_encrypted),
        "key": None,
        "history": history(request.user, CatalogueSubject.LICENCE, licence.pk),
    }
    context.update(extra)
    return context


@staff_required(requesters_to_portal=True)
@require_GET
def licence_detail(request, pk: int):
    licence = queries.licence_or_404(request.user, pk)
    return render(request, "assets/licence_detail.html", detail_context(request, licence))


def _initial(request) -> dict:
    """A new licence's organisation and product from the page it was started from."""
    initial = {}
    for name in ("organisation", "product"):
        raw = request.GET.get(name, "")
        if raw.isdigit() and len(raw) < 19:
            initial[name] = int(raw)
    return initial


@staff_required(requesters_to_portal=True)
@require_http_methods(["GET", "POST"])
def licence_new(request):
    may_set_key = may_read_licence_keys(request.user)
    options = {"user": request.user, "may_set_key": may_set_key, "editing": False}
    context = {"nav": "assets", "tab": "licences"}
    if request.method == "GET":
        context["form"] = LicenceForm(initial=_initial(request), **options)
        return render(request, "assets/licence_form.html", context)
    form = LicenceForm(request.POST, **options)
    status = 400
    if form.is_valid():
        ok, licence, status = submit(
            form, lambda: actions.create_licence(actor=request.user, **form.values())
        )
        if ok:
            messages.success(request, _("The licence was created."))
            return redirect("assets:licence", pk=licence.pk)
    context["form"] = form
    return render(request, "assets/licence_form.html", context, status=status)


@staff_required(requesters_to_portal=True)
@require_http_methods(["GET", "POST"])
def licence_edit(request, pk: int):
    licence = queries.licence_or_404(request.user, pk)
    may_set_key = may_read_licence_keys(request.user)
    options = {"user": request.user, "may_set_key": may_set_key, "editing": True}
    context = {"nav": "assets", "tab": "licences", "licence": licence}
    if request.method == "GET":
        initial = {name: getattr(licence, name) for name in FORM_FIELDS}
        initial["product"] = licence.product_id
        initial["organisation"] = licence.organisation_id
        initial["supplier"] = licence.supplier_id
        context["form"] = LicenceForm(initial=initial, **options)
        return render(request, "assets/licence_form.html", context)
    form = LicenceForm(request.POST, **options)
    status = 400
    if form.is_valid():
        ok, _done, status = submit(
            form,
            lambda: actions.update_licence(licence=licence, actor=request.user, **form.values()),
        )
        if ok:
            messages.success(request, _("The licence was saved."))
            return redirect("assets:licence", pk=licence.pk)
    context["form"] = form
    return render(request, "assets/licence_form.html", context, status=status)


@staff_required()
@require_POST
def licence_key(request, pk: int):
    """The key in clear, once, in the answer to a POST: never in a page a GET can fetch
    again from a cache or the history."""
    licence = queries.licence_or_404(request.user, pk)
    try:
        key = actions.read_key(licence=licence, actor=request.user)
    except Forbidden as exc:
        messages.error(request, exc.message)
        context = detail_context(request, licence)
        return render(request, "assets/licence_detail.html", context, status=403)
    except crypto.Undecryptable:
        key = ""
        messages.error(request, _("The key cannot be read: the encryption key has changed."))
    context = detail_context(request, licence, key=key)
    template = "assets/partials/licence_key.html" if request.htmx else "assets/licence_detail.html"
    response = render(request, template, context)
    response["Cache-Control"] = "no-store"
    return response


def _assign(request, licence: Licence):
    """Give a seat to the machine or the person named in the POST; returns the form (with
    its errors) and the HTTP status to answer when it was refused, else None."""
    form: MachineSeatForm | PersonSeatForm
    target: dict[str, Any]
    if "asset" in request.POST:
        form = MachineSeatForm(request.POST)
        if not form.is_valid():
            return "machine_form", form, 400
        asset, why = queries.find_asset(
            request.user, licence.organisation_id, form.cleaned_data["asset"]
        )
        if asset is None:
            form.add_error("asset", why)
            return "machine_form", form, 400
        target = {"asset": asset}
        name = "machine_form"
    else:
        form = PersonSeatForm(request.POST, organisation_id=licence.organisation_id)
        if not form.is_valid():
            return "person_form", form, 400
        target = {"user": form.cleaned_data["user"]}
        name = "person_form"
    try:
        actions.assign_licence(licence=licence, actor=request.user, **target)
    except InvalidInput as exc:
        form.add_action_errors(exc)
        return name, form, 400
    except Conflict as exc:
        form.add_error(None, exc.message)
        return name, form, 409
    return None


@staff_required()
@require_POST
def licence_assign(request, pk: int):
    licence = queries.licence_or_404(request.user, pk)
    refused = _assign(request, licence)
    if refused is not None:
        name, form, status = refused
        context = detail_context(request, licence, **{name: form})
        return render(request, "assets/licence_detail.html", context, status=status)
    messages.success(request, _("The seat was assigned."))
    return redirect("assets:licence", pk=licence.pk)


@staff_required()
@require_POST
def licence_unassign(request, pk: int, assignment: int):
    licence = queries.licence_or_404(request.user, pk)
    seat = queries.assignment_or_404(request.user, licence, assignment)
    actions.unassign_licence(assignment=seat, actor=request.user)
    messages.success(request, _("The seat was freed."))
    return redirect("assets:licence", pk=licence.pk)


urlpatterns = [
    path("licences/", licence_list, name="licences"),
    path("licences/new/", licence_new, name="licence-new"),
    path("licences/<int:pk>/", licence_detail, name="licence"),
    path("licences/<int:pk>/edit/", licence_edit, name="licence-edit"),
    path("licences/<int:pk>/key/", licence_key, name="licence-key"),
    path("licences/<int:pk>/seats/", licence_assign, name="licence-assign"),
    path(
        "licences/<int:pk>/seats/<int:assignment>/remove/",
        licence_unassign,
        name="licence-unassign",
    ),
]
