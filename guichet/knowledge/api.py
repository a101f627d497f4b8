"""The knowledge API (see guichet/api.py for authentication and errors)."""

from ninja import Router

router = Router(tags=["knowledge"])
