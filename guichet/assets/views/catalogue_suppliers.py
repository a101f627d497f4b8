"""Suppliers: who sold an asset or a licence, or holds a contract. Shared by every
organisation, kept by the staff."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guichet.assets import actions
from guichet.assets import catalogue_queries as queries
from guichet.assets.catalogue_forms import SearchForm, SupplierForm
from guichet.assets.catalogue_history import history
from guichet.assets.choices import CatalogueSubject
from guichet.assets.models import Supplier
from guichet.assets.views.catalogue_common import filters_only
from guichet.lib.errors import ActionError, InvalidInput
from guichet.tickets.views.queue_listing import staff_required


@staff_required(requesters_to_portal=True)
@require_GET
def supplier_list(request):
    form = SearchForm(request.GET)
    page, status = None, 400
    if form.is_valid():
        found = queries.suppliers(form.cleaned_data["q"].strip())
        page = Paginator(found, queries.PAGE_SIZE).get_page(request.GET.get("page"))
        status = 200
    context = {
        "nav": "assets",
        "tab": "suppliers",
        "form": form,
        "page": page,
        "query": filters_only(request.GET).urlencode(),
    }
    return render(request, "assets/supplier_list.html", context, status=status)


def _save(request, form: SupplierForm, supplier: Supplier | None):
    """The action's result, or None when it refused (its errors are on the form)."""
    try:
        if supplier is None:
            return actions.create_supplier(actor=request.user, **form.values())
        actions.update_supplier(supplier=supplier, actor=request.user, **form.values())
        return supplier
    except InvalidInput as exc:
        form.add_action_errors(exc)
        return None


@staff_required(requesters_to_portal=True)
@require_http_methods(["GET", "POST"])
def supplier_form(request, pk: int | None = None):
    supplier = None if pk is None else get_object_or_404(Supplier, pk=pk)
    context: dict = {"nav": "assets", "tab": "suppliers", "supplier": supplier}
    if supplier is not None:
        context["history"] = history(request.user, CatalogueSubject.SUPPLIER, supplier.pk)
    if request.method == "GET":
        initial = {} if supplier is None else {
            name: getattr(supplier, name) for name in SupplierForm.base_fields}  # fmt: skip
        context["form"] = SupplierForm(initial=initial)
        return render(request, "assets/supplier_form.html", context)
    form = SupplierForm(request.POST)
    if form.is_valid() and _save(request, form, supplier) is not None:
        if supplier is None:
            messages.success(request, _("The supplier was created."))
        else:
            messages.success(request, _("The supplier was saved."))
        return redirect("assets:suppliers")
    context["form"] = form
    return render(request, "assets/supplier_form.html", context, status=400)


@staff_required(requesters_to_portal=True)
@require_POST
def supplier_delete(request, pk: int):
    supplier = get_object_or_404(Supplier, pk=pk)
    try:
        actions.delete_supplier(supplier=supplier, actor=request.user)
    except ActionError as exc:
        messages.error(request, exc.message)
        return redirect("assets:supplier-edit", pk=supplier.pk)
    messages.success(request, _("The supplier “%(name)s” was deleted.") % {"name": supplier.name})
    return redirect("assets:suppliers")


urlpatterns = [
    path("suppliers/", supplier_list, name="suppliers"),
    path("suppliers/new/", supplier_form, name="supplier-new"),
    path("suppliers/<int:pk>/edit/", supplier_form, name="supplier-edit"),
    path("suppliers/<int:pk>/delete/", supplier_delete, name="supplier-delete"),
]
