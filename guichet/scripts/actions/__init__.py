"""The scripts' verbs: the only code that writes scripts, their versions and their runs."""

from guichet.scripts.actions.runs import (
    answer,
    attach_run,
    confirm_solved,
    open_ticket_after_run,
    start_run,
    step_back,
    stop,
)
from guichet.scripts.actions.scripts import (
    create_script,
    export_document,
    import_document,
    may_edit,
    save_version,
    update_script,
)

__all__ = [
    "answer",
    "attach_run",
    "confirm_solved",
    "create_script",
    "export_document",
    "import_document",
    "may_edit",
    "open_ticket_after_run",
    "save_version",
    "start_run",
    "step_back",
    "stop",
    "update_script",
]
