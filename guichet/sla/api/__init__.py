"""The service contracts room's part of the REST API."""

from guichet.sla.api.config import router as config_router
from guichet.sla.api.reports import router as reports_router

__all__ = ["config_router", "reports_router"]
