"""The reference cache: any write to a watched table, by any path, makes the cached lists stale;
unrelated writes do not; a rolled-back change never passes for the committed state."""

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.access import staff_members, team_ids, team_list
from guichet.accounts.choices import Role
from guichet.accounts.models import Team, User
from guichet.accounts.tests.factories import make_staff, make_team, make_user
from guichet.lib import refcache
from guichet.tickets import reference
from guichet.tickets.actions.common import compute_priority
from guichet.tickets.models import Category, PriorityRule

pytestmark = pytest.mark.django_db


def changes(write) -> bool:
    before = refcache.revision()
    write()
    return refcache.revision() != before


def test_it_sees_a_new_team_a_new_member_and_a_renamed_technician(alice, acme):
    assert changes(lambda: make_team("Réseau", organisations=[acme]))
    team = Team.objects.get(name="Réseau")
    assert changes(lambda: team.members.add(alice))
    assert changes(lambda: User.objects.filter(pk=alice.pk).update(first_name="Alicia"))
    assert changes(lambda: team.organisations.clear())
    assert changes(lambda: team.delete())


def test_it_ignores_contacts_and_sign_ins(alice, acme):
    assert not changes(lambda: make_user("contact", organisation=acme))
    assert not changes(lambda: User.objects.filter(pk=alice.pk).update(last_login=timezone.now()))
    assert not changes(lambda: User.objects.filter(role=Role.REQUESTER).update(phone="01"))
    # A contact who becomes a technician joins the staff lists.
    assert changes(lambda: User.objects.filter(username="contact").update(role=Role.TECHNICIAN))


def test_it_sees_raw_sql_that_bypasses_the_orm():
    table = Category._meta.db_table
    with connection.cursor() as cursor:
        before = refcache.revision()
        cursor.execute(f"UPDATE {table} SET name_en = 'Printers!' WHERE code = 'hardware-printer'")  # noqa: S608
    assert refcache.revision() != before
    assert any(c.name_en == "Printers!" for c in reference.categories())


def test_cached_lists_follow_the_database(alice, sam, support_team):
    assert alice in staff_members(alice)
    newcomer = make_staff("newcomer", teams=[support_team])
    assert newcomer in staff_members(alice)
    assert support_team.pk in team_ids(newcomer)
    User.objects.filter(pk=newcomer.pk).update(is_active=False)
    assert newcomer not in staff_members(alice)
    Team.objects.filter(pk=support_team.pk).update(name="Support de proximité")
    assert [t.name for t in team_list(alice) if t.pk == support_team.pk] == ["Support de proximité"]


def test_the_priority_matrix_is_read_again_after_an_edit():
    assert compute_priority(impact=5, urgency=5) == 5
    PriorityRule.objects.filter(impact=5, urgency=5).update(priority=4)
    assert compute_priority(impact=5, urgency=5) == 4
    PriorityRule.objects.filter(impact=5, urgency=5).delete()  # the default matrix fills in
    assert compute_priority(impact=5, urgency=5) == 5


def test_a_rolled_back_change_is_never_taken_for_the_committed_state(alice, acme):
    committed = refcache.revision()
    with pytest.raises(RuntimeError), transaction.atomic():
        make_team("Éphémère", organisations=[acme])
        assert "Éphémère" in [t.name for t in team_list(alice)]
        rolled_back = refcache.revision()
        raise RuntimeError
    assert refcache.revision() == committed
    assert "Éphémère" not in [t.name for t in team_list(alice)]
    make_team("Durable", organisations=[acme])
    assert refcache.revision() not in (committed, rolled_back)


def test_a_request_reads_the_revision_once(alice_client, django_assert_max_num_queries):
    alice_client.get(reverse("tickets:queue"))
    with django_assert_max_num_queries(20) as captured:
        alice_client.get(reverse("tickets:queue"))
    reads = [q for q in captured.captured_queries if refcache.TABLE in q["sql"]]
    assert len(reads) == 1


def test_the_queue_shows_a_renamed_technician_on_the_next_request(alice_client, alice, sam):
    url = reverse("tickets:queue")
    assert "Samuel" not in alice_client.get(url).content.decode()
    sam.first_name = "Samuel"
    sam.save()
    assert "Samuel" in alice_client.get(url).content.decode()


def test_install_puts_back_triggers_a_table_rebuild_dropped():
    # SQLite drops a table's triggers when a migration rebuilds the table.
    table = Team._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for event in ("insert", "update", "delete"):
                cursor.execute(f"DROP TRIGGER {table}_ref_{event}")
        else:
            cursor.execute(f"DROP TRIGGER {table}_ref ON {table}")
    assert not changes(lambda: Team.objects.create(name="Sans trigger"))
    refcache.install()
    assert changes(lambda: Team.objects.create(name="Avec trigger"))
