"""Field errors of an action (`InvalidInput`) placed on the form that collected the input."""

from guichet.lib.errors import InvalidInput


class ActionErrors:
    """Puts an action's field errors next to the matching field; `group_errors` keeps the
    others, which the template shows by a group of fields or in the error summary. `renames`
    maps the action's field names to the form's where they differ (sizes typed in MB)."""

    renames: dict[str, str] = {}
    group_errors: dict[str, list[str]]

    def add_action_errors(self, error: InvalidInput) -> None:
        self.group_errors = {}
        for field, messages in error.errors.items():
            name = self.renames.get(field, field)
            for message in messages:
                if name in self.fields:  # type: ignore[attr-defined]
                    self.add_error(name, message)  # type: ignore[attr-defined]
                else:
                    self.group_errors.setdefault(name, []).append(message)

    def group_error_list(self) -> list[str]:
        return [m for messages in getattr(self, "group_errors", {}).values() for m in messages]
