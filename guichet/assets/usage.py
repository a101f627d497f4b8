"""Keeping `ProductUsage` (active machines per product and organisation) true.

The table is derived from the installations, the machines' states and organisations. The
verbs that change any of these call the functions here inside their own transaction, so
the counts commit or roll back with the change that moved them:

- `assets.actions.installations.replace_installations` (the inventory, by hand): the
  products that appear on or vanish from an active machine;
- `assets.actions.assets.update_asset` (forms, bulk edit, CSV import, API, agents): a
  machine that changes organisation, or goes between an active and an inactive state;
- `assets.actions.catalogue.merge_products`: the merged product is counted again.

A machine counts once per product whatever the number of its versions installed. The
increments of one change are written by a single upsert, keys in order, so that two
agents' transactions take the rows' locks in the same order; a count that reaches zero
keeps its row (readers ask for `machines > 0`).

`rebuild` counts everything again from the installations: for loaders that write
installations in bulk, and to check the maintained counts in tests.
"""

from collections import Counter
from collections.abc import Iterable, Mapping

from django.db import connection

from guichet.assets.choices import ACTIVE_STATES
from guichet.assets.models import Asset, Installation, ProductUsage

CHUNK = 300  # keys per upsert: three parameters each, well under SQLite's limit
TABLE = ProductUsage._meta.db_table


def is_active(state: str) -> bool:
    return state in ACTIVE_STATES


def shift(deltas: Mapping[tuple[int, int], int]) -> None:
    """Add each delta to the count of its (product id, organisation id)."""
    items = sorted((key, delta) for key, delta in deltas.items() if delta)
    with connection.cursor() as cursor:
        for start in range(0, len(items), CHUNK):
            chunk = items[start : start + CHUNK]
            values = ", ".join(["(%s, %s, %s)"] * len(chunk))
            params = [value for (product, org), delta in chunk for value in (product, org, delta)]
            cursor.execute(
                f"INSERT INTO {TABLE} (product_id, organisation_id, machines) "  # noqa: S608
                f"VALUES {values} ON CONFLICT (product_id, organisation_id) "
                f"DO UPDATE SET machines = {TABLE}.machines + excluded.machines",
                params,
            )


def products_changed(asset: Asset, before: Iterable[int], after: Iterable[int]) -> None:
    """An asset's set of installed products went from `before` to `after`."""
    if not is_active(asset.state):
        return
    old, new = set(before), set(after)
    deltas: Counter = Counter()
    for product in new - old:
        deltas[(product, asset.organisation_id)] += 1
    for product in old - new:
        deltas[(product, asset.organisation_id)] -= 1
    shift(deltas)


def asset_moved(asset: Asset, *, organisation_id: int, state: str) -> None:
    """`asset` (already saved with its new organisation and state) was of `organisation_id`
    in `state` before."""
    was, now = is_active(state), is_active(asset.state)
    if (organisation_id, was) == (asset.organisation_id, now) or not (was or now):
        return
    products = set(Installation.objects.filter(asset=asset).values_list("product_id", flat=True))
    deltas: Counter = Counter()
    for product in products:
        if was:
            deltas[(product, organisation_id)] -= 1
        if now:
            deltas[(product, asset.organisation_id)] += 1
    shift(deltas)


def _count(where: str = "", params: tuple = ()) -> None:
    states = ", ".join(["%s"] * len(ACTIVE_STATES))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (product_id, organisation_id, machines) "  # noqa: S608
            "SELECT i.product_id, a.organisation_id, COUNT(DISTINCT i.asset_id) "
            f"FROM {Installation._meta.db_table} i JOIN {Asset._meta.db_table} a "
            f"ON a.id = i.asset_id WHERE a.state IN ({states}) {where} "
            "GROUP BY i.product_id, a.organisation_id",
            [*ACTIVE_STATES, *params],
        )


def recount(product_ids: Iterable[int]) -> None:
    """Count these products again, from their installations."""
    for product in sorted(set(product_ids)):
        ProductUsage.objects.filter(product_id=product).delete()
        _count("AND i.product_id = %s", (product,))


def rebuild() -> None:
    """Count every product again, from all the installations."""
    ProductUsage.objects.all().delete()
    _count()
