"""What is installed on a machine: written here only, so that the usage counts that licence
compliance reads (`assets.usage`) move in the same transaction."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction

from guichet.assets import usage
from guichet.assets.models import Asset, Installation


@dataclass(frozen=True)
class InstallationChange:
    existing: dict[int, int]  # version id → product id, before the change
    added: list[int]  # version ids
    removed: list[int]


# Part of its caller's transaction when there is one: a savepoint would cost two round trips
# per inventory and nothing here is retried on its own.
@transaction.atomic(savepoint=False)
def replace_installations(
    *, asset: Asset, wanted: dict[int, tuple[int, date | None]], at: datetime
) -> InstallationChange:
    """Make the asset's installations exactly `wanted` (version id → (product id, date
    installed)): new versions are first seen `at`, those not wanted are removed, the others
    keep their first sighting."""
    existing = dict(asset.installations.values_list("version_id", "product_id"))
    added = [v for v in wanted if v not in existing]
    removed = [v for v in existing if v not in wanted]
    Installation.objects.bulk_create(
        [
            Installation(
                asset=asset,
                product_id=wanted[v][0],
                version_id=v,
                installed_on=wanted[v][1],
                first_seen=at,
            )
            for v in added
        ]
    )
    if removed:
        asset.installations.filter(version_id__in=removed).delete()
    if added or removed:
        usage.products_changed(
            asset, existing.values(), (product for product, _on in wanted.values())
        )
    return InstallationChange(existing=existing, added=added, removed=removed)
