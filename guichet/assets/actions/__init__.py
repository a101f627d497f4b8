"""The asset verbs. Views, the API, imports, tickets and the inventory call these."""

from guichet.assets.actions.assets import (
    add_note,
    bulk_update,
    create_asset,
    link_ticket,
    review_flags,
    unlink_ticket,
    update_asset,
)
from guichet.assets.actions.attachments import add_attachment, remove_attachment
from guichet.assets.actions.catalogue import (
    create_supplier,
    delete_supplier,
    edit_alias,
    merge_products,
    set_product_hidden,
    update_supplier,
)
from guichet.assets.actions.contracts import create_contract, set_contract_assets, update_contract
from guichet.assets.actions.installations import replace_installations
from guichet.assets.actions.licences import (
    assign_licence,
    create_licence,
    read_key,
    unassign_licence,
    update_licence,
)

__all__ = [
    "create_supplier",
    "delete_supplier",
    "edit_alias",
    "merge_products",
    "set_product_hidden",
    "update_supplier",
    "add_attachment",
    "remove_attachment",
    "add_note",
    "assign_licence",
    "bulk_update",
    "create_asset",
    "create_contract",
    "create_licence",
    "link_ticket",
    "read_key",
    "replace_installations",
    "review_flags",
    "set_contract_assets",
    "unassign_licence",
    "unlink_ticket",
    "update_asset",
    "update_contract",
    "update_licence",
]
