"""The software catalogue: the products, a product's page, hiding and merging products."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from guichet.accounts.access import may_manage_inventory
from guichet.assets import actions
from guichet.assets import catalogue_queries as queries
from guichet.assets.catalogue_forms import MergeForm, SoftwareFilterForm
from guichet.assets.catalogue_history import history
from guichet.assets.choices import CatalogueSubject
from guichet.assets.models import Product
from guichet.assets.views.catalogue_common import CURSOR_ERROR, page_url, submit
from guichet.lib.errors import Forbidden
from guichet.tickets.views.queue_listing import staff_required


@staff_required(requesters_to_portal=True)
@require_GET
def software_list(request):
    form = SoftwareFilterForm(request.GET)
    page, status = None, 200
    if form.is_valid():
        try:
            page = queries.software_page(request.user, form.filters(), request.GET.get("cursor"))
        except (ValueError, TypeError, OverflowError, ValidationError):
            form.add_error(None, CURSOR_ERROR)
    if page is None:
        status = 400
    context = {
        "nav": "assets",
        "tab": "software",
        "form": form,
        "page": page,
        "next_url": page_url("software", request.GET, page.next_cursor if page else None),
        "prev_url": page_url("software", request.GET, page.prev_cursor if page else None),
    }
    return render(request, "assets/software_list.html", context, status=status)


def _product(pk) -> Product:
    return get_object_or_404(Product.objects.select_related("publisher"), pk=pk)


def product_context(request, product: Product, **forms) -> dict:
    """Everything a product's page shows; `forms` replaces a form that came back with errors."""
    user = request.user
    manager = may_manage_inventory(user)
    try:
        machines = queries.product_machines(user, product, request.GET.get("cursor"))
    except (ValueError, TypeError, OverflowError, ValidationError):
        machines = queries.product_machines(user, product, None)
        messages.error(request, CURSOR_ERROR)
    aliases, alias_count = queries.product_aliases(product)
    context = {
        "nav": "assets",
        "tab": "software",
        "product": product,
        "versions": queries.product_versions(user, product),
        "machines": machines,
        "next_url": page_url("product", request.GET, machines.next_cursor, product.pk),
        "prev_url": page_url("product", request.GET, machines.prev_cursor, product.pk),
        "licences": queries.product_licences(user, product),
        "aliases": aliases,
        "alias_count": alias_count,
        "may_manage": manager,
        "merge_form": MergeForm(product=product) if manager else None,
        "history": history(user, CatalogueSubject.PRODUCT, product.pk),
    }
    context.update(forms)
    return context


@staff_required(requesters_to_portal=True)
@require_GET
def product_detail(request, pk: int):
    product = _product(pk)
    return render(request, "assets/product_detail.html", product_context(request, product))


@staff_required()
@require_POST
def product_hide(request, pk: int):
    product = _product(pk)
    hidden = request.POST.get("hidden") == "1"
    try:
        actions.set_product_hidden(product=product, actor=request.user, hidden=hidden)
    except Forbidden as exc:
        messages.error(request, exc.message)
        context = product_context(request, product)
        return render(request, "assets/product_detail.html", context, status=403)
    if hidden:
        messages.success(request, _("The product is hidden from the lists and reports."))
    else:
        messages.success(request, _("The product is shown in the lists and reports again."))
    return redirect("assets:product", pk=product.pk)


@staff_required()
@require_POST
def product_merge(request, pk: int):
    product = _product(pk)
    form = MergeForm(request.POST, product=product)
    status = 400
    if form.is_valid():
        target = form.cleaned_data["target"]
        ok, _done, status = submit(
            form, lambda: actions.merge_products(source=product, target=target, actor=request.user)
        )
        if ok:
            messages.success(
                request,
                _("%(source)s was merged into %(target)s.")
                % {"source": product.name, "target": target.name},
            )
            return redirect("assets:product", pk=target.pk)
    context = product_context(request, product, merge_form=form)
    return render(request, "assets/product_detail.html", context, status=status)


urlpatterns = [
    path("software/", software_list, name="software"),
    path("software/<int:pk>/", product_detail, name="product"),
    path("software/<int:pk>/hide/", product_hide, name="product-hide"),
    path("software/<int:pk>/merge/", product_merge, name="product-merge"),
]
