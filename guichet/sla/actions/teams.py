"""Team verbs (administrators only): the operational level targets (OLA) of a team."""

from django.db import transaction
from django.utils.translation import gettext as _

from guichet.accounts.models import Team
from guichet.lib.errors import InvalidInput
from guichet.sla.actions.clocks import recompute_later
from guichet.sla.actions.common import require_admin
from guichet.sla.actions.contracts import MAX_TARGET_MINUTES
from guichet.sla.models import TeamTarget

PRIORITIES = range(1, 7)


def _check(targets: dict[int, int | None]) -> dict[str, list[str]]:
    problems: list[str] = []
    for priority, minutes in targets.items():
        if isinstance(priority, bool) or priority not in PRIORITIES:
            problems.append(_("Priorities go from 1 to 6."))
        elif minutes is None:
            continue
        elif (
            isinstance(minutes, bool)
            or not isinstance(minutes, int)
            or not 1 <= minutes <= MAX_TARGET_MINUTES
        ):
            problems.append(
                _("Priority %(priority)d: give a time from 1 minute to a year.")
                % {"priority": priority}
            )
    return {"targets": problems} if problems else {}


@transaction.atomic
def save_team_targets(*, actor, team: Team, targets: dict[int, int | None]) -> dict[int, int]:
    """Set how long `team` may hold a ticket, in business minutes per priority; None removes
    the target of a priority, a priority left out keeps its own. Returns the team's targets
    as they now are."""
    require_admin(actor)
    errors = _check(targets)
    if errors:
        raise InvalidInput(errors)
    current = {t.priority: t for t in TeamTarget.objects.select_for_update().filter(team=team)}
    for priority, minutes in targets.items():
        row = current.get(priority)
        if minutes is None:
            if row is not None:
                row.delete()
                del current[priority]
        elif row is None:
            current[priority] = TeamTarget.objects.create(
                team=team, priority=priority, minutes=minutes
            )
        elif row.minutes != minutes:
            row.minutes = minutes
            row.save(update_fields=["minutes"])
    recompute_later()
    return {priority: row.minutes for priority, row in sorted(current.items())}
