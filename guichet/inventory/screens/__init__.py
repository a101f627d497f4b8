"""Staff screens of the inventory room, one module per screen; each declares its urlpatterns.
Supervisors and administrators only (`access.may_manage_inventory`)."""
