"""The asset records: machines and devices, their components, software and licences,
contracts, and their history."""

from guichet.assets.models.assets import (
    Asset,
    AssetAttachment,
    AssetEvent,
    AssetView,
    Component,
    Manufacturer,
    Supplier,
    TicketAsset,
)
from guichet.assets.models.contracts import Contract
from guichet.assets.models.history import CatalogueEvent
from guichet.assets.models.software import (
    Installation,
    Licence,
    LicenceAssignment,
    Product,
    ProductUsage,
    Publisher,
    SoftwareAlias,
    SoftwareVersion,
)

__all__ = [
    "Asset",
    "AssetAttachment",
    "AssetEvent",
    "AssetView",
    "CatalogueEvent",
    "Component",
    "Contract",
    "Installation",
    "Licence",
    "LicenceAssignment",
    "Manufacturer",
    "Product",
    "ProductUsage",
    "Publisher",
    "SoftwareAlias",
    "SoftwareVersion",
    "Supplier",
    "TicketAsset",
]
