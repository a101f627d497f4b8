"""Staff views of tickets, one module per screen; each module declares its own urlpatterns."""
