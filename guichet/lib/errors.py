"""Errors raised by actions. Views and the API turn them into messages and HTTP statuses."""

from collections.abc import Mapping


class ActionError(Exception):
    """Base of every refusal from a domain action."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = str(message)


class InvalidInput(ActionError):
    """Bad values: maps to HTTP 422 with one list of messages per field."""

    def __init__(self, errors: Mapping[str, list[str] | str]):
        self.errors = {
            k: [str(v)] if not isinstance(v, list) else [str(x) for x in v]
            for k, v in errors.items()
        }
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in self.errors.items()))


class Conflict(ActionError):
    """The object's state forbids the change (e.g. a forbidden status transition): HTTP 409."""


class Forbidden(ActionError):
    """The user may see the object but not do this to it: HTTP 403."""
