"""API v1 for tickets. `router` is mounted at /tickets, `reference_router` at the API root.

Each module adds its operations to the routers when imported.
"""

from . import conversation, reference, relations, tickets, transitions  # noqa: F401
from .base import reference_router, router

__all__ = ["reference_router", "router"]
