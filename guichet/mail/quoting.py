"""Split an inbound mail's text into what the person wrote this time, their signature and the
history their client quoted below, so the ticket shows the new words and folds the rest.

Works line by line on the text `guichet.mail.parse` extracted; knows what Gmail, Outlook,
Thunderbird, Apple Mail and phones write in French and English. It only ever moves lines
between the three parts, in order, never drops or rewrites one; and when the new words would
be empty (a bare forward, a client quoting above the reply), nothing is folded at all:
showing too much beats hiding what someone wrote.
"""

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Folded:
    body: str  # what the person wrote this time
    quoted: str  # the quoted history (may be "")
    signature: str  # the signature block (may be "")


# "On Mon, 3 Mar 2025 at 10:12, Claire Martin <claire@example.com> wrote:" and
# "Le lun. 3 mars 2025 à 10:12, Claire Martin <claire@example.com> a écrit :"; clients wrap
# long ones, so the start and the end may be on different lines.
_ATTRIBUTION_START = re.compile(r"^\s*(?:on|le)\s", re.IGNORECASE)
_ATTRIBUTION_END = re.compile(r"(?:\bwrote|\ba\s+écrit)\s*:\s*$", re.IGNORECASE)
_ATTRIBUTION_LINES = 3
_ATTRIBUTION_LENGTH = 400
# Outlook's separators.
_ORIGINAL_MESSAGE = re.compile(
    r"^\s*-{2,}\s*(?:original message|message d['’]origine)\s*-{2,}\s*$", re.IGNORECASE
)
# A forward's own banner is not something the person wrote.
_FORWARDED = re.compile(
    r"^\s*-{2,}\s*(?:forwarded message|message transféré)\s*-{2,}\s*$", re.IGNORECASE
)
_UNDERSCORES = re.compile(r"^\s*_{10,}\s*$")
# Outlook's header block; "*From:*" is how a bold label reads once the HTML is turned to text.
_HEADER = re.compile(
    r"^\s*\*{0,2}(from|de|sent|envoyé|date|to|à|a|cc|subject|objet)\*{0,2}\s*:", re.IGNORECASE
)
_HEADER_KINDS = {
    "from": "from",
    "de": "from",
    "sent": "sent",
    "envoyé": "sent",
    "date": "sent",
    "to": "to",
    "à": "to",
    "a": "to",
    "cc": "cc",
    "subject": "subject",
    "objet": "subject",
}
_HEADER_WINDOW = 8
# The standard separator is "-- " (dash, dash, space); some editors turn the space into a
# non-breaking one.
_SIGNATURE_SEPARATOR = re.compile(r"^--[ \u00a0]+$")
_SIGNATURE_LINES = 15
_MOBILE = re.compile(
    r"^\s*(?:sent from my|sent from outlook|sent from mail for|get outlook for|"
    r"envoyé de mon|envoyé depuis mon|envoyé à partir de|envoyé avec|obtenir outlook pour)\b",
    re.IGNORECASE,
)
_MOBILE_LENGTH = 100


def _blank(line: str) -> bool:
    return not line.strip()


def _quote_line(line: str) -> bool:
    return line.lstrip().startswith(">")


def _join(lines: list[str]) -> str:
    """The lines as one text, without the blank lines around them."""
    start, end = 0, len(lines)
    while start < end and _blank(lines[start]):
        start += 1
    while end > start and _blank(lines[end - 1]):
        end -= 1
    return "\n".join(lines[start:end])


def _next_filled(lines: list[str], index: int) -> int | None:
    for position in range(index, len(lines)):
        if not _blank(lines[position]):
            return position
    return None


def _header_kind(line: str) -> str:
    found = _HEADER.match(line)
    return _HEADER_KINDS[found.group(1).lower()] if found else ""


def _header_block(lines: list[str], index: int) -> bool:
    """An Outlook "From: / Sent: / To: / Subject:" block starts at `index`."""
    if _header_kind(lines[index]) != "from":
        return False
    seen = {_header_kind(line) for line in lines[index + 1 : index + 1 + _HEADER_WINDOW]} & {
        "sent",
        "to",
        "subject",
    }
    return len(seen) >= 2


def _attribution_end(lines: list[str], index: int) -> int | None:
    """The last line of an "On … wrote:" attribution starting at `index`, if one does."""
    if not _ATTRIBUTION_START.match(lines[index]):
        return None
    joined = ""
    for position in range(index, min(index + _ATTRIBUTION_LINES, len(lines))):
        if _blank(lines[position]) or _quote_line(lines[position]):
            return None
        joined = f"{joined} {lines[position]}"
        if len(joined) > _ATTRIBUTION_LENGTH:
            return None
        if _ATTRIBUTION_END.search(joined):
            # A date or a time is what tells an attribution from a sentence such as
            # "Le serveur a écrit :" followed by a log.
            return position if re.search(r"\d", joined) else None
    return None


def _marker(lines: list[str], index: int) -> bool:
    """A line after which everything is history, whatever follows it."""
    line = lines[index]
    if _quote_line(line) or _blank(line):
        return False
    if _ORIGINAL_MESSAGE.match(line) or _header_block(lines, index):
        return True
    if _UNDERSCORES.match(line):
        following = _next_filled(lines, index + 1)
        return following is not None and _header_kind(lines[following]) == "from"
    end = _attribution_end(lines, index)
    if end is None:
        return False
    # An attribution followed by "> " lines is judged with the trailing quote (interleaved
    # replies keep their quotes); followed by plain lines, it is history converted from HTML.
    following = _next_filled(lines, end + 1)
    return following is None or not _quote_line(lines[following])


def _trailing_quote(lines: list[str]) -> int:
    """Where the "> " block that ends the text starts, with its attribution; len(lines)
    when the text does not end with one (bottom-posting, inline answers)."""
    end = len(lines)
    while end > 0 and _blank(lines[end - 1]):
        end -= 1
    if end == 0 or not _quote_line(lines[end - 1]):
        return len(lines)
    start = end - 1
    while start > 0 and (_quote_line(lines[start - 1]) or _blank(lines[start - 1])):
        start -= 1
    while _blank(lines[start]):
        start += 1
    previous = start - 1
    while previous >= 0 and _blank(lines[previous]):
        previous -= 1
    if previous < 0 or start - previous > 2:
        return start
    # "… wrote:" just above the quote is its attribution, possibly wrapped from the line(s)
    # above, the first of which starts with "On"/"Le" (Gmail even splits "a" from "écrit :").
    first = None
    for candidate in range(previous, max(previous - _ATTRIBUTION_LINES, -1), -1):
        if _blank(lines[candidate]) or _quote_line(lines[candidate]):
            break
        if not _ATTRIBUTION_END.search(" ".join(lines[candidate : previous + 1])):
            continue
        if first is None or _ATTRIBUTION_START.match(lines[candidate]):
            first = candidate
        if _ATTRIBUTION_START.match(lines[candidate]):
            break
    return start if first is None else first


def _signature(lines: list[str]) -> int:
    """Where the signature starts in `lines` (the text above the history); len(lines) if
    there is none."""
    start = len(lines)
    for index in range(len(lines) - 1, -1, -1):
        if _SIGNATURE_SEPARATOR.match(lines[index]):
            if sum(not _blank(line) for line in lines[index + 1 :]) <= _SIGNATURE_LINES:
                start = index
            break
    last = len(lines) - 1
    while last >= 0 and _blank(lines[last]):
        last -= 1
    if last >= 0 and len(lines[last]) <= _MOBILE_LENGTH and _MOBILE.match(lines[last]):
        start = min(start, last)
    return start


def fold(text: str) -> Folded:
    """Split `text` into the new words, their signature and the quoted history."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    history = _trailing_quote(lines)
    for index in range(history):
        if _marker(lines, index):
            history = index
            break
    head = lines[:history]
    signature = _signature(head)
    body = head[:signature]
    if all(_blank(line) or _FORWARDED.match(line) for line in body):
        return Folded(body=_join(lines), quoted="", signature="")
    return Folded(
        body=_join(body), quoted=_join(lines[history:]), signature=_join(head[signature:])
    )
