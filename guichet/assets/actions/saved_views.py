"""A user's saved asset list filters. A preference, not tenant data: no history is kept."""

from django.db import transaction

from guichet.assets.models import AssetView


@transaction.atomic
def save_view(*, user, name: str, query: str) -> AssetView:
    """Keep the filters under a name, replacing the user's view of that name."""
    view, _created = AssetView.objects.update_or_create(
        user=user, name=name, defaults={"query": query}
    )
    return view


@transaction.atomic
def delete_view(*, view: AssetView) -> None:
    view.delete()
