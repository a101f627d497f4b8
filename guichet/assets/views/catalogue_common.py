"""What the catalogue screens share: page links and the answer to an action's refusal."""

from collections.abc import Callable
from typing import TypeVar

from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guichet.lib.errors import Forbidden, InvalidInput

T = TypeVar("T")
NOT_FILTERS = ("cursor", "page", "csrfmiddlewaretoken")
CURSOR_ERROR = _("This page link is not valid; start again from page one.")


def filters_only(params: QueryDict) -> QueryDict:
    """The filters of a request without the page and the empty fields a GET form sends, so
    that page links stay short."""
    query = QueryDict(mutable=True)
    for name, values in params.lists():
        kept = [value for value in values if value != ""]
        if name not in NOT_FILTERS and kept:
            query.setlist(name, kept)
    return query


def page_url(name: str, params: QueryDict, cursor: str | None, *args, key="cursor") -> str | None:
    """The link to another page of a list: its filters plus the page's cursor."""
    if not cursor:
        return None
    query = filters_only(params)
    query[key] = cursor
    return f"{reverse(f'assets:{name}', args=args)}?{query.urlencode()}"


def submit(form, verb: Callable[[], T]) -> tuple[bool, T | None, int]:
    """Run a valid form's action: (True, its result, 200), or (False, None, status) with
    the refusal put on the form: 400 for field errors, 403 for a forbidden change."""
    try:
        return True, verb(), 200
    except InvalidInput as exc:
        form.add_action_errors(exc)
        return False, None, 400
    except Forbidden as exc:
        form.add_error(None, exc.message)
        return False, None, 403
