"""The problems' verbs: the only code that writes problems, their incidents and history."""

from guichet.problems.actions.known_error import publish_known_error
from guichet.problems.actions.links import link_ticket, unlink_ticket
from guichet.problems.actions.problems import create_problem, set_status, update_problem

__all__ = [
    "create_problem",
    "link_ticket",
    "publish_known_error",
    "set_status",
    "unlink_ticket",
    "update_problem",
]
