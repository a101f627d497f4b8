"""Operating systems whose publisher no longer ships security updates.

A short list kept by hand, matched on what inventory agents report ("Microsoft Windows 7
Professionnel", "Debian GNU/Linux 10 (buster)" with "10.13"...). Each entry gives the last
day of support: a machine counts as running an old system from the day after. Paid
extensions (Windows ESU, Debian ELTS) are not counted as support: they are the exception a
technician should know about. Windows 10 LTSB/LTSC editions keep their own, later dates and
are left out.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class EndOfLife:
    label: str
    last_day: date
    matches: Callable[[str, str], bool]  # (lower-case OS name, version)


def _named(pattern: str, *, unless: str = "") -> Callable[[str, str], bool]:
    found, excluded = re.compile(pattern), re.compile(unless) if unless else None
    return lambda name, _version: (
        bool(found.search(name)) and not (excluded and excluded.search(name))
    )


def _release(name: str, version: str, family: str) -> tuple[int, ...] | None:
    """The release numbers of a `family` system, from its name ("Ubuntu 18.04.6 LTS") or
    else its version ("10.13")."""
    if family not in name:
        return None
    for text in (name.split(family, 1)[1], version):
        numbers = re.search(r"(\d+)(?:\.(\d+))?", text)
        if numbers:
            return tuple(int(n) for n in numbers.groups() if n is not None)
    return None


def _at_most(family: str, newest: tuple[int, ...]) -> Callable[[str, str], bool]:
    def matches(name: str, version: str) -> bool:
        release = _release(name, version, family)
        return release is not None and release[: len(newest)] <= newest

    return matches


END_OF_LIFE = (
    EndOfLife("Windows XP", date(2014, 4, 8), _named(r"\bwindows xp\b")),
    EndOfLife("Windows Vista", date(2017, 4, 11), _named(r"\bwindows vista\b")),
    EndOfLife("Windows 7", date(2020, 1, 14), _named(r"\bwindows 7\b")),
    EndOfLife("Windows 8 / 8.1", date(2023, 1, 10), _named(r"\bwindows 8(\.1)?\b")),
    EndOfLife("Windows 10", date(2025, 10, 14), _named(r"\bwindows 10\b", unless=r"\blts[bc]\b")),
    EndOfLife("Windows Server 2008", date(2020, 1, 14), _named(r"\bwindows server 2008\b")),
    EndOfLife("Windows Server 2012", date(2023, 10, 10), _named(r"\bwindows server 2012\b")),
    EndOfLife("Debian 10 or older", date(2024, 6, 30), _at_most("debian", (10,))),
    EndOfLife("Ubuntu 18.04 or older", date(2023, 5, 31), _at_most("ubuntu", (18, 4))),
    EndOfLife("CentOS Linux", date(2024, 6, 30), _named(r"\bcentos( linux)?\b", unless="stream")),
)


def end_of_life(os_name: str, os_version: str, today: date) -> EndOfLife | None:
    """The entry an operating system falls under on `today`, if its support has ended."""
    name = (os_name or "").casefold()
    for entry in END_OF_LIFE:
        if today > entry.last_day and entry.matches(name, os_version or ""):
            return entry
    return None
