from dataclasses import dataclass

import pytest
from django.db import transaction
from hypothesis import given
from hypothesis import strategies as st

from guichet.assets import actions, catalogue
from guichet.assets.models import Product, SoftwareAlias, SoftwareVersion
from guichet.lib import refcache


@dataclass
class Raw:
    name: str
    version: str = ""
    publisher: str = ""


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Mozilla Firefox (x64 fr)", "Mozilla Firefox"),
        ("7-Zip 23.01 (x64)", "7-Zip"),
        ("Microsoft 365 Apps for enterprise - fr-fr", "Microsoft 365 Apps for enterprise"),
        ("Notepad++ (64-bit x64)", "Notepad++"),
        ("libc6", "libc6"),
        ("Python 3.11.2", "Python"),
        ("  Adobe   Acrobat  Reader ", "Adobe Acrobat Reader"),
        ("1.2.3", "1.2.3"),
    ],
)
def test_product_names_lose_versions_architectures_and_languages(raw, expected):
    assert catalogue.product_name(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Microsoft Corporation", "Microsoft"),
        ("Igor Pavlov", "Igor Pavlov"),
        ("Foxit Software Inc.", "Foxit Software"),
        ("VideoLAN", "VideoLAN"),
        ("", ""),
    ],
)
def test_publisher_names_lose_company_suffixes(raw, expected):
    assert catalogue.publisher_name(raw) == expected


@given(st.text(max_size=300))
def test_names_are_never_empty_when_the_raw_one_is_not(raw):
    name = catalogue.product_name(raw)
    assert len(name) <= catalogue.NAME_MAX
    assert bool(name) == bool(raw.strip())


def test_spellings_of_one_program_become_one_product_with_its_versions(db):
    resolved = catalogue.resolve(
        [
            Raw("Mozilla Firefox (x64 fr)", "120.0", "Mozilla"),
            Raw("Mozilla Firefox (x64 en-US)", "121.0", "Mozilla"),
            Raw("mozilla firefox (x64 fr)", "120.0", "MOZILLA"),
            Raw("", "1", "nameless"),
        ]
    )
    assert Product.objects.get().name == "Mozilla Firefox"
    assert sorted(SoftwareVersion.objects.values_list("version", flat=True)) == ["120.0", "121.0"]
    assert SoftwareAlias.objects.count() == 2
    assert resolved[3] is None
    assert len({product for product, _ in resolved[:3]}) == 1
    assert resolved[0] == resolved[2] != resolved[1]


def test_a_dictionary_entry_edited_by_hand_is_obeyed(db):
    catalogue.resolve([Raw("Acrobat Reader DC", "23", "Adobe Systems Incorporated")])
    target = Product.objects.create(name="Adobe Acrobat")
    SoftwareAlias.objects.update(product=target, edited=True)
    resolved = catalogue.resolve([Raw("ACROBAT READER DC", "24", "adobe systems incorporated")])
    assert [product for product, _ in resolved] == [target.pk]


def test_resolving_again_creates_nothing(db, django_assert_max_num_queries):
    softwares = [Raw(f"Program {i}", "1.0", "ACME") for i in range(300)]
    first = catalogue.resolve(softwares)
    counts = (Product.objects.count(), SoftwareVersion.objects.count())
    with django_assert_max_num_queries(3):  # the reference revision, entries, versions
        again = catalogue.resolve(softwares)
    assert again == first
    assert counts == (Product.objects.count(), SoftwareVersion.objects.count())


def test_programs_without_publisher_are_one_product(db):
    catalogue.resolve([Raw("htop", "3.2"), Raw("HTOP", "3.3")])
    catalogue.resolve([Raw("htop 3.4", "3.4")])
    assert Product.objects.filter(name="htop").count() == 1


# --- What a process remembers ----------------------------------------------------------------


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`resolve` as in a transaction that commits: the process remembers only then."""

    def run(softwares):
        with django_capture_on_commit_callbacks(execute=True):
            return catalogue.resolve(softwares)

    return run


def test_a_committed_resolution_is_remembered(db, committed, django_assert_num_queries):
    softwares = [Raw(f"Program {i}", "1.0", "ACME") for i in range(300)]
    first = committed(softwares)
    with django_assert_num_queries(1):  # the reference revision; nothing of the catalogue
        assert catalogue.resolve(softwares) == first


def test_new_programs_do_not_make_reference_data_stale(db, committed):
    committed([Raw("Program", "1.0", "ACME")])
    before = refcache.revision()
    committed([Raw("Program", "2.0", "ACME"), Raw("Other", "1.0", "ACME")])
    assert refcache.revision() == before


def test_what_a_rolled_back_import_resolved_is_forgotten(db, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks(execute=True)
    with capture as callbacks, pytest.raises(RuntimeError), transaction.atomic():
        catalogue.resolve([Raw("Ghost", "1.0", "ACME")])
        raise RuntimeError
    assert callbacks == [] and not Product.objects.exists()
    ((product, version),) = catalogue.resolve([Raw("Ghost", "1.0", "ACME")])
    assert SoftwareVersion.objects.filter(pk=version, product_id=product).exists()


def test_an_entry_pointed_elsewhere_is_obeyed_at_once(db, committed):
    committed([Raw("Acrobat Reader DC", "23", "Adobe")])
    target = Product.objects.create(name="Adobe Acrobat")
    SoftwareAlias.objects.update(product=target, edited=True)
    ((product, version),) = committed([Raw("Acrobat Reader DC", "23", "Adobe")])
    assert product == target.pk
    assert SoftwareVersion.objects.get(pk=version).product == target


def test_a_merge_is_obeyed_at_once(db, committed, sam):
    ((esr, _),) = committed([Raw("Firefox ESR", "115.0", "Mozilla")])
    ((firefox, _),) = committed([Raw("Firefox", "128.0", "Mozilla")])
    actions.merge_products(source=Product.objects.get(pk=esr),
                           target=Product.objects.get(pk=firefox), actor=sam)  # fmt: skip
    ((product, version),) = committed([Raw("Firefox ESR", "115.0", "Mozilla")])
    assert product == firefox
    assert SoftwareVersion.objects.get(pk=version).product_id == firefox
