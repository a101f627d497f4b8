"""What every administrators' screen of the mail channel shares: who may open it, and the
page it renders into (the Configuration tabs, `nav` set)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render

PAGE_SIZE = 50


def admin_only(request) -> None:
    if not request.user.is_admin:
        raise PermissionDenied


def page(request, template: str, context: dict, status: int = 200):
    return render(
        request, f"mail/admin/{template}", {"nav": "configuration", **context}, status=status
    )


def error_text(error: Exception) -> str:
    """An action's refusal as one line for a message."""
    return getattr(error, "message", "") or str(error)
