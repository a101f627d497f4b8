"""The maintained usage counts (`ProductUsage`) against a count from scratch, whatever the
sequence of verbs that moved installations, states, organisations and products."""

from collections import Counter

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guichet.assets import actions, usage
from guichet.assets.choices import ACTIVE_STATES, AssetState
from guichet.assets.compliance import compliance, installed_counts
from guichet.assets.models import Asset, Installation, Product, ProductUsage, SoftwareVersion
from guichet.assets.tests.factories import install, make_asset, make_product, make_version

PRODUCTS, VERSIONS, ASSETS = 3, ("1.0", "2.0"), 4


def maintained() -> dict[tuple[int, int], int]:
    rows = ProductUsage.objects.filter(machines__gt=0)
    return {(r.product_id, r.organisation_id): r.machines for r in rows}


def recounted() -> dict[tuple[int, int], int]:
    """The rule, in Python: distinct active machines per product and organisation."""
    seen = set()
    for asset_id, product_id in Installation.objects.values_list("asset_id", "product_id"):
        seen.add((asset_id, product_id))
    assets = {a.pk: a for a in Asset.objects.all()}
    counts: Counter = Counter()
    for asset_id, product_id in seen:
        asset = assets[asset_id]
        if asset.state in ACTIVE_STATES:
            counts[(product_id, asset.organisation_id)] += 1
    return dict(counts)


operations = st.lists(
    st.one_of(
        st.tuples(
            st.just("install"),
            st.integers(0, ASSETS - 1),
            st.sets(st.integers(0, PRODUCTS * len(VERSIONS) - 1), max_size=5),
        ),
        st.tuples(st.just("state"), st.integers(0, ASSETS - 1), st.sampled_from(AssetState)),
        st.tuples(st.just("move"), st.integers(0, ASSETS - 1), st.integers(0, 1)),
        st.tuples(st.just("merge"), st.integers(0, PRODUCTS - 1), st.integers(0, PRODUCTS - 1)),
    ),
    max_size=12,
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=operations)
def test_the_counts_follow_every_change(root, acme, globex, steps):
    with transaction.atomic():
        organisations = [acme, globex]
        products = [make_product(f"Product {n}", publisher="Pub") for n in range(PRODUCTS)]
        versions = [make_version(p, v) for p in products for v in VERSIONS]
        assets = [make_asset(root, organisations[n % 2], name=f"PC-{n}") for n in range(ASSETS)]
        for step in steps:
            if step[0] == "install":
                wanted = {}
                for index in step[2]:
                    version = SoftwareVersion.objects.filter(pk=versions[index].pk).first()
                    if version is not None:  # merged away
                        wanted[version.pk] = (version.product_id, None)
                asset = Asset.objects.get(pk=assets[step[1]].pk)
                actions.replace_installations(asset=asset, wanted=wanted, at=timezone.now())
            elif step[0] == "state":
                asset = assets[step[1]]
                actions.update_asset(asset=asset, actor=root, state=step[2])
            elif step[0] == "move":
                asset = assets[step[1]]
                actions.update_asset(asset=asset, actor=root, organisation=organisations[step[2]])
            else:
                source, target = (Product.objects.filter(pk=products[n].pk).first()
                                  for n in step[1:])  # fmt: skip
                if source and target and source.pk != target.pk:
                    actions.merge_products(source=source, target=target, actor=root)
            assert maintained() == recounted(), step
        usage.rebuild()
        assert maintained() == recounted()
        transaction.set_rollback(True)


def test_a_machine_counts_once_whatever_its_versions(root, acme):
    product = make_product()
    pc = make_asset(root, acme)
    install(pc, make_version(product, "1.0"))
    install(pc, make_version(product, "2.0"))
    assert installed_counts(root) == {(product.pk, acme.pk): 1}


def test_a_retired_machine_stops_counting_and_a_moved_one_counts_where_it_went(root, acme, globex):
    product = make_product()
    pc = make_asset(root, acme)
    install(pc, make_version(product))
    actions.update_asset(asset=pc, actor=root, state=AssetState.RETIRED)
    assert installed_counts(root) == {}
    actions.update_asset(asset=pc, actor=root, state=AssetState.IN_USE, organisation=globex)
    assert installed_counts(root) == {(product.pk, globex.pk): 1}


@pytest.mark.django_db(transaction=True)
def test_a_failed_change_leaves_the_counts_as_they_were(root, acme):
    product = make_product()
    pc = make_asset(root, acme)
    install(pc, make_version(product))
    with pytest.raises(RuntimeError), transaction.atomic():
        actions.update_asset(asset=pc, actor=root, state=AssetState.RETIRED)
        raise RuntimeError
    assert maintained() == {(product.pk, acme.pk): 1}


def test_compliance_reads_the_counts_in_a_few_queries(root, acme, django_assert_max_num_queries):
    products = [make_product(f"P{n}") for n in range(5)]
    for n in range(10):
        pc = make_asset(root, acme, name=f"PC-{n}")
        for product in products:
            install(pc, make_version(product))
    for product in products:
        actions.create_licence(actor=root, product=product, organisation=acme, name=product.name,
                               kind="per_device", seats=3)  # fmt: skip
    with django_assert_max_num_queries(8):
        rows = compliance(root)
    assert [(r.installed, r.entitled) for r in rows] == [(10, 3)] * 5


def test_a_machine_with_both_merged_products_counts_once(root, acme):
    firefox, esr = make_product("Firefox"), make_product("Firefox ESR")
    pc, other = make_asset(root, acme, name="PC-1"), make_asset(root, acme, name="PC-2")
    install(pc, make_version(firefox, "128"))
    install(pc, make_version(esr, "115"))
    install(other, make_version(esr, "115"))
    actions.merge_products(source=esr, target=firefox, actor=root)
    assert installed_counts(root) == {(firefox.pk, acme.pk): 2}
