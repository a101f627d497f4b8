"""The assets API."""

from ninja import Router

router = Router(tags=["assets"])
