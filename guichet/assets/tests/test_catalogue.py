from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from guichet.assets import catalogue
from guichet.assets.models import Product, SoftwareAlias, SoftwareVersion


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
    with django_assert_max_num_queries(2):
        again = catalogue.resolve(softwares)
    assert again == first
    assert counts == (Product.objects.count(), SoftwareVersion.objects.count())


def test_programs_without_publisher_are_one_product(db):
    catalogue.resolve([Raw("htop", "3.2"), Raw("HTOP", "3.3")])
    catalogue.resolve([Raw("htop 3.4", "3.4")])
    assert Product.objects.filter(name="htop").count() == 1
