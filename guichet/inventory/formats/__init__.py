"""Readers of the inventory agents' protocols and writers of their replies.

`codec` turns a request body into a document (and a reply into a body compressed the same
way), `ocs` reads the XML protocol of OCS Inventory and FusionInventory, `glpi` the JSON
protocol of GLPI Agent; both map their sections through `mapping` and `parts` into one
`guichet.inventory.normal.Inventory`, with the conversions of `values`. No database here.
"""
