"""Staff screens of the assets room, one module per screen; each declares its urlpatterns."""
