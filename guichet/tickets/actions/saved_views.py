"""Saved queue views: a user keeps a named set of queue filters (a query string)."""

from django.db import transaction
from django.http import QueryDict
from django.utils.translation import gettext as _

from guichet.accounts.models import User
from guichet.lib.errors import InvalidInput
from guichet.tickets.filters import parse_filters
from guichet.tickets.models import SavedView

NAME_MAX = 100
QUERY_MAX = 1000


@transaction.atomic
def save_view(*, user: User, name: str, query: str) -> SavedView:
    """Save the filters under a name; saving again under the same name replaces them."""
    errors: dict = {}
    name = (name or "").strip()
    query = (query or "").strip().lstrip("?")
    if not name:
        errors["name"] = _("This field is required.")
    elif len(name) > NAME_MAX or "\x00" in name:
        errors["name"] = _("At most %(n)d characters.") % {"n": NAME_MAX}
    if len(query) > QUERY_MAX:
        errors["query"] = _("At most %(n)d characters.") % {"n": QUERY_MAX}
    else:
        # Only filters that the queue accepts may be saved: a view must always open.
        try:
            parse_filters(QueryDict(query))
        except InvalidInput as exc:
            errors["query"] = [f"{field}: {' '.join(msgs)}" for field, msgs in exc.errors.items()]
    if errors:
        raise InvalidInput(errors)
    view, _created = SavedView.objects.update_or_create(
        user=user, name=name, defaults={"query": query}
    )
    return view


@transaction.atomic
def delete_view(*, user: User, view_id: int) -> bool:
    """Delete one of the user's own views; another user's view is never touched."""
    deleted, _rows = SavedView.objects.filter(user=user, pk=view_id).delete()
    return bool(deleted)
