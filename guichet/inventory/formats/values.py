"""Tolerant conversions of the values agents report, shared by both protocol readers.

Agents send what the firmware, the registry or a command printed: "8 192", "1.5 GB",
"1970-00-01", "To be filled by O.E.M.", MAC addresses in four notations. Nothing here raises
on any input: a value that means nothing comes back as None or "", and the reader decides
whether that is worth a warning.
"""

import re
from datetime import date, datetime
from typing import Any

# A hostile document could carry a bad value in each of a million entries; past this many
# warnings only their number is kept.
MAX_WARNINGS = 200

FIRST_YEAR, LAST_YEAR = 1980, 2100

# C0 and C1 control characters and lone surrogates (a JSON "\ud800" escape) cannot be stored
# as UTF-8 text; tabs and line breaks become spaces so words stay apart.
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_BREAKS = re.compile(r"[\t\n\r]")

_NUMBER = re.compile(r"([+-]?)(\d{1,18}(?:,\d{3})+|\d{1,18})(?:[.,](\d{1,9}))?")
_THOUSANDS_SPACES = re.compile(r"(?<=\d)[\s\u00a0\u202f\u2009'_](?=\d{3}\b)")
# Sizes convert to megabytes and frequencies to megahertz, the units an inventory keeps.
# Agents print memory in binary units whatever letters they use ("8 GB" of RAM is 8192 MB).
_UNITS = {
    "": 1, "b": 1 / 1024**2, "byte": 1 / 1024**2, "bytes": 1 / 1024**2,
    "k": 1 / 1024, "kb": 1 / 1024, "kib": 1 / 1024, "ko": 1 / 1024,
    "m": 1, "mb": 1, "mib": 1, "mo": 1,
    "g": 1024, "gb": 1024, "gib": 1024, "go": 1024,
    "t": 1024**2, "tb": 1024**2, "tib": 1024**2, "to": 1024**2,
    "hz": 1e-6, "khz": 1e-3, "mhz": 1, "ghz": 1000,
    "rpm": 1, "mbps": 1, "mb/s": 1, "core": 1, "cores": 1, "thread": 1, "threads": 1,
}  # fmt: skip

_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:$|[ T_]\d)")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})(?:$|\d{6}|[ T.])")
_YEAR_LAST = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})(?:$|[ T]\d)")

_MAC_GROUPS = re.compile(r"[0-9a-f]{1,2}(?:[:-][0-9a-f]{1,2}){5}")
_MAC_DOTTED = re.compile(r"[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}")
_MAC_PLAIN = re.compile(r"[0-9a-f]{12}")

# What firmware writes where it has nothing to say. Compared lower-case, spaces collapsed.
PLACEHOLDERS = frozenset(
    {
        "none", "null", "n/a", "na", "-", ".", "?", "unknown", "not specified", "not available",
        "not applicable", "not defined", "default string", "to be filled by o.e.m.",
        "to be filled by oem", "o.e.m.", "oem", "system manufacturer", "system product name",
        "system version", "system serial number", "chassis serial number", "chassis manufacture",
        "base board serial number", "serial number", "serialnumber", "sernum", "invalid",
        "empty", "[empty]", "no dimm", "not installed", "0123456789", "123456789",
        "1234567890", "xxxxxxxxxx", "undefined", "default", "unspecified", "type1productconfigid",
    }
)  # fmt: skip
_SERNUM = re.compile(r"sernum\d*|0x0+|[0\s-]+|f{8,}", re.IGNORECASE)
PLACEHOLDER_UUIDS = frozenset(
    {
        "00000000-0000-0000-0000-000000000000",
        "ffffffff-ffff-ffff-ffff-ffffffffffff",
        # The AMI firmware template's UUID, shipped unchanged by many boards (both byte orders).
        "03000200-0400-0500-0006-000700080009",
        "00020003-0004-0005-0006-000700080009",
    }
)
_UUID = re.compile(r"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}")
_TRUE = frozenset({"1", "true", "yes", "y", "on"})


def clean(value: Any, limit: int = 255) -> str:
    """Text fit to store: stripped, without control characters, at most `limit` long.
    Anything that is not a string, number or boolean (a nested list or object) reads as ""."""
    if value is None:
        return ""
    if not isinstance(value, str):
        if isinstance(value, bool):
            return "1" if value else "0"
        if isinstance(value, int | float):
            value = str(value)
        else:
            return ""
    if not value.isprintable():
        value = _UNPRINTABLE.sub("", _BREAKS.sub(" ", value))
    return value.strip()[:limit].rstrip()


def to_int(value: Any) -> int | None:
    """A whole number from "8192", "8 192", "8,192", "8192 MB", "1.5 GB", "2.4 GHz".

    A size converts to megabytes and a frequency to megahertz; decimals are rounded. Anything
    else (an unknown unit, words, a number beyond 18 digits) is None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if abs(value) < 10**18 else None
    if isinstance(value, float):
        return round(value) if abs(value) < 1e18 else None
    text = clean(value, 64)
    if not text:
        return None
    text = _THOUSANDS_SPACES.sub("", text)
    match = _NUMBER.match(text)
    if match is None:
        return None
    factor = _UNITS.get(text[match.end() :].strip().lower())
    if factor is None:
        return None
    sign, whole, fraction = match.groups()
    result = round(float(f"{whole.replace(',', '')}.{fraction or 0}") * factor)
    if result >= 10**18:
        return None
    return -result if sign == "-" else result


def _date_or_none(year: int, month: int, day: int) -> date | None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def to_date(value: Any, *, day_first: bool = False) -> date | None:
    """A plausible calendar date (1980 to 2100) from the formats agents write:
    "2023-01-15", "2023-01-15 10:00:00", "2023/01/15", "20230115", "01/15/2023" (month first,
    as SMBIOS writes BIOS dates) or "15/01/2023" with `day_first` (software install dates on
    Windows); the other order is tried when the first one cannot be a date. "1970-00-01",
    "0000-00-00" and the like are None."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value if FIRST_YEAR <= value.year <= LAST_YEAR else None
    text = clean(value, 64)
    if not text:
        return None
    if match := _ISO.match(text):
        year, month, day = (int(group) for group in match.groups())
        return _date_or_none(year, month, day)
    if match := _COMPACT.match(text):
        year, month, day = (int(group) for group in match.groups())
        return _date_or_none(year, month, day)
    if match := _YEAR_LAST.match(text):
        first, second, year_text = match.groups()
        year = int(year_text)
        if len(year_text) == 2:
            year += 1900 if year >= FIRST_YEAR - 1900 else 2000
        month, day = (int(second), int(first)) if day_first else (int(first), int(second))
        return _date_or_none(year, month, day) or _date_or_none(year, day, month)
    return None


def mac(value: Any) -> str:
    """A MAC address as "aa:bb:cc:dd:ee:ff", or "" for anything else, including the all-zero
    and broadcast addresses, which name no interface."""
    text = clean(value, 64).lower()
    if _MAC_GROUPS.fullmatch(text):
        digits = "".join(group.rjust(2, "0") for group in re.split("[:-]", text))
    elif _MAC_DOTTED.fullmatch(text) or _MAC_PLAIN.fullmatch(text):
        digits = text.replace(".", "")
    else:
        return ""
    if digits in ("000000000000", "ffffffffffff"):
        return ""
    return ":".join(digits[i : i + 2] for i in range(0, 12, 2))


def to_bool(value: Any) -> bool:
    """True for true, 1, "1", "true", "yes"; False for anything else."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value == 1
    return clean(value, 8).lower() in _TRUE


def meaningful(value: Any, limit: int = 255) -> str:
    """`clean(value)`, or "" when it is a firmware placeholder ("To be filled by O.E.M.",
    "Default string", "SerNum0", "00000000")."""
    text = clean(value, limit)
    if not text:
        return ""
    folded = " ".join(text.lower().split())
    if folded in PLACEHOLDERS or _SERNUM.fullmatch(folded):
        return ""
    return text


def uuid(value: Any) -> str:
    """A machine UUID in lower-case canonical form, "" for the placeholders firmware ships;
    a value in another form is kept as reported (some hypervisors invent their own)."""
    text = clean(value, 64).lower()
    if not text:
        return ""
    if _UUID.fullmatch(text):
        digits = text.replace("-", "")
        text = "-".join((digits[:8], digits[8:12], digits[12:16], digits[16:20], digits[20:]))
        return "" if text in PLACEHOLDER_UUIDS else text
    return "" if _SERNUM.fullmatch(text) or text in PLACEHOLDERS else text


class Notes:
    """The warnings of one reading, appended to an inventory's list, at most MAX_WARNINGS."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.more = 0

    def warn(self, text: str) -> None:
        if len(self.lines) < MAX_WARNINGS:
            self.lines.append(text)
        else:
            self.more += 1

    def close(self) -> None:
        if self.more:
            self.lines.append(f"{self.more} more warnings not shown")
            self.more = 0

    def dropped(self, what: str, value: Any) -> None:
        self.warn(f"{what} '{clean(value, 80)}' ignored")

    def integer(self, value: Any, what: str, *, minimum: int = 0) -> int | None:
        """`to_int(value)`, or None with a warning when the value is there but unusable."""
        number = to_int(value)
        if number is not None and number >= minimum:
            return number
        if clean(value):
            self.dropped(what, value)
        return None

    def day(self, value: Any, what: str, *, day_first: bool = False) -> date | None:
        """`to_date(value)`, or None with a warning when the value is there but unusable."""
        found = to_date(value, day_first=day_first)
        if found is None and clean(value):
            self.dropped(what, value)
        return found

    def text(self, value: Any, what: str, limit: int = 255) -> str:
        """`meaningful(value)`, with a warning when a placeholder was dropped."""
        found = meaningful(value, limit)
        if not found and clean(value):
            self.dropped(what, value)
        return found
