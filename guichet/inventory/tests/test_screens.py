"""The agents list and the agent URLs through HTTP: supervisors and administrators use them,
technicians are refused, requesters learn nothing, and a supervisor of another client never
sees Acme's agents or keys."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.choices import Role
from guichet.inventory import actions
from guichet.inventory.choices import Protocol
from guichet.inventory.models import InventoryKey
from guichet.inventory.tests.factories import machine

pytestmark = pytest.mark.django_db

PAGES = ["inventory:agents", "inventory:conflicts", "inventory:rules", "inventory:keys"]


def _agent(device_id, organisation, *, days_ago=0, protocol=Protocol.GLPI, version="1.11"):
    at = timezone.now() - timedelta(days=days_ago)
    return actions.contact(device_id=device_id, protocol=protocol, version=version,
                           organisation=organisation, at=at)  # fmt: skip


def _posts(acme) -> list[str]:
    return [
        reverse("inventory:conflict-resolve", args=[1]),
        reverse("inventory:conflict-dismiss", args=[1]),
        reverse("inventory:rules-save"),
        reverse("inventory:tag-rule-add"),
        reverse("inventory:tag-rule-delete", args=[1]),
        reverse("inventory:key-create", args=[acme.pk]),
        reverse("inventory:key-renew", args=[acme.pk]),
    ]


@pytest.fixture
def globex_supervisor(dave):
    dave.role = Role.SUPERVISOR
    dave.save()
    return dave


@pytest.mark.parametrize("who", ["sam", "root"])
def test_supervisors_and_administrators_open_every_screen(request, who, client):
    client.force_login(request.getfixturevalue(who))
    for name in PAGES:
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert b'aria-current="page"' in response.content


def test_a_technician_is_refused_every_screen_and_button(alice_client, acme):
    for name in PAGES:
        assert alice_client.get(reverse(name)).status_code == 403, name
    for url in _posts(acme):
        assert alice_client.post(url).status_code == 403, url


@pytest.mark.parametrize("who", ["bob_client", "charlie_client"])
def test_requesters_learn_nothing(request, who, acme):
    client = request.getfixturevalue(who)
    for name in PAGES:
        assert client.get(reverse(name)).status_code == 404, name
    for url in _posts(acme):
        assert client.post(url).status_code == 404, url


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("inventory:agents"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_inventory_entry_is_in_the_menu_of_supervisors_only(client, sam, alice):
    client.force_login(sam)
    assert reverse("inventory:agents").encode() in client.get(reverse("tickets:queue")).content
    client.force_login(alice)
    assert reverse("inventory:agents").encode() not in client.get(reverse("tickets:queue")).content


# --- Agents ----------------------------------------------------------------------------------


def test_the_agents_list_shows_what_each_agent_reported(client, sam, acme):
    asset = actions.ingest(inventory=machine(tag="PARIS-1"), organisation=acme).asset
    client.force_login(sam)
    response = client.get(reverse("inventory:agents"))
    text = response.content.decode()
    assert "pc-0412-2026-01-01" in text and "GLPI-Agent_v1.11" in text and "PARIS-1" in text
    assert "Acme" in text and "GLPI Agent JSON" in text
    assert f'href="/assets/{asset.pk}/"' in text
    assert "Never" not in text  # the last inventory is shown


def test_an_agents_last_error_is_highlighted(client, sam, acme):
    _agent("refused-pc", acme)
    actions.note_error(device_id="refused-pc", protocol=Protocol.OCS, message="Tied to nothing")
    client.force_login(sam)
    text = client.get(reverse("inventory:agents")).content.decode()
    assert 'class="has-error"' in text and "Tied to nothing" in text and "Refused" in text


def test_the_filters_narrow_the_list(client, sam, acme, support_team):
    from guichet.accounts.tests.factories import make_organisation

    other = make_organisation("Initech")
    support_team.organisations.add(other)
    _agent("fresh-glpi", acme)
    _agent("old-ocs", acme, days_ago=40, protocol=Protocol.OCS)
    _agent("initech-pc", other)
    actions.note_error(device_id="fresh-glpi", protocol=Protocol.GLPI, message="Too big")
    client.force_login(sam)

    def shown(**params) -> set[str]:
        text = client.get(reverse("inventory:agents"), params).content.decode()
        return {n for n in ("fresh-glpi", "old-ocs", "initech-pc") if n in text}

    assert shown() == {"fresh-glpi", "old-ocs", "initech-pc"}
    assert shown(organisation=other.pk) == {"initech-pc"}
    assert shown(protocol=Protocol.OCS) == {"old-ocs"}
    assert shown(with_errors="on") == {"fresh-glpi"}
    assert shown(unseen=30) == {"old-ocs"}


def test_a_bad_filter_or_page_link_answers_400(client, sam):
    client.force_login(sam)
    assert client.get(reverse("inventory:agents"), {"unseen": "soon"}).status_code == 400
    assert client.get(reverse("inventory:agents"), {"cursor": "garbage"}).status_code == 400


def test_agents_without_organisation_are_shown_to_administrators_only(client, sam, root, acme):
    actions.note_error(device_id="stray", protocol=Protocol.OCS, message="No organisation")
    client.force_login(sam)
    assert b"stray" not in client.get(reverse("inventory:agents")).content
    client.force_login(root)
    assert b"stray" in client.get(reverse("inventory:agents")).content
    only = client.get(reverse("inventory:agents"), {"organisation": "none"})
    assert b"stray" in only.content


def test_a_supervisor_of_another_client_sees_none_of_acmes_agents(
    client, globex_supervisor, acme, globex
):
    _agent("acme-pc", acme)
    _agent("globex-pc", globex)
    client.force_login(globex_supervisor)
    text = client.get(reverse("inventory:agents")).content.decode()
    assert "globex-pc" in text and "acme-pc" not in text
    forced = client.get(reverse("inventory:agents"), {"organisation": acme.pk})
    assert forced.status_code == 400 and b"acme-pc" not in forced.content


def test_the_list_pages_through_every_agent(client, sam, acme, monkeypatch):
    from guichet.inventory import queries

    monkeypatch.setattr(queries, "PAGE_SIZE", 3)
    for n in range(7):
        _agent(f"pc-{n:02d}", acme, days_ago=n)
    client.force_login(sam)
    seen, url, pages = [], reverse("inventory:agents"), 0
    while url:
        response = client.get(url)
        seen += [f"pc-{n:02d}" for n in range(7) if f"pc-{n:02d}" in response.content.decode()]
        url = response.context["next_url"]
        pages += 1
    assert seen == [f"pc-{n:02d}" for n in range(7)] and pages == 3


def test_the_agents_page_reads_a_fixed_number_of_rows(
    client, sam, acme, django_assert_max_num_queries
):
    for n in range(40):
        actions.ingest(inventory=machine(f"pc-{n}", name=f"PC-{n}", serial=f"SN{n:04d}",
                                         uuid="", mac=f"a4:bb:6d:00:01:{n:02x}"),
                       organisation=acme)  # fmt: skip
    actions.note_error(device_id="pc-3", protocol=Protocol.GLPI, message="Too big")
    client.force_login(sam)
    client.get(reverse("inventory:agents"))
    with django_assert_max_num_queries(8):
        response = client.get(reverse("inventory:agents"))
    assert len(re.findall(r'href="/assets/\d+/"', response.content.decode())) == 40


# --- Agent URLs ------------------------------------------------------------------------------


def test_an_organisations_agent_url_is_made_on_request(client, sam, acme, settings):
    settings.SITE_URL = "https://desk.example.test/"
    client.force_login(sam)
    assert b"Make the agent URL of Acme" in client.get(reverse("inventory:keys")).content
    assert not InventoryKey.objects.exists()
    response = client.post(reverse("inventory:key-create", args=[acme.pk]))
    assert response.status_code == 302
    key = InventoryKey.objects.get(organisation=acme).key
    text = client.get(reverse("inventory:keys")).content.decode()
    url = f"https://desk.example.test/inventory/o/{key}/"
    assert f"fusioninventory-agent --server {url}" in text
    assert f"glpi-agent --server {url}" in text
    assert (f"glpi-agent --server https://desk.example.test/inventory/ --user agent "
            f"--password {key}") in text  # fmt: skip
    client.post(reverse("inventory:key-create", args=[acme.pk]))
    assert InventoryKey.objects.get().key == key  # asking again keeps it


def test_renewing_a_key_needs_the_confirmation(client, sam, acme):
    old = actions.organisation_key(organisation=acme)
    client.force_login(sam)
    client.post(reverse("inventory:key-renew", args=[acme.pk]))
    assert InventoryKey.objects.get().key == old
    response = client.post(reverse("inventory:key-renew", args=[acme.pk]), {"confirm": "yes"},
                           follow=True)  # fmt: skip
    new = InventoryKey.objects.get().key
    assert new != old and b"was renewed" in response.content
    assert old.encode() not in response.content and new.encode() in response.content


def test_a_supervisor_of_another_client_never_sees_nor_renews_acmes_key(
    client, globex_supervisor, acme, globex
):
    key = actions.organisation_key(organisation=acme)
    client.force_login(globex_supervisor)
    text = client.get(reverse("inventory:keys")).content.decode()
    assert "Globex" in text and "Acme" not in text and key not in text
    renew = client.post(reverse("inventory:key-renew", args=[acme.pk]), {"confirm": "yes"})
    assert renew.status_code == 404
    assert client.post(reverse("inventory:key-create", args=[acme.pk])).status_code == 404
    assert InventoryKey.objects.get().key == key
