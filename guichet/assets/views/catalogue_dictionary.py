"""The software dictionary: what agents report → products, and editing an entry."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from guichet.accounts.access import may_manage_inventory
from guichet.assets import actions
from guichet.assets import catalogue_queries as queries
from guichet.assets.catalogue_forms import AliasForm, SearchForm
from guichet.assets.catalogue_history import history
from guichet.assets.choices import CatalogueSubject
from guichet.assets.models import SoftwareAlias
from guichet.assets.views.catalogue_common import CURSOR_ERROR, page_url, submit
from guichet.tickets.views.queue_listing import staff_required


@staff_required(requesters_to_portal=True)
@require_GET
def dictionary_list(request):
    form = SearchForm(request.GET)
    page, status = None, 200
    if form.is_valid():
        try:
            page = queries.dictionary_page(
                form.cleaned_data["q"].strip(), request.GET.get("cursor")
            )
        except (ValueError, TypeError, OverflowError, ValidationError):
            form.add_error(None, CURSOR_ERROR)
    if page is None:
        status = 400
    context = {
        "nav": "assets",
        "tab": "dictionary",
        "form": form,
        "page": page,
        "may_manage": may_manage_inventory(request.user),
        "next_url": page_url("dictionary", request.GET, page.next_cursor if page else None),
        "prev_url": page_url("dictionary", request.GET, page.prev_cursor if page else None),
    }
    return render(request, "assets/dictionary_list.html", context, status=status)


@staff_required(requesters_to_portal=True)
@require_http_methods(["GET", "POST"])
def alias_edit(request, pk: int):
    alias = get_object_or_404(SoftwareAlias.objects.select_related("product__publisher"), pk=pk)
    context = {
        "nav": "assets",
        "tab": "dictionary",
        "alias": alias,
        "history": history(request.user, CatalogueSubject.ALIAS, alias.pk),
    }
    if not may_manage_inventory(request.user):
        context["refused"] = _("Only supervisors and administrators may change the dictionary.")
        return render(request, "assets/dictionary_edit.html", context, status=403)
    if request.method == "GET":
        context["form"] = AliasForm()
        return render(request, "assets/dictionary_edit.html", context)
    form = AliasForm(request.POST)
    status = 400
    if form.is_valid():
        ok, _done, status = submit(
            form, lambda: actions.edit_alias(alias=alias, actor=request.user, **form.cleaned_data)
        )
        if ok:
            messages.success(
                request, _("The entry was saved; the next inventories will follow it.")
            )
            return redirect("assets:dictionary")
    context["form"] = form
    return render(request, "assets/dictionary_edit.html", context, status=status)


urlpatterns = [
    path("software/dictionary/", dictionary_list, name="dictionary"),
    path("software/dictionary/<int:pk>/edit/", alias_edit, name="dictionary-edit"),
]
