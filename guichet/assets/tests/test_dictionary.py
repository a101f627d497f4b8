"""The software dictionary and merging products: an edited entry rules the inventories to
come, a merge moves everything of one product to another at once or not at all."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from guichet.assets import actions
from guichet.assets.actions import catalogue as catalogue_actions
from guichet.assets.models import Installation, Licence, Product, SoftwareAlias, SoftwareVersion
from guichet.assets.tests import factories
from guichet.assets.tests.factories import make_asset, make_product, make_version
from guichet.lib.errors import Forbidden, InvalidInput

pytestmark = pytest.mark.django_db


def install(asset, version, *, first_seen=None, installed_on=None):
    return factories.install(asset, version, at=first_seen, installed_on=installed_on)


def alias(raw_name: str, product: Product, raw_publisher: str = "") -> SoftwareAlias:
    return SoftwareAlias.objects.create(
        raw_name=raw_name, raw_publisher=raw_publisher, product=product
    )


@pytest.fixture
def firefox():
    return make_product("Firefox", "Mozilla")


@pytest.fixture
def firefox_esr():
    return make_product("Firefox ESR", "Mozilla")


# --- The dictionary page ------------------------------------------------------------------


def test_the_dictionary_lists_and_searches_entries(alice_client, firefox, firefox_esr):
    alias("mozilla firefox (x64 fr)", firefox, "mozilla")
    alias("firefox esr", firefox_esr, "mozilla")
    response = alice_client.get(reverse("assets:dictionary"))
    assert len(response.context["page"].items) == 2
    found = alice_client.get(reverse("assets:dictionary"), {"q": "x64"}).context["page"].items
    assert [a.raw_name for a in found] == ["mozilla firefox (x64 fr)"]
    by_product = alice_client.get(reverse("assets:dictionary"), {"q": "ESR"}).context["page"]
    assert [a.raw_name for a in by_product.items] == ["firefox esr"]


def test_the_dictionary_says_what_editing_an_entry_does(alice_client):
    page = alice_client.get(reverse("assets:dictionary")).content.decode()
    assert "only rules the inventories to come" in page
    assert "merge the two products" in page


def test_supervisors_point_an_entry_to_another_product_for_future_inventories(
    client, sam, alice, acme, firefox, firefox_esr
):
    entry = alias("firefox esr", firefox)
    machine = make_asset(alice, acme)
    installed = install(machine, make_version(firefox, "128.0"))
    client.force_login(sam)
    url = reverse("assets:dictionary-edit", args=[entry.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"product": firefox_esr.pk})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.product, entry.edited) == (firefox_esr, True)
    # What is already recorded stays: it does not say which raw name it came from.
    assert Installation.objects.get(pk=installed.pk).product == firefox


def test_an_entry_can_lead_to_a_new_product(client, root, firefox):
    entry = alias("thunderbird", firefox)
    client.force_login(root)
    url = reverse("assets:dictionary-edit", args=[entry.pk])
    response = client.post(url, {"new_name": "Thunderbird", "new_publisher": "Mozilla"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.product.name == "Thunderbird"
    assert entry.product.publisher == firefox.publisher  # the same publisher, found by name


def test_an_entry_needs_exactly_one_target(client, sam, firefox, firefox_esr):
    entry = alias("firefox", firefox)
    client.force_login(sam)
    url = reverse("assets:dictionary-edit", args=[entry.pk])
    neither = client.post(url, {})
    assert neither.status_code == 400 and "Choose a product" in neither.content.decode()
    both = client.post(url, {"product": firefox_esr.pk, "new_name": "Other"})
    assert both.status_code == 400
    assert 'aria-describedby="id_new_name_error"' in both.content.decode()
    entry.refresh_from_db()
    assert (entry.product, entry.edited) == (firefox, False)


def test_technicians_read_the_dictionary_but_do_not_edit_it(alice_client, alice, firefox):
    entry = alias("firefox", firefox)
    url = reverse("assets:dictionary-edit", args=[entry.pk])
    assert url not in alice_client.get(reverse("assets:dictionary")).content.decode()
    assert alice_client.get(url).status_code == 403
    assert alice_client.post(url, {"new_name": "Stolen"}).status_code == 403
    assert SoftwareAlias.objects.get(pk=entry.pk).product == firefox
    with pytest.raises(Forbidden):
        actions.edit_alias(alias=entry, actor=alice, new_name="Stolen")


@pytest.mark.parametrize("who", ["bob_client", "charlie_client"])
def test_requesters_never_reach_the_dictionary(request, who, firefox):
    client = request.getfixturevalue(who)
    entry = alias("firefox", firefox)
    for url in (reverse("assets:dictionary"), reverse("assets:dictionary-edit", args=[entry.pk])):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == reverse("portal:home")
    url = reverse("assets:dictionary-edit", args=[entry.pk])
    assert client.post(url, {"new_name": "x"}).status_code == 404
    assert SoftwareAlias.objects.get(pk=entry.pk).product == firefox


def test_the_dictionary_costs_the_same_queries_for_many_entries(
    alice_client, django_assert_max_num_queries
):
    for n in range(60):
        alias(f"program {n:02d}", make_product(f"Program {n:02d}", f"Publisher {n % 5}"))
    with django_assert_max_num_queries(5):
        response = alice_client.get(reverse("assets:dictionary"))
    assert len(response.context["page"].items) == 50


# --- Merging products ---------------------------------------------------------------------


def test_a_merge_moves_versions_installations_licences_and_entries(
    sam, alice, acme, firefox, firefox_esr
):
    one, two = make_asset(alice, acme, name="PC-1"), make_asset(alice, acme, name="PC-2")
    early = timezone.now() - timedelta(days=30)
    shared_source, shared_target = (
        make_version(firefox_esr, "128.0"),
        make_version(firefox, "128.0"),
    )
    only_source = make_version(firefox_esr, "115.0")
    install(one, shared_source, first_seen=early, installed_on=date(2024, 5, 1))
    install(one, shared_target)  # PC-1 has the version under both names
    install(two, shared_source)
    install(two, only_source)
    licence = actions.create_licence(actor=alice, product=firefox_esr, organisation=acme,
                                     name="ESR", kind="site")  # fmt: skip
    entry = alias("firefox esr", firefox_esr)

    actions.merge_products(source=firefox_esr, target=firefox, actor=sam)

    assert not Product.objects.filter(pk=firefox_esr.pk).exists()
    assert not SoftwareVersion.objects.filter(pk=shared_source.pk).exists()
    assert SoftwareVersion.objects.get(pk=only_source.pk).product == firefox
    rows = Installation.objects.order_by("asset__name", "version__version")
    assert [(r.asset.name, r.version.version, r.product_id) for r in rows] == [
        ("PC-1", "128.0", firefox.pk),
        ("PC-2", "115.0", firefox.pk),
        ("PC-2", "128.0", firefox.pk),
    ]
    kept = rows[0]
    assert (kept.version, kept.first_seen, kept.installed_on) == (
        shared_target, early, date(2024, 5, 1))  # fmt: skip
    assert Licence.objects.get(pk=licence.pk).product == firefox
    entry.refresh_from_db()
    assert (entry.product, entry.edited) == (firefox, True)


def test_a_merge_is_all_or_nothing(monkeypatch, sam, alice, acme, firefox, firefox_esr):
    machine = make_asset(alice, acme)
    version = make_version(firefox_esr, "128.0")
    install(machine, version)
    entry = alias("firefox esr", firefox_esr)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    # The last write before the delete fails: everything moved before it must come back.
    monkeypatch.setattr(catalogue_actions.SoftwareAlias.objects, "filter", broken)
    with pytest.raises(RuntimeError):
        actions.merge_products(source=firefox_esr, target=firefox, actor=sam)
    monkeypatch.undo()
    assert SoftwareVersion.objects.get(pk=version.pk).product == firefox_esr
    assert Installation.objects.get(asset=machine).product == firefox_esr
    assert SoftwareAlias.objects.get(pk=entry.pk).product == firefox_esr
    assert Product.objects.filter(pk=firefox_esr.pk).exists()


def test_a_product_is_not_merged_into_itself(sam, firefox):
    with pytest.raises(InvalidInput) as raised:
        actions.merge_products(source=firefox, target=firefox, actor=sam)
    assert "target" in raised.value.errors


def test_supervisors_merge_from_the_product_page(client, sam, firefox, firefox_esr):
    client.force_login(sam)
    page = client.get(reverse("assets:product", args=[firefox_esr.pk])).content.decode()
    assert reverse("assets:product-merge", args=[firefox_esr.pk]) in page
    url = reverse("assets:product-merge", args=[firefox_esr.pk])
    response = client.post(url, {"target": firefox.pk})
    assert response.status_code == 302
    assert response["Location"] == reverse("assets:product", args=[firefox.pk])
    assert not Product.objects.filter(pk=firefox_esr.pk).exists()


def test_a_merge_needs_a_target(client, sam, firefox_esr):
    client.force_login(sam)
    url = reverse("assets:product-merge", args=[firefox_esr.pk])
    response = client.post(url, {"target": firefox_esr.pk})  # itself is not offered
    assert response.status_code == 400
    assert Product.objects.filter(pk=firefox_esr.pk).exists()


def test_technicians_may_not_merge(alice_client, alice, firefox, firefox_esr):
    url = reverse("assets:product-merge", args=[firefox_esr.pk])
    assert alice_client.post(url, {"target": firefox.pk}).status_code == 403
    assert Product.objects.filter(pk=firefox_esr.pk).exists()
    with pytest.raises(Forbidden):
        actions.merge_products(source=firefox_esr, target=firefox, actor=alice)
