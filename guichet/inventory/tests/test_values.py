from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guichet.inventory.formats.values import (
    MAX_WARNINGS,
    Notes,
    clean,
    mac,
    meaningful,
    to_bool,
    to_date,
    to_int,
    uuid,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("8192", 8192),
        (" 8192 ", 8192),
        ("8 192", 8192),
        ("8\u00a0192", 8192),
        ("8,192", 8192),
        ("8192 MB", 8192),
        ("8192MiB", 8192),
        ("8 192 Mo", 8192),
        ("1.5 GB", 1536),
        ("1,5 Go", 1536),
        ("2 TB", 2 * 1024 * 1024),
        ("2048 KB", 2),
        ("2400 MHz", 2400),
        ("2.4 GHz", 2400),
        ("2394.000", 2394),
        ("-1", -1),
        (8192, 8192),
        (3.7, 4),
        ("", None),
        ("   ", None),
        (None, None),
        (True, None),
        ("abc", None),
        ("12 apples", None),
        ("0x10", None),
        ("1e5", None),
        ("9" * 30, None),
        (10**30, None),
        (float("nan"), None),
        (float("inf"), None),
        ([1, 2], None),
    ],
)
def test_to_int_reads_what_agents_write(value, expected):
    assert to_int(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023-01-15", date(2023, 1, 15)),
        ("2023-01-15 10:00:00", date(2023, 1, 15)),
        ("2023-01-15T10:00:00Z", date(2023, 1, 15)),
        ("2023/01/15", date(2023, 1, 15)),
        ("20230115", date(2023, 1, 15)),
        ("20230115103000.000000+000", date(2023, 1, 15)),
        ("01/15/2023", date(2023, 1, 15)),
        ("15/01/2023", date(2023, 1, 15)),  # month 15 cannot be: the other order
        ("08/14/09", date(2009, 8, 14)),
        ("03/04/2023", date(2023, 3, 4)),  # month first, as SMBIOS writes BIOS dates
        (date(2020, 5, 6), date(2020, 5, 6)),
        (datetime(2020, 5, 6, 7, 8), date(2020, 5, 6)),
        ("1970-00-01", None),
        ("1970-01-01", None),
        ("0000-00-00", None),
        ("1979-12-31", None),
        ("2101-01-01", None),
        ("2023-02-30", None),
        ("13/13/2020", None),
        ("Tue May 20 00:00:00", None),
        ("yesterday", None),
        ("", None),
        (None, None),
        (20230115, date(2023, 1, 15)),
        (date(1900, 1, 1), None),
    ],
)
def test_to_date_accepts_plausible_dates_only(value, expected):
    assert to_date(value) == expected


def test_to_date_reads_the_day_first_when_told():
    assert to_date("03/04/2023", day_first=True) == date(2023, 4, 3)
    assert to_date("2023-03-04", day_first=True) == date(2023, 3, 4)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("00:1A:2b:3C:4d:5E", "00:1a:2b:3c:4d:5e"),
        ("00-1a-2b-3c-4d-5e", "00:1a:2b:3c:4d:5e"),
        ("001a.2b3c.4d5e", "00:1a:2b:3c:4d:5e"),
        ("001A2B3C4D5E", "00:1a:2b:3c:4d:5e"),
        (" 0:1c:42:a:b:c ", "00:1c:42:0a:0b:0c"),
        ("00:00:00:00:00:00", ""),
        ("ff:ff:ff:ff:ff:ff", ""),
        ("00:1a:2b:3c:4d", ""),
        ("00:1a:2b:3c:4d:5e:6f", ""),
        ("garbage", ""),
        ("", ""),
        (None, ""),
        (12, ""),
    ],
)
def test_mac_normalises_to_lower_case_colons(value, expected):
    assert mac(value) == expected


def test_clean_strips_control_characters_and_cuts():
    assert clean("  Intel\x00(R)\tCore\n ") == "Intel(R) Core"
    assert clean("a\ud800b") == "ab"
    assert clean("x" * 300) == "x" * 255
    assert clean("abc def", limit=4) == "abc"
    assert clean(42) == "42"
    assert clean(True) == "1"
    assert clean({"nested": "object"}) == ""
    assert clean(None) == ""


@pytest.mark.parametrize(
    "value",
    ["To be filled by O.E.M.", "Default string", "SerNum0", "00000000", "0x00000000", "0",
     "FFFFFFFF", "System Serial Number", "Not Specified", " none ", ""],
)  # fmt: skip
def test_meaningful_drops_firmware_placeholders(value):
    assert meaningful(value) == ""


def test_meaningful_keeps_real_values():
    assert meaningful(" 5Y7QJ93 ") == "5Y7QJ93"
    assert meaningful("Dell Inc.") == "Dell Inc."


def test_uuid_is_canonical_lower_case_without_placeholders():
    assert uuid("4C4C4544-0035-3910-8052-B7C04F4E3732") == "4c4c4544-0035-3910-8052-b7c04f4e3732"
    assert uuid("4C4C454400353910 8052B7C04F4E3732") == "4c4c454400353910 8052b7c04f4e3732"
    assert uuid("4C4C4544003539108052B7C04F4E3732") == "4c4c4544-0035-3910-8052-b7c04f4e3732"
    assert uuid("03000200-0400-0500-0006-000700080009") == ""
    assert uuid("00000000-0000-0000-0000-000000000000") == ""
    assert uuid("Not Settable") == "not settable"


def test_to_bool_reads_both_protocols():
    assert [to_bool(v) for v in (True, 1, "1", "true", "Yes")] == [True] * 5
    assert [to_bool(v) for v in (False, 0, "0", "", None, "2", [1])] == [False] * 7


def test_notes_warn_about_dropped_values_only():
    lines: list[str] = []
    notes = Notes(lines)
    assert notes.day("1970-00-01", "BIOS date") is None
    assert notes.day("", "BIOS date") is None
    assert notes.integer("-5", "memory size") is None
    assert notes.integer("8192", "memory size") == 8192
    assert notes.text("To be filled by O.E.M.", "serial number") == ""
    assert lines == [
        "BIOS date '1970-00-01' ignored",
        "memory size '-5' ignored",
        "serial number 'To be filled by O.E.M.' ignored",
    ]


def test_notes_keep_a_bounded_number_of_lines():
    lines: list[str] = []
    notes = Notes(lines)
    for index in range(MAX_WARNINGS + 50):
        notes.dropped("value", index)
    notes.close()
    assert len(lines) == MAX_WARNINGS + 1
    assert lines[-1] == "50 more warnings not shown"


anything = st.one_of(
    st.text(),
    st.binary().map(lambda b: b.decode("latin-1")),
    st.integers(),
    st.floats(),
    st.booleans(),
    st.none(),
    st.lists(st.text(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.text(max_size=3), max_size=2),
)


@settings(max_examples=300, deadline=None)
@given(anything)
def test_conversions_never_raise(value):
    assert isinstance(clean(value), str)
    assert len(clean(value, 10)) <= 10
    assert to_int(value) is None or isinstance(to_int(value), int)
    found = to_date(value)
    assert found is None or 1980 <= found.year <= 2100
    day_first = to_date(value, day_first=True)
    assert day_first is None or 1980 <= day_first.year <= 2100
    assert mac(value) == "" or len(mac(value)) == 17
    assert isinstance(meaningful(value), str)
    assert isinstance(uuid(value), str)
    assert isinstance(to_bool(value), bool)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789 -/.:,TMGBkKiHzmo", max_size=25))
def test_number_and_date_shaped_text_never_raises(text):
    to_int(text)
    to_date(text)
    to_date(text, day_first=True)
    mac(text)
