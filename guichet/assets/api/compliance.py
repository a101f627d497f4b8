"""Licence compliance: per product and organisation, installs against entitlements.

Declared before `/licences/{licence_id}` so that the path is never read as a licence's id.
"""

from ninja import Query

from guichet.assets.compliance import compliance
from guichet.lib.schemas import responses

from .base import router
from .licence_schemas import ComplianceFilters, ComplianceOut


def row_out(row) -> dict:
    return {
        "product": {"id": row.product_id, "name": row.product},
        "publisher": row.publisher,
        "organisation": {"id": row.organisation_id, "name": row.organisation},
        "installed": row.installed,
        "entitled": row.entitled,
        "difference": row.difference,
        "licences": row.licences,
        "status": row.status,
        "status_label": row.status_label,
    }


@router.get(
    "/licences/compliance",
    response=responses(list[ComplianceOut]),
    summary="Licence compliance",
    tags=["licences"],
)
def licence_compliance(request, filters: Query[ComplianceFilters]):
    """One row per product and organisation with a licence, among the organisations the
    caller may see: the active machines with the product installed against the machines the
    licences valid today cover (a site licence: no limit). `status` is `compliant`, `over`
    (more seats than installs), `under` (more installs than seats) or `unlimited`."""
    products = None if filters.product is None else [filters.product]
    rows = compliance(request.auth, organisation=filters.organisation, products=products)
    return [row_out(r) for r in rows]
