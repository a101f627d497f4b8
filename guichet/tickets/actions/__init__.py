"""The only place where tickets change. Each verb runs in one transaction and records events.

Views, the API, management commands and background tasks call these; none of them writes a
ticket by itself.
"""

from guichet.tickets.actions.conversation import (
    add_attachment,
    add_followup,
    add_task,
    add_watcher,
    link_tickets,
    merge,
    rate_satisfaction,
    remove_watcher,
    set_task_done,
)
from guichet.tickets.actions.lifecycle import (
    accept_solution,
    assign,
    close,
    escalate,
    escalate_to_supervisor,
    open_ticket,
    plan,
    record_arrival,
    refuse_solution,
    reopen,
    require_visit,
    resume,
    set_pending,
    solve,
    update_ticket,
)
from guichet.tickets.actions.periodic import close_solved_tickets, wake_pending_tickets
from guichet.tickets.actions.saved_views import delete_view, save_view

__all__ = [
    "accept_solution",
    "add_attachment",
    "add_followup",
    "add_task",
    "add_watcher",
    "assign",
    "close",
    "close_solved_tickets",
    "delete_view",
    "escalate",
    "escalate_to_supervisor",
    "link_tickets",
    "merge",
    "open_ticket",
    "plan",
    "rate_satisfaction",
    "record_arrival",
    "refuse_solution",
    "remove_watcher",
    "reopen",
    "require_visit",
    "resume",
    "save_view",
    "set_pending",
    "set_task_done",
    "solve",
    "update_ticket",
    "wake_pending_tickets",
]
