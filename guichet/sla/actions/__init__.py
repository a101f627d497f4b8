"""The only place where the service contracts room changes data. Each verb runs in one
transaction; views, the API and tasks call these."""

from guichet.sla.actions.calendars import Closure, Opening, save_calendar
from guichet.sla.actions.contracts import TargetIn, save_contract

__all__ = ["Closure", "Opening", "TargetIn", "save_calendar", "save_contract"]
