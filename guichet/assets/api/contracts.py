"""Supplier contracts covering assets: list, read, create, change, the assets covered.

Under `/asset-contracts`: `/contracts` is the service contracts' (`sla.api`).

Visible under the licences' rule: the support staff see the contracts of the organisations
they serve, an organisation's manager their own, other requesters none.
"""

from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from ninja import Field, Query, Schema, Status

from guichet.accounts.access import visible_assets, visible_contracts
from guichet.assets import actions
from guichet.assets.choices import ContractKind, Source
from guichet.assets.models import Contract
from guichet.lib.pagination import keyset_page
from guichet.lib.schemas import (
    Day,
    Id,
    PageOut,
    Ref,
    Text,
    built_response,
    optional,
    page_cursor,
    responses,
)

from .base import (
    LIST_MAX,
    NOTES_MAX,
    Days,
    Input,
    ItemId,
    Money,
    SupplierName,
    enum_values,
    page_out,
    ref,
    router,
)

tags = ["asset contracts"]
SEARCH_TERMS = 8


class AssetContractFilters(Schema):
    q: Text = Field("", max_length=200, description="Words of the name or contract number.")
    kind: ContractKind | None = None
    organisation: Id | None = None
    asset: Id | None = Field(None, description="Contracts covering this asset.")
    ends_before: Day | None = Field(None, description="Contracts ending on or before this day.")
    cursor: Text | None = Field(None, max_length=500)
    limit: int = Field(50, ge=1, le=200)


class AssetContractOut(Schema):
    id: int
    kind: ContractKind
    name: str
    number: str
    supplier: Ref | None
    organisation: Ref
    starts_on: date
    ends_on: date
    notice_days: int
    alert_days: int = Field(description="The staff are alerted this many days before the end.")
    price: Decimal | None
    asset_count: int = Field(description="Assets covered.")
    created_at: datetime
    updated_at: datetime


class AssetContractDetail(AssetContractOut):
    notes: str
    assets: list[Ref] = Field(description="The assets covered that the caller may see.")


class AssetContractPage(PageOut):
    items: list[AssetContractOut]


class _AssetContractFields(Input):
    number: Text = optional(max_length=100)
    supplier: SupplierName | None = None
    notice_days: Days = optional()
    alert_days: Days = optional()
    price: Money | None = None
    notes: Text = optional(max_length=NOTES_MAX)


class AssetContractIn(_AssetContractFields):
    """A new contract (support staff), for an organisation they serve."""

    kind: ContractKind
    name: Text = Field(..., min_length=1, max_length=200)
    organisation: Id
    starts_on: Day
    ends_on: Day


class AssetContractUpdate(_AssetContractFields):
    """The fields to change (support staff); those left out keep their value."""

    kind: ContractKind = optional()
    name: Text = optional(min_length=1, max_length=200)
    organisation: Id = optional()
    starts_on: Day = optional()
    ends_on: Day = optional()


class AssetContractAssetsIn(Input):
    assets: list[Id] = Field(
        ..., max_length=LIST_MAX, description="Every asset covered, of the contract's organisation."
    )


def contracts_for(user) -> QuerySet:
    queryset = Contract.objects.select_related("supplier", "organisation")
    return visible_contracts(user, queryset).annotate(asset_count=Count("assets"))


def contract_for(user, contract_id: int) -> Contract:
    contract = contracts_for(user).filter(pk=contract_id).first()
    if contract is None:
        raise Http404
    return contract


def contract_out(contract: Contract) -> dict:
    return {
        "id": contract.pk,
        "kind": contract.kind,
        "name": contract.name,
        "number": contract.number,
        "supplier": ref(contract.supplier),
        "organisation": ref(contract.organisation),
        "starts_on": contract.starts_on,
        "ends_on": contract.ends_on,
        "notice_days": contract.notice_days,
        "alert_days": contract.alert_days,
        "price": contract.price,
        "asset_count": contract.asset_count,  # type: ignore[attr-defined]
        "created_at": contract.created_at,
        "updated_at": contract.updated_at,
    }


def contract_detail(user, contract: Contract) -> dict:
    assets = visible_assets(user, contract.assets.order_by("name", "id")).only("id", "name")
    return {
        **contract_out(contract),
        "notes": contract.notes,
        "assets": [{"id": a.pk, "name": a.name} for a in assets],
    }


@router.get(
    "/asset-contracts",
    response=responses(AssetContractPage),
    summary="List asset contracts",
    tags=tags,
)
def list_contracts(request, filters: Query[AssetContractFilters]):
    """Contracts the caller may see, newest first, with the number of assets covered."""
    contracts = contracts_for(request.auth)
    for term in filters.q.split()[:SEARCH_TERMS]:
        contracts = contracts.filter(Q(name__icontains=term) | Q(number__icontains=term))
    if filters.kind is not None:
        contracts = contracts.filter(kind=filters.kind.value)
    if filters.organisation is not None:
        contracts = contracts.filter(organisation_id=filters.organisation)
    if filters.asset is not None:
        contracts = contracts.filter(pk__in=Contract.assets.through.objects.filter(
            asset_id=filters.asset).values("contract_id"))  # fmt: skip
    if filters.ends_before is not None:
        contracts = contracts.filter(ends_on__lte=filters.ends_before)
    page = keyset_page(
        contracts,
        field="id",
        descending=True,
        size=filters.limit,
        cursor=page_cursor(filters.cursor, int),
    )
    return built_response(request, page_out(page, [contract_out(c) for c in page.items]))


@router.post(
    "/asset-contracts",
    response=responses(AssetContractDetail, 201),
    summary="Create an asset contract",
    tags=tags,
)
def create_contract(request, payload: AssetContractIn):
    """A new contract (support staff); the assets it covers are set with
    `PUT /asset-contracts/{id}/assets`."""
    user = request.auth
    changes = enum_values(payload.model_dump(exclude_unset=True))
    contract = actions.create_contract(actor=user, source=Source.API, **changes)
    return Status(201, contract_detail(user, contract_for(user, contract.pk)))


@router.get(
    "/asset-contracts/{contract_id}",
    response=responses(AssetContractDetail),
    summary="Read an asset contract",
    tags=tags,
)
def read_contract(request, contract_id: ItemId):
    """One contract with the assets it covers."""
    user = request.auth
    return contract_detail(user, contract_for(user, contract_id))


@router.patch(
    "/asset-contracts/{contract_id}",
    response=responses(AssetContractDetail),
    summary="Change an asset contract",
    tags=tags,
)
def update_contract(request, contract_id: ItemId, payload: AssetContractUpdate):
    """Change the fields sent (support staff); a new end date re-arms the end-of-contract
    alert."""
    user = request.auth
    contract = contract_for(user, contract_id)
    changes = enum_values(payload.model_dump(exclude_unset=True))
    actions.update_contract(contract=contract, actor=user, source=Source.API, **changes)
    return contract_detail(user, contract_for(user, contract.pk))


@router.put(
    "/asset-contracts/{contract_id}/assets",
    response=responses(AssetContractDetail),
    summary="Set the assets a contract covers",
    tags=tags,
)
def set_contract_assets(request, contract_id: ItemId, payload: AssetContractAssetsIn):
    """Replace the assets the contract covers (support staff): all of them of the contract's
    organisation, an empty list for none. Each asset added or removed gets an event in its
    history."""
    user = request.auth
    contract = contract_for(user, contract_id)
    actions.set_contract_assets(
        contract=contract, actor=user, assets=payload.assets, source=Source.API
    )
    return contract_detail(user, contract_for(user, contract.pk))
