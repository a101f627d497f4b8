"""The assets an export or a label sheet is made of: those the user may see, narrowed by the
list page's filters read from the same query string (?q=…&kind=…&state=…&organisation=…), so
that "download" and "print labels" give what the list shows."""

from django.db.models import QuerySet
from django.utils import timezone

from guichet.accounts.access import visible_assets
from guichet.assets.forms import FilterForm
from guichet.lib.errors import InvalidInput


def filtered_assets(user, params) -> QuerySet:
    """InvalidInput (one message list per filter) when a filter's value is not valid."""
    form = FilterForm(params, user=user)
    if not form.is_valid():
        raise InvalidInput(
            {name: [str(error) for error in errors] for name, errors in form.errors.items()}
        )
    now = timezone.now()
    today = timezone.localdate(now)
    return form.filters().apply(visible_assets(user), user, now=now, today=today)
