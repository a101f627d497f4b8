"""The software catalogue's screens through HTTP: installations are counted on the machines the
viewer may see, requesters never reach the pages, and only supervisors change the catalogue."""

import pytest
from django.urls import reverse

from guichet.assets import actions
from guichet.assets.models import Product
from guichet.assets.tests import factories
from guichet.assets.tests.factories import make_asset, make_product, make_version

pytestmark = pytest.mark.django_db


def install(asset, version):
    return factories.install(asset, version)


@pytest.fixture
def product():
    return make_product("LibreOffice")


@pytest.fixture
def acme_machine(alice, acme, product):
    asset = make_asset(alice, acme, name="ACME-PC-1")
    install(asset, make_version(product, "24.8"))
    return asset


@pytest.fixture
def globex_machine(dave, globex, product):
    asset = make_asset(dave, globex, name="GLOBEX-PC-1")
    install(asset, make_version(product, "7.6"))
    return asset


def _count(client, name: str) -> int:
    response = client.get(reverse("assets:software"), {"q": name})
    assert response.status_code == 200
    (row,) = response.context["page"].items
    return row.installation_count


def test_installations_are_counted_on_the_machines_the_viewer_may_see(
    client, alice, dave, root, product, acme_machine, globex_machine
):
    for who, expected in ((alice, 1), (dave, 1), (root, 2)):
        client.force_login(who)
        assert _count(client, "LibreOffice") == expected, who.username


def test_the_list_shows_versions_and_publisher(alice_client, product, acme_machine):
    make_version(product, "25.2")
    response = alice_client.get(reverse("assets:software"))
    (row,) = response.context["page"].items
    assert row.version_count == 2
    assert "The Document Foundation" in response.content.decode()


def test_hidden_products_are_left_out_unless_asked_for(alice_client, product):
    Product.objects.filter(pk=product.pk).update(hidden=True)
    assert not alice_client.get(reverse("assets:software")).context["page"].items
    shown = alice_client.get(reverse("assets:software"), {"hidden": "on"}).context["page"].items
    assert [p.pk for p in shown] == [product.pk]


def test_the_list_filters_by_publisher(alice_client, product):
    other = make_product("Firefox", "Mozilla")
    response = alice_client.get(reverse("assets:software"), {"publisher": other.publisher_id})
    assert [p.pk for p in response.context["page"].items] == [other.pk]


def test_a_tampered_page_link_is_refused_without_an_error_page(alice_client, product):
    response = alice_client.get(reverse("assets:software"), {"cursor": "not-a-cursor"})
    assert response.status_code == 400
    assert "not valid" in response.content.decode()


def test_the_product_page_shows_only_the_viewers_machines_and_licences(
    client, alice, dave, acme, product, acme_machine, globex_machine
):
    actions.create_licence(actor=alice, product=product, organisation=acme, name="Acme LO",
                           kind="site")  # fmt: skip
    client.force_login(dave)
    page = client.get(reverse("assets:product", args=[product.pk])).content.decode()
    assert "GLOBEX-PC-1" in page
    assert "ACME-PC-1" not in page and "Acme LO" not in page
    client.force_login(alice)
    page = client.get(reverse("assets:product", args=[product.pk])).content.decode()
    assert "ACME-PC-1" in page and "Acme LO" in page and "GLOBEX-PC-1" not in page


def test_the_product_page_names_the_versions_with_their_counts(
    alice_client, product, acme_machine, globex_machine
):
    response = alice_client.get(reverse("assets:product", args=[product.pk]))
    counts = {v.version: v.installation_count for v in response.context["versions"]}
    assert counts == {"24.8": 1, "7.6": 0}


@pytest.mark.parametrize("who", ["bob_client", "charlie_client"])
def test_requesters_never_reach_the_software_pages(request, who, product):
    client = request.getfixturevalue(who)
    for url in (reverse("assets:software"), reverse("assets:product", args=[product.pk])):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == reverse("portal:home")
    for url in (
        reverse("assets:product-hide", args=[product.pk]),
        reverse("assets:product-merge", args=[product.pk]),
    ):
        assert client.post(url, {"hidden": "1", "target": product.pk}).status_code == 404
    assert not Product.objects.get(pk=product.pk).hidden


def test_supervisors_hide_and_show_a_product(client, sam, product):
    client.force_login(sam)
    url = reverse("assets:product-hide", args=[product.pk])
    assert client.post(url, {"hidden": "1"}).status_code == 302
    assert Product.objects.get(pk=product.pk).hidden
    client.post(url, {"hidden": "0"})
    assert not Product.objects.get(pk=product.pk).hidden


def test_technicians_may_not_hide_products_and_are_not_offered_to(alice_client, product):
    page = alice_client.get(reverse("assets:product", args=[product.pk])).content.decode()
    assert reverse("assets:product-hide", args=[product.pk]) not in page
    assert reverse("assets:product-merge", args=[product.pk]) not in page
    response = alice_client.post(reverse("assets:product-hide", args=[product.pk]), {"hidden": "1"})
    assert response.status_code == 403
    assert not Product.objects.get(pk=product.pk).hidden


def test_an_unknown_product_is_a_404(alice_client):
    assert alice_client.get(reverse("assets:product", args=[999_999])).status_code == 404


def test_the_software_list_costs_the_same_queries_for_many_products(
    alice, acme, alice_client, django_assert_max_num_queries
):
    asset = make_asset(alice, acme, name="BUSY-PC")
    for n in range(60):
        product = make_product(f"Product {n:02d}", f"Publisher {n % 7}")
        install(asset, make_version(product, "1.0"))
        make_version(product, "2.0")
    with django_assert_max_num_queries(9):
        response = alice_client.get(reverse("assets:software"))
    assert len(response.context["page"].items) == 50
    assert response.context["page"].items[0].installation_count == 1
    assert response.context["next_url"]


def test_the_product_page_costs_the_same_queries_for_many_machines(
    alice, acme, alice_client, product, django_assert_max_num_queries
):
    version = make_version(product, "24.8")
    for n in range(60):
        install(make_asset(alice, acme, name=f"PC-{n:03d}", user=None), version)
    with django_assert_max_num_queries(13):
        response = alice_client.get(reverse("assets:product", args=[product.pk]))
    assert len(response.context["machines"].items) == 50
    next_page = alice_client.get(response.context["next_url"])
    assert len(next_page.context["machines"].items) == 10
