"""Prepared reads of the scripts room used by other rooms' screens."""

from django.utils.translation import gettext as _

from guichet.accounts.access import visible_script_runs
from guichet.lib.errors import InvalidInput
from guichet.scripts.choices import RunChannel
from guichet.scripts.models import ScriptRun


def intake_run(user, value) -> ScriptRun | None:
    """The phone-intake run posted with the intake form (`script_run`), None if none; one
    that is not the user's own, or already on a ticket, is refused."""
    if value in (None, ""):
        return None
    value = str(value)
    run = None
    if value.isdigit() and len(value) < 19:
        run = (
            visible_script_runs(user)
            .filter(
                pk=int(value), ticket__isnull=True, user_id=user.pk, channel=RunChannel.INTAKE
            )  # fmt: skip
            .select_related("version__script")
            .first()
        )
    if run is None:
        raise InvalidInput({"script_run": _("This script run cannot be attached; start it again.")})
    return run
