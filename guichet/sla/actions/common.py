"""What the calendar and contract verbs share."""

from django.utils.translation import gettext as _

from guichet.lib.errors import Forbidden


def require_admin(actor) -> None:
    if not actor.is_admin:
        raise Forbidden(_("Only administrators can change this."))
