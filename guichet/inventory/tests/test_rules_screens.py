"""The rules screen through HTTP: the reconciliation rules' order and switches, and the tag
rules, each limited to the organisations the supervisor serves."""

import pytest
from django.urls import reverse

from guichet.accounts.choices import Role
from guichet.accounts.tests.factories import make_location
from guichet.inventory import actions
from guichet.inventory.choices import DEFAULT_RULES
from guichet.inventory.models import ReconciliationRule, TagRule

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def rules(db):
    for position, criterion in enumerate(DEFAULT_RULES, start=1):
        ReconciliationRule.objects.get_or_create(criterion=criterion,
                                                 defaults={"position": position * 10})  # fmt: skip


@pytest.fixture
def globex_supervisor(dave):
    dave.role = Role.SUPERVISOR
    dave.save()
    return dave


def _saved() -> list[tuple[str, bool]]:
    return list(ReconciliationRule.objects.order_by("position").values_list("criterion", "active"))


def _form(order: dict[str, int], active: set[str]) -> dict:
    data = {"full": "1", **{f"order_{c}": str(n) for c, n in order.items()}}
    data.update({f"active_{c}": "on" for c in active})
    return data


def test_the_page_explains_the_rules_in_their_order(client, sam):
    client.force_login(sam)
    text = client.get(reverse("inventory:rules")).content.decode()
    labels = ["UUID and serial number", "Serial number", "MAC addresses",
              "Name within the organisation"]  # fmt: skip
    places = [text.index(f'<th scope="row">{label}</th>') for label in labels]
    assert places == sorted(places)
    assert "Virtual machines and containers report empty serial numbers" in text
    assert "nothing is merged silently" in text


def test_the_rules_are_reordered_and_switched_off_by_their_places(client, sam):
    client.force_login(sam)
    data = _form({"uuid_serial": 2, "serial": 4, "mac": 1, "name": 3}, {"uuid_serial", "mac"})
    response = client.post(reverse("inventory:rules-save"), data, follow=True)
    assert b"The reconciliation rules were saved." in response.content
    assert _saved() == [("mac", True), ("uuid_serial", True), ("name", False), ("serial", False)]


def test_a_move_button_moves_one_rule_from_the_saved_order(client, sam):
    client.force_login(sam)
    client.post(reverse("inventory:rules-save"), {"move": "up:mac"})
    assert [c for c, _a in _saved()] == ["uuid_serial", "mac", "serial", "name"]
    client.post(reverse("inventory:rules-save"), {"move": "down:uuid_serial"})
    assert _saved() == [("mac", True), ("uuid_serial", True), ("serial", True), ("name", True)]
    client.post(reverse("inventory:rules-save"), {"move": "up:mac"})  # already first
    assert [c for c, _a in _saved()][0] == "mac"


def test_a_bad_order_changes_nothing(client, sam):
    client.force_login(sam)
    before = _saved()
    data = _form({"uuid_serial": 1, "serial": "x", "mac": 3, "name": 4}, set())  # type: ignore[dict-item]
    response = client.post(reverse("inventory:rules-save"), data)
    assert response.status_code == 400 and b"Please correct the following" in response.content
    assert client.post(reverse("inventory:rules-save"), {"move": "up:bogus"}).status_code == 400
    assert _saved() == before


def test_a_tag_rule_is_added_with_a_site_of_its_organisation(client, sam, acme):
    site = make_location(acme, "Paris")
    client.force_login(sam)
    data = {"pattern": "PARIS-*", "organisation": acme.pk, "location": site.pk}
    response = client.post(reverse("inventory:tag-rule-add"), data, follow=True)
    assert b"The tag rule was added." in response.content
    rule = TagRule.objects.get()
    assert (rule.pattern, rule.organisation, rule.location) == ("PARIS-*", acme, site)
    assert b"PARIS-*" in client.get(reverse("inventory:rules")).content


def test_a_tag_rule_with_a_site_of_another_organisation_is_refused(client, sam, acme, support_team):
    from guichet.accounts.tests.factories import make_organisation

    other = make_organisation("Initech")
    support_team.organisations.add(other)
    site = make_location(other, "Lyon")
    client.force_login(sam)
    data = {"pattern": "LYON-*", "organisation": acme.pk, "location": site.pk}
    response = client.post(reverse("inventory:tag-rule-add"), data)
    assert response.status_code == 400
    assert b"This location is not one of the organisation&#x27;s sites." in response.content
    assert b'aria-invalid="true"' in response.content
    assert not TagRule.objects.exists()


def test_a_tag_rule_cannot_send_machines_to_an_organisation_not_served(
    client, globex_supervisor, acme, globex
):
    client.force_login(globex_supervisor)
    response = client.post(reverse("inventory:tag-rule-add"),
                           {"pattern": "ACME-*", "organisation": acme.pk})  # fmt: skip
    assert response.status_code == 400 and not TagRule.objects.exists()
    assert b"Acme" not in response.content


def test_a_tag_rule_is_deleted(client, sam, acme):
    rule = actions.add_tag_rule(actor=sam, pattern="PARIS-*", organisation=acme)
    client.force_login(sam)
    response = client.post(reverse("inventory:tag-rule-delete", args=[rule.pk]), follow=True)
    assert "The tag rule “PARIS-*” was deleted.".encode() in response.content
    assert not TagRule.objects.exists()


def test_a_supervisor_of_another_client_neither_sees_nor_deletes_acmes_tag_rules(
    client, globex_supervisor, sam, acme, globex
):
    rule = actions.add_tag_rule(actor=sam, pattern="ACME-*", organisation=acme)
    actions.add_tag_rule(actor=globex_supervisor, pattern="GLOBEX-*", organisation=globex)
    client.force_login(globex_supervisor)
    text = client.get(reverse("inventory:rules")).content.decode()
    assert "GLOBEX-*" in text and "ACME-*" not in text and ">Acme<" not in text
    response = client.post(reverse("inventory:tag-rule-delete", args=[rule.pk]))
    assert response.status_code == 404 and TagRule.objects.filter(pk=rule.pk).exists()


def _patterns() -> list[str]:
    return list(TagRule.objects.order_by("position", "id").values_list("pattern", flat=True))


def test_a_tag_rule_is_moved_up_and_down(client, sam, acme):
    for pattern in ("A-*", "B-*", "C-*"):
        actions.add_tag_rule(actor=sam, pattern=pattern, organisation=acme)
    last = TagRule.objects.get(pattern="C-*")
    client.force_login(sam)
    move = reverse("inventory:tag-rule-move", args=[last.pk])
    text = client.get(reverse("inventory:rules")).content.decode()
    assert "Move the rule “C-*” up" in text and "Move the rule “C-*” down" not in text

    response = client.post(move, {"direction": "up"})
    assert response.status_code == 302 and _patterns() == ["A-*", "C-*", "B-*"]
    client.post(move, {"direction": "up"})
    client.post(move, {"direction": "up"})  # already first: nothing moves
    assert _patterns() == ["C-*", "A-*", "B-*"]
    client.post(move, {"direction": "down"})
    assert _patterns() == ["A-*", "C-*", "B-*"]
    response = client.post(move, {"direction": "sideways"}, follow=True)
    assert "Move a rule up or down." in response.content.decode()
    assert _patterns() == ["A-*", "C-*", "B-*"]


def test_moving_a_rule_skips_and_keeps_the_rules_of_others(client, globex_supervisor, sam,
                                                            acme, globex):  # fmt: skip
    actions.add_tag_rule(actor=sam, pattern="ACME-1", organisation=acme)
    actions.add_tag_rule(actor=globex_supervisor, pattern="GLOBEX-1", organisation=globex)
    actions.add_tag_rule(actor=sam, pattern="ACME-2", organisation=acme)
    acme_rule = TagRule.objects.get(pattern="ACME-1")
    client.force_login(globex_supervisor)
    # Another client's rule is not found, and moving one's own steps over it.
    refused = client.post(reverse("inventory:tag-rule-move", args=[acme_rule.pk]),
                          {"direction": "down"})  # fmt: skip
    assert refused.status_code == 404
    assert _patterns() == ["ACME-1", "GLOBEX-1", "ACME-2"]
    client.force_login(sam)
    client.post(reverse("inventory:tag-rule-move", args=[acme_rule.pk]), {"direction": "down"})
    assert _patterns() == ["ACME-2", "GLOBEX-1", "ACME-1"]  # GLOBEX-1 kept its place
