"""Alerts before contracts end: once per end date, to the staff serving the client."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from django.utils.module_loading import import_string

from guichet.assets import actions
from guichet.assets.actions.alerts import KIND, alert_expiring_contracts
from guichet.assets.models import Contract
from guichet.assets.tasks import alert_contracts
from guichet.notifications.models import Notification
from guichet.worker.schedule import JOBS

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 1)


def contract(actor, organisation, ends_in: int, alert_days: int = 30, name: str = "Dell care",
             today: date = TODAY):  # fmt: skip
    return actions.create_contract(actor=actor, organisation=organisation, kind="maintenance",
                                   name=name, starts_on=today - timedelta(days=365),
                                   ends_on=today + timedelta(days=ends_in),
                                   alert_days=alert_days)  # fmt: skip


def alerted() -> list[tuple[str, str]]:
    return sorted(Notification.objects.filter(kind=KIND).values_list("user__username", "message"))


def test_the_staff_serving_the_organisation_are_told_once_the_alert_period_starts(
    alice, sam, dave, bob, acme
):
    soon = contract(alice, acme, ends_in=30)
    assert alert_expiring_contracts(today=TODAY - timedelta(days=1)) == 0
    assert alert_expiring_contracts(today=TODAY) == 1
    users = [user for user, _message in alerted()]
    assert users == ["alice", "sam"]  # not dave (Globex), not bob (a client)
    assert "Dell care" in alerted()[0][1] and "Acme" in alerted()[0][1]
    soon.refresh_from_db()
    assert soon.alerted_for == soon.ends_on


def test_it_alerts_once_per_end_date(alice, sam, acme):
    contract(alice, acme, ends_in=10)
    assert alert_expiring_contracts(today=TODAY) == 1
    assert alert_expiring_contracts(today=TODAY) == 0
    assert alert_expiring_contracts(today=TODAY + timedelta(days=5)) == 0
    assert len(alerted()) == 2


def test_moving_the_end_date_re_arms_the_alert(alice, sam, acme):
    renewed = contract(alice, acme, ends_in=10)
    alert_expiring_contracts(today=TODAY)
    actions.update_contract(contract=renewed, actor=alice, ends_on=TODAY + timedelta(days=400))
    assert alert_expiring_contracts(today=TODAY) == 0  # the new end is far away
    assert alert_expiring_contracts(today=TODAY + timedelta(days=370)) == 1
    assert len(alerted()) == 4
    renewed.refresh_from_db()
    assert renewed.alerted_for == TODAY + timedelta(days=400)


def test_a_contract_claimed_by_another_worker_is_left_to_it(alice, acme):
    taken = contract(alice, acme, ends_in=5)
    Contract.objects.filter(pk=taken.pk).update(alerted_for=taken.ends_on)
    assert alert_expiring_contracts(today=TODAY) == 0
    assert alerted() == []


def test_each_contract_follows_its_own_alert_period(alice, acme):
    contract(alice, acme, ends_in=20, alert_days=7, name="Short notice")
    contract(alice, acme, ends_in=20, alert_days=60, name="Long notice")
    assert alert_expiring_contracts(today=TODAY) == 1
    assert "Long notice" in alerted()[0][1]


def test_contracts_long_ended_are_history_not_news(alice, acme):
    contract(alice, acme, ends_in=-30)
    contract(alice, acme, ends_in=-2, name="Just ended")
    assert alert_expiring_contracts(today=TODAY) == 1
    assert "Just ended" in alerted()[0][1]


def test_administrators_are_told_when_no_team_serves_the_client(alice, root, globex):
    contract(root, globex, ends_in=3)
    assert alert_expiring_contracts(today=TODAY) == 1
    assert [user for user, _message in alerted()] == ["root"]


def test_the_worker_runs_the_alerts_every_hour(alice, sam, acme):
    (job,) = [job for job in JOBS if job.name == "assets.contract_alerts"]
    assert import_string(job.task) is alert_contracts
    assert job.every == timedelta(hours=1)
    contract(alice, acme, ends_in=0, alert_days=0, today=timezone.localdate())
    assert alert_contracts.call() == 1
    assert alert_contracts.call() == 0
