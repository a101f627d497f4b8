"""Contracts: the list by end date, a contract's page with the assets it covers, the forms."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guichet.assets import actions
from guichet.assets import catalogue_queries as queries
from guichet.assets.catalogue_forms import ContractFilterForm, ContractForm, CoverForm
from guichet.assets.catalogue_history import history
from guichet.assets.choices import CatalogueSubject
from guichet.assets.models import Contract
from guichet.assets.views.catalogue_common import filters_only, submit
from guichet.lib.errors import InvalidInput
from guichet.tickets.views.queue_listing import staff_required

FORM_FIELDS = ("name", "kind", "number", "starts_on", "ends_on", "notice_days", "alert_days",
               "price", "notes")  # fmt: skip


@staff_required(requesters_to_portal=True)
@require_GET
def contract_list(request):
    form = ContractFilterForm(request.GET, user=request.user)
    today = timezone.localdate()
    page, status = None, 400
    if form.is_valid():
        found = queries.contract_queryset(request.user, form.filters(), today)
        page = Paginator(found, queries.PAGE_SIZE).get_page(request.GET.get("page"))
        page.object_list = queries.decorate_contracts(list(page.object_list), today)
        status = 200
    context = {
        "nav": "assets",
        "tab": "contracts",
        "form": form,
        "page": page,
        "query": filters_only(request.GET).urlencode(),
    }
    return render(request, "assets/contract_list.html", context, status=status)


def detail_context(request, contract: Contract, **forms) -> dict:
    queries.decorate_contracts([contract], timezone.localdate())
    assets, count = queries.covered_assets(request.user, contract)
    context = {
        "nav": "assets",
        "tab": "contracts",
        "contract": contract,
        "assets": assets,
        "asset_count": count,
        "shown": queries.SHOWN,
        "cover_form": CoverForm(),
        "history": history(request.user, CatalogueSubject.CONTRACT, contract.pk),
    }
    context.update(forms)
    return context


@staff_required(requesters_to_portal=True)
@require_GET
def contract_detail(request, pk: int):
    contract = queries.contract_or_404(request.user, pk)
    return render(request, "assets/contract_detail.html", detail_context(request, contract))


@staff_required(requesters_to_portal=True)
@require_http_methods(["GET", "POST"])
def contract_new(request):
    context = {"nav": "assets", "tab": "contracts"}
    if request.method == "GET":
        raw = request.GET.get("organisation", "")
        initial = {"organisation": int(raw)} if raw.isdigit() and len(raw) < 19 else {}
        context["form"] = ContractForm(initial=initial, user=request.user)
        return render(request, "assets/contract_form.html", context)
    form = ContractForm(request.POST, user=request.user)
    status = 400
    if form.is_valid():
        ok, contract, status = submit(
            form, lambda: actions.create_contract(actor=request.user, **form.values())
        )
        if ok:
            messages.success(request, _("The contract was created."))
            return redirect("assets:contract", pk=contract.pk)
    context["form"] = form
    return render(request, "assets/contract_form.html", context, status=status)


@staff_required(requesters_to_portal=True)
@require_http_methods(["GET", "POST"])
def contract_edit(request, pk: int):
    contract = queries.contract_or_404(request.user, pk)
    context = {"nav": "assets", "tab": "contracts", "contract": contract}
    if request.method == "GET":
        initial = {name: getattr(contract, name) for name in FORM_FIELDS}
        initial.update(organisation=contract.organisation_id, supplier=contract.supplier_id)
        context["form"] = ContractForm(initial=initial, user=request.user)
        return render(request, "assets/contract_form.html", context)
    form = ContractForm(request.POST, user=request.user)
    status = 400
    if form.is_valid():
        ok, _done, status = submit(
            form,
            lambda: actions.update_contract(contract=contract, actor=request.user, **form.values()),
        )
        if ok:
            messages.success(request, _("The contract was saved."))
            return redirect("assets:contract", pk=contract.pk)
    context["form"] = form
    return render(request, "assets/contract_form.html", context, status=status)


@staff_required()
@require_POST
def contract_cover(request, pk: int):
    """Add one machine to those the contract covers. The action takes the whole set: the
    machines since moved to another organisation leave the contract with this change."""
    contract = queries.contract_or_404(request.user, pk)
    form = CoverForm(request.POST)
    if form.is_valid():
        asset, why = queries.find_asset(
            request.user, contract.organisation_id, form.cleaned_data["asset"]
        )
        if asset is None:
            form.add_error("asset", why)
        else:
            wanted = queries.covered_ids(request.user, contract) | {asset.pk}
            try:
                actions.set_contract_assets(contract=contract, actor=request.user, assets=wanted)
            except InvalidInput as exc:
                form.add_action_errors(exc)
            else:
                messages.success(
                    request, _("%(name)s is covered by the contract.") % {"name": asset.name}
                )
                return redirect("assets:contract", pk=contract.pk)
    context = detail_context(request, contract, cover_form=form)
    return render(request, "assets/contract_detail.html", context, status=400)


@staff_required()
@require_POST
def contract_uncover(request, pk: int, asset: int):
    contract = queries.contract_or_404(request.user, pk)
    covered = queries.covered_ids(request.user, contract)
    if asset not in covered:
        raise Http404
    try:
        actions.set_contract_assets(contract=contract, actor=request.user, assets=covered - {asset})
    except InvalidInput as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The machine is no longer covered by the contract."))
    return redirect("assets:contract", pk=contract.pk)


urlpatterns = [
    path("contracts/", contract_list, name="contracts"),
    path("contracts/new/", contract_new, name="contract-new"),
    path("contracts/<int:pk>/", contract_detail, name="contract"),
    path("contracts/<int:pk>/edit/", contract_edit, name="contract-edit"),
    path("contracts/<int:pk>/assets/", contract_cover, name="contract-cover"),
    path(
        "contracts/<int:pk>/assets/<int:asset>/remove/", contract_uncover, name="contract-uncover"
    ),
]
