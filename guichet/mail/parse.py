"""Inbound mail read the way the service desk needs it: who wrote, what about, which ticket it
may belong to, whether a machine sent it, and the text, whatever the sender's client did.

Plain standard library (`email` with the default policy) plus nh3 for HTML; never raises on
a malformed message: what cannot be read is reported in `problems`, and only a message with no
usable sender or body is refused (`Unreadable`), so the caller can quarantine it.
"""

import hashlib
import html
import mimetypes
import re
import unicodedata
from dataclasses import dataclass, field
from email import policy
from email.errors import HeaderParseError
from email.header import decode_header, make_header
from email.message import EmailMessage, Message, MIMEPart
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr

import nh3

# A ticket named in a subject: "[#1234]" as Guichet writes it (also "[Ticket #1234]").
SUBJECT_REFERENCE = re.compile(r"\[(?:[A-Za-z]+ )?#(\d{1,12})\]")
MESSAGE_ID = re.compile(r"<[^<>\s]+>")
MAX_TEXT = 100_000
# Local parts of machines' addresses, letters only ("no_reply+x" reads "noreply").
AUTOMATIC_SENDERS = frozenset(
    {"noreply", "donotreply", "nereply", "nepasrepondre", "nerepondezpas", "notreply"}
)


class Unreadable(ValueError):
    """Not a message the desk can act on (no sender, no content): quarantine it."""


@dataclass
class Attachment:
    filename: str
    content_type: str
    data: bytes
    inline: bool = False


@dataclass
class Inbound:
    """What the desk reads of one message."""

    message_id: str  # "<…>"; made up from the content when the message has none
    sender: str  # lower-case address
    sender_name: str
    subject: str
    text: str
    references: list[str] = field(default_factory=list)  # In-Reply-To then References
    ticket_reference: int | None = None
    automatic: str = ""  # why the message is a machine's ("auto-reply", "bounce", "list"...)
    attachments: list[Attachment] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def parse(raw: bytes) -> Inbound:
    """Read one RFC 5322 message."""
    message = BytesParser(policy=policy.default).parsebytes(raw)
    problems: list[str] = []
    sender_name, sender = _sender(message, problems)
    if not sender:
        raise Unreadable("no sender address")
    subject = _header(message, "Subject", problems)
    text, attachments = _content(message, problems)
    if not text.strip() and not attachments and not subject.strip():
        raise Unreadable("no subject, no text and no attachment")
    found = SUBJECT_REFERENCE.search(subject)
    return Inbound(
        message_id=message_id(message, raw),
        sender=sender,
        sender_name=sender_name,
        subject=subject.strip()[:250],
        text=text[:MAX_TEXT],
        references=_references(message),
        ticket_reference=int(found.group(1)) if found else None,
        automatic=automatic(message, sender),
        attachments=attachments,
        problems=problems,
    )


def _header(message: EmailMessage, name: str, problems: list[str]) -> str:
    try:
        value = str(message.get(name, "") or "")
    except (ValueError, IndexError, TypeError, AttributeError, LookupError) as error:
        # A header the policy cannot parse (a broken encoded word, stray bytes): its raw text.
        problems.append(f"{name}: {error}")
        value = next((str(v) for k, v in message.raw_items() if k.lower() == name.lower()), "")
    return " ".join(value.split())


def _sender(message: EmailMessage, problems: list[str]) -> tuple[str, str]:
    # The author, not Reply-To: a mailing list's Reply-To names the list.
    for name in ("From", "Sender", "Return-Path"):
        raw = _header(message, name, problems)
        display, address = parseaddr(raw)
        address = address.strip().lower()
        if "@" in address and " " not in address:
            return _display_name(message, name, address) or display.strip(), address
    return "", ""


def _display_name(message: EmailMessage, name: str, address: str) -> str:
    """The name as RFC 2047 means it: the space between two encoded words is not text (the
    policy's parser keeps it, cutting "Boulangerie" in two)."""
    raw = next((str(v) for k, v in message.raw_items() if k.lower() == name.lower()), "")
    if "=?" not in raw:
        return ""
    try:
        decoded = str(make_header(decode_header(raw)))
    except (ValueError, LookupError, UnicodeError, HeaderParseError):
        return ""
    display, found = parseaddr(decoded)
    return " ".join(display.split()) if found.strip().lower() == address else ""


def message_id(message: Message, raw: bytes) -> str:
    """The message's Message-ID ("<…>"), from a full parse or the headers alone."""
    try:
        found = MESSAGE_ID.search(str(message.get("Message-ID", "") or ""))
    except Exception:  # a header the parser chokes on: fall back to the content's hash
        found = None
    if found:
        return found.group(0)[:250]
    # No Message-ID (some scanners and scripts): the same bytes give the same id, so a
    # message delivered twice is still recognised.
    return f"<{hashlib.sha256(raw).hexdigest()}@no-message-id.invalid>"


def _references(message: EmailMessage) -> list[str]:
    found: list[str] = []
    for name in ("In-Reply-To", "References"):
        for value in message.get_all(name) or []:
            for reference in MESSAGE_ID.findall(str(value)):
                if reference not in found:
                    found.append(reference[:250])
    return found


def automatic(message: EmailMessage, sender: str) -> str:
    """Why the message was sent by a machine (then it never opens a ticket nor gets an
    answer), or ""."""
    # A delivery report first: real bounces also say Auto-Submitted, but "bounce" is the
    # precise reason an administrator reads.
    if message.get_content_type() == "multipart/report":
        return "bounce"
    auto_submitted = str(message.get("Auto-Submitted", "") or "").strip().lower()
    if auto_submitted and auto_submitted != "no":
        return "auto-submitted"
    if message.get("X-Autoreply") or message.get("X-Autorespond"):
        return "auto-reply"
    suppress = str(message.get("X-Auto-Response-Suppress", "") or "").lower()
    if "all" in suppress or "oof" in suppress or "autoreply" in suppress:
        return "auto-reply"
    precedence = str(message.get("Precedence", "") or "").strip().lower()
    if precedence in ("bulk", "junk", "list", "auto_reply"):
        return "bulk" if precedence != "list" else "list"
    if message.get("List-Id") or message.get("List-Unsubscribe"):
        return "list"
    compact = re.sub(r"[^a-z]", "", sender.split("@", 1)[0].split("+", 1)[0])
    if compact in ("mailerdaemon", "postmaster"):
        return "bounce"
    if compact in AUTOMATIC_SENDERS:
        return "no-reply sender"
    return ""


def _payload(part: EmailMessage) -> bytes:
    payload = part.get_payload(decode=True)
    return payload if isinstance(payload, bytes) else b""


def _decode(part: EmailMessage, problems: list[str]) -> str:
    payload = _payload(part)
    declared = part.get_content_charset() or "utf-8"
    # ISO-8859-1 as browsers read it: Windows-1252, which gives ’ € – … their meaning.
    if declared.replace("_", "-") in ("iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii"):
        declared = "windows-1252"
    for charset in (declared, "utf-8", "windows-1252", "latin-1"):
        try:
            return payload.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    problems.append(f"undecodable text ({declared})")
    return payload.decode("utf-8", errors="replace")


def html_to_text(markup: str) -> str:
    """The text of an HTML body: sanitised first (nh3), then paragraphs and line breaks
    kept, tags dropped."""
    cleaned = nh3.clean(
        markup,
        tags={"p", "br", "div", "li", "tr", "blockquote"},
        clean_content_tags={"script", "style", "title"},
    )
    # The source's own line breaks and indentation are layout, not text.
    cleaned = re.sub(r"\s+", " ", cleaned)
    cleaned = re.sub(r"(?i)<br\s*/?>", "\n", cleaned)
    cleaned = re.sub(r"(?i)</(p|div|li|tr|blockquote)>", "\n", cleaned)
    cleaned = re.sub(r"<[^>]+>", "", cleaned)
    text = html.unescape(cleaned)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(line.strip() for line in text.splitlines()))


def _leaves(part: MIMEPart):
    """The parts to read, in order. A forwarded message (message/rfc822) is one leaf: its
    text is not the sender's, and its own attachments stay inside it."""
    if part.get_content_type() == "message/rfc822":
        yield part
    elif part.is_multipart():
        for child in part.iter_parts():
            yield from _leaves(child)
    else:
        yield part


def _forwarded(part: EmailMessage) -> Attachment:
    inner = part.get_payload()
    inner = inner[0] if isinstance(inner, list) and inner else inner
    try:
        data = inner.as_bytes() if hasattr(inner, "as_bytes") else _payload(part)
        subject = str(inner.get("Subject", "") or "") if hasattr(inner, "get") else ""
    except (ValueError, LookupError, UnicodeError, TypeError, AttributeError):
        data, subject = _payload(part), ""
    name = part.get_filename() or f"{subject.strip() or 'message'}.eml"
    return Attachment(_safe_filename(name), "message/rfc822", data, inline=False)


def _content(message: EmailMessage, problems: list[str]) -> tuple[str, list[Attachment]]:
    plain: list[str] = []
    markup: list[str] = []
    attachments: list[Attachment] = []
    for part in _leaves(message):
        content_type = part.get_content_type()
        if content_type == "message/rfc822" and part is not message:
            attachments.append(_forwarded(part))
            continue
        disposition = part.get_content_disposition()
        filename = part.get_filename()
        if disposition == "attachment" or filename or content_type not in _BODY_TYPES:
            data = _payload(part)
            if not data and content_type.startswith("message/"):
                data = str(part.get_payload()).encode("utf-8", "replace")
            attachments.append(
                Attachment(
                    filename=_safe_filename(filename or _name_for(content_type)),
                    content_type=content_type,
                    data=data,
                    inline=disposition == "inline",
                )
            )
        elif content_type == "text/plain":
            plain.append(_decode(part, problems))
        else:
            markup.append(_decode(part, problems))
    if plain:
        text = "\n\n".join(plain)
    elif markup:
        text = "\n\n".join(html_to_text(m) for m in markup)
    else:
        text = ""
    return text.replace("\r\n", "\n").replace("\x00", "").strip(), attachments


_BODY_TYPES = ("text/plain", "text/html")


def _name_for(content_type: str) -> str:
    extension = mimetypes.guess_extension(content_type) or ".bin"
    return f"attachment{extension}"


def _safe_filename(name: str) -> str:
    """A file name that is only a name: no folders, no control or direction characters
    (U+202E makes "fdp.exe" display as "exe.pdf")."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c) not in ("Cc", "Cf"))
    name = " ".join(name.split()).strip(" .") if name.strip(" .") == "" else name.strip()
    if not name or set(name) <= {"."}:
        return "attachment"
    return name[:200]


def addresses(message: EmailMessage, *names: str) -> list[str]:
    """The addresses of some header fields (To, Cc), lower-case."""
    found = []
    for name in names:
        for _display, address in getaddresses([str(v) for v in message.get_all(name) or []]):
            if "@" in address:
                found.append(address.lower())
    return found


__all__ = ["Attachment", "Inbound", "Unreadable", "addresses", "message_id", "parse"]
