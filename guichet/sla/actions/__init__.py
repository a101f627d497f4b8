"""The only place where the service contracts room changes data. Each verb runs in one
transaction; views, the API and tasks call these."""

from guichet.sla.actions.calendars import Closure, Opening, save_calendar
from guichet.sla.actions.clocks import (
    current_contract,
    refresh_clocks,
    refresh_open_tickets,
    set_contract,
)
from guichet.sla.actions.contracts import StepIn, TargetIn, save_contract
from guichet.sla.actions.teams import save_team_targets

__all__ = [
    "Closure",
    "Opening",
    "StepIn",
    "TargetIn",
    "current_contract",
    "refresh_clocks",
    "refresh_open_tickets",
    "save_calendar",
    "save_contract",
    "save_team_targets",
    "set_contract",
]
