"""Staff screens of the problems room, one module per screen; each declares its urlpatterns."""
