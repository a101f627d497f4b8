"""Small factory functions for assets, through the real actions."""

from django.utils import timezone

from guichet.assets import actions
from guichet.assets.models import Asset, Installation, Product, Publisher, SoftwareVersion


def make_asset(actor, organisation, *, name: str = "PC-0412", kind: str = "computer", **fields):
    return actions.create_asset(actor=actor, organisation=organisation, name=name, kind=kind,
                                **fields)  # fmt: skip


def make_product(name: str = "LibreOffice", publisher: str = "The Document Foundation"):
    owner, _ = Publisher.objects.get_or_create(name=publisher)
    product, _ = Product.objects.get_or_create(publisher=owner, name=name)
    return product


def make_version(product: Product, version: str = "24.8") -> SoftwareVersion:
    return SoftwareVersion.objects.get_or_create(product=product, version=version)[0]


def reload(asset: Asset) -> Asset:
    return Asset.objects.get(pk=asset.pk)


def install(asset: Asset, version: SoftwareVersion, *, at=None, installed_on=None):
    """Add `version` to the asset's installations, through the verb the inventory uses."""
    current = {
        row.version_id: (row.product_id, row.installed_on) for row in asset.installations.all()
    }
    current[version.pk] = (version.product_id, installed_on)
    actions.replace_installations(asset=asset, wanted=current, at=at or timezone.now())
    return Installation.objects.get(asset=asset, version=version)
