"""Service report figures as JSON."""

from ninja import Router

router = Router(tags=["service reports"])
