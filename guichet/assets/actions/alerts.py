"""Alerts before supplier contracts end, sent by the worker (`assets.tasks`)."""

from collections import defaultdict
from datetime import date, timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from guichet.accounts.choices import Role
from guichet.accounts.models import User
from guichet.assets.models import Contract
from guichet.notifications.actions import notify

# A contract that ended longer ago than this is history, not news: one entered late, or
# while the worker was stopped, is not announced.
LATE_BY = timedelta(days=7)
KIND = "contract"


def _recipients(contract: Contract) -> list[User]:
    """The active staff of the teams serving the contract's organisation; administrators
    when no team serves it, so that the alert reaches someone."""
    staff = User.objects.filter(
        is_active=True, teams__organisations=contract.organisation_id
    ).exclude(role=Role.REQUESTER)
    found = list(staff.distinct())
    if not found:
        found = list(User.objects.filter(Q(role=Role.ADMIN) | Q(is_superuser=True), is_active=True))
    return found


def _alert(contract: Contract) -> int:
    by_language: dict[str, list[User]] = defaultdict(list)
    for user in _recipients(contract):
        by_language[user.language].append(user)
    sent = 0
    for language, users in sorted(by_language.items()):
        with translation.override(language):
            message = _("Contract “%(name)s” of %(organisation)s ends on %(date)s.") % {
                "name": contract.name,
                "organisation": contract.organisation.name,
                "date": date_format(contract.ends_on, "DATE_FORMAT"),
            }
            sent += notify(users=users, kind=KIND, message=message)
    return sent


def alert_expiring_contracts(*, today: date | None = None) -> int:
    """Tell the staff about every contract within its alert period (`ends_on - alert_days`
    reached) not yet announced for its current end date; returns how many were announced.

    Each contract is claimed by a conditional UPDATE of `alerted_for` in the transaction
    that creates its notifications: a second worker finds it claimed and skips it, and a
    failure leaves it to announce on the next run. Moving the end date re-arms the alert.
    """
    today = today or timezone.localdate()
    candidates = (
        Contract.objects.filter(ends_on__gte=today - LATE_BY)
        .filter(Q(alerted_for__isnull=True) | ~Q(alerted_for=F("ends_on")))
        .values_list("pk", "ends_on", "alert_days")
    )
    # The alert periods differ per contract; date arithmetic on a column differs between
    # SQLite and PostgreSQL, and the unannounced contracts are few: the last step is here.
    due = [(pk, end) for pk, end, days in candidates if end - timedelta(days=days) <= today]
    announced = 0
    for pk, end in due:
        with transaction.atomic():
            claimed = (
                Contract.objects.filter(pk=pk, ends_on=end)
                .filter(Q(alerted_for__isnull=True) | ~Q(alerted_for=end))
                .update(alerted_for=end)
            )
            if not claimed:
                continue  # another worker got there first, or the end date just moved
            contract = Contract.objects.select_related("organisation").get(pk=pk)
            _alert(contract)
            announced += 1
    return announced
