"""Reading a mailbox over IMAP with the standard library.

`imaplib` speaks the protocol; this module adds what a ticket mailbox needs on top of it:
clear errors for administrators, batched UID commands, fetches that never mark a message
read, and moving processed messages out of the way (or flagging them \\Seen).
"""

from __future__ import annotations

import base64
import contextlib
import imaplib
import re
import ssl
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import TracebackType
from typing import Any, NoReturn, cast

from guichet.mail.choices import Security

# imaplib refuses lines over 1 MB; a SEARCH answer on a mailbox of a few hundred thousand
# messages is a single line longer than that.
MAX_LINE = 64 * 1024 * 1024
# Keeps each command line far below the servers' limits (Dovecot: 64 KB).
STORE_BATCH = 500


@dataclass(frozen=True)
class ImapSettings:
    host: str
    port: int
    security: str  # a guichet.mail.choices.Security value
    username: str
    password: str
    folder: str = "INBOX"
    # When set, processed messages are moved there; otherwise they are flagged \Seen.
    done_folder: str = ""
    timeout: float = 30.0
    # None: the system's trusted certificates (ssl.create_default_context()).
    ssl_context: ssl.SSLContext | None = None

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"


class ImapError(Exception):
    """Anything that went wrong talking to the mail server, said for an administrator."""


def _read_line(imap: imaplib.IMAP4) -> bytes:
    """imaplib's readline with MAX_LINE instead of its 1 MB limit."""
    line = cast(bytes, imap.file.readline(MAX_LINE + 1))
    if len(line) > MAX_LINE:
        raise imap.error(f"got more than {MAX_LINE} bytes in one line")
    return line


class _IMAP4(imaplib.IMAP4):
    def readline(self) -> bytes:
        return _read_line(self)


class _IMAP4_SSL(imaplib.IMAP4_SSL):
    def readline(self) -> bytes:
        return _read_line(self)


def encode_mailbox(name: str) -> str:
    """A folder name as an IMAP argument: modified UTF-7 (RFC 3501 §5.1.3), quoted."""
    out: list[str] = []
    pending: list[str] = []

    def flush() -> None:
        if pending:
            utf16 = "".join(pending).encode("utf-16-be")
            out.append("&" + base64.b64encode(utf16).decode().rstrip("=").replace("/", ",") + "-")
            pending.clear()

    for char in name:
        if 0x20 <= ord(char) <= 0x7E:
            flush()
            out.append("&-" if char == "&" else char)
        else:
            pending.append(char)
    flush()
    encoded = "".join(out).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{encoded}"'


def uid_set(uids: list[int]) -> str:
    """A compact IMAP sequence set: [1, 2, 3, 5, 8, 9] -> "1:3,5,8:9"."""
    ordered = sorted(set(uids))
    ranges: list[str] = []
    start = previous = ordered[0]
    for uid in [*ordered[1:], None]:
        if uid is not None and uid == previous + 1:
            previous = uid
            continue
        ranges.append(str(start) if start == previous else f"{start}:{previous}")
        if uid is not None:
            start = previous = uid
    return ",".join(ranges)


def _chunks(uids: list[int], size: int) -> Iterator[list[int]]:
    ordered = sorted(set(uids))
    for index in range(0, len(ordered), size):
        yield ordered[index : index + size]


def _detail(error: BaseException) -> str:
    """The server's words, not Python's repr of them (imaplib raises with bytes)."""
    if isinstance(error, ssl.SSLCertVerificationError) and error.verify_message:
        return f"certificate not trusted ({error.verify_message})"
    if isinstance(error, ssl.SSLError) and error.reason:
        return str(error.reason).lower().replace("_", " ")
    if isinstance(error, TimeoutError):
        return "no answer (timed out)"
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    if error.args and isinstance(error.args[0], bytes):
        return error.args[0].decode("utf-8", "replace")
    return _ERRNO.sub("", str(error)) or type(error).__name__


def _text(data: list[Any]) -> str:
    parts = [item.decode("utf-8", "replace") for item in data if isinstance(item, bytes)]
    return " ".join(parts).strip() or "no explanation given"


_ERRNO = re.compile(r"\[Errno -?\d+\] ")
_START = re.compile(rb"^\d+ \(")
_UID = re.compile(rb"\bUID (\d+)", re.IGNORECASE)
_BODY = re.compile(rb"\bBODY\[\] \{\d+\}$", re.IGNORECASE)


def parse_fetch(data: list[Any]) -> dict[int, bytes]:
    """UID -> message from imaplib's FETCH data, whatever the order of the items.

    imaplib gives one (text before literal, literal) tuple per literal and a bytes item for
    the text after the last one; a response starts with "<seq> (". Responses without a
    body (unsolicited FLAGS updates) are left out.
    """
    found: dict[int, bytes] = {}
    uid: int | None = None
    body: bytes | None = None

    def finish() -> None:
        if uid is not None and body is not None:
            found.setdefault(uid, body)

    for item in data:
        text = item[0] if isinstance(item, tuple) else item
        if not isinstance(text, bytes):
            continue
        if _START.match(text):
            finish()
            uid, body = None, None
        match = _UID.search(text)
        if match:
            uid = int(match.group(1))
        if isinstance(item, tuple) and _BODY.search(text):
            body = item[1]
    finish()
    return found


class Session:
    """One logged-in connection with the settings' folder selected (read-write).

    Built by open_session(); use it as a context manager so that it always logs out.
    """

    def __init__(self, settings: ImapSettings) -> None:
        self.settings = settings
        self.capabilities: frozenset[str] = frozenset()
        self.uidvalidity: int | None = None
        self._imap: imaplib.IMAP4 | None = None
        self._done_folder_ready = False

    def __enter__(self) -> Session:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # Connection

    def open(self) -> None:
        settings = self.settings
        if settings.done_folder and settings.done_folder == settings.folder:
            raise ImapError(
                f"The folder for processed messages must differ from the watched folder "
                f"'{settings.folder}'"
            )
        self._imap = self._connect()
        try:
            self._login()
            self.capabilities = self._read_capabilities()
            self._select()
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        """Log out; never raises, the server may already be gone."""
        imap, self._imap = self._imap, None
        if imap is None:
            return
        try:
            imap.logout()
        except Exception:
            # Leaving must not hide the real outcome of the session.
            with contextlib.suppress(Exception):
                imap.shutdown()

    def _connect(self) -> imaplib.IMAP4:
        settings = self.settings
        if settings.security not in Security.values:
            raise ImapError(f"Unknown connection security '{settings.security}'")
        context = settings.ssl_context or ssl.create_default_context()
        address = settings.address
        imap: imaplib.IMAP4 | None = None
        try:
            if settings.security == Security.SSL:
                return _IMAP4_SSL(
                    settings.host, settings.port, ssl_context=context, timeout=settings.timeout
                )
            imap = _IMAP4(settings.host, settings.port, timeout=settings.timeout)
            if settings.security == Security.STARTTLS:
                imap.starttls(context)
            return imap
        except Exception as error:
            if imap is not None:
                with contextlib.suppress(Exception):
                    imap.shutdown()
            if isinstance(error, ssl.SSLError):
                raise ImapError(f"TLS with {address} failed: {_detail(error)}") from error
            if isinstance(error, OSError):
                raise ImapError(f"Cannot reach {address}: {_detail(error)}") from error
            if isinstance(error, imaplib.IMAP4.error):
                if imap is not None and settings.security == Security.STARTTLS:
                    raise ImapError(f"Cannot start TLS with {address}: {_detail(error)}") from error
                raise ImapError(
                    f"{address} did not answer as an IMAP server: {_detail(error)}"
                ) from error
            raise

    def _login(self) -> None:
        settings = self.settings
        imap = self._connection
        with self._errors(f"Login refused by {settings.host}", "login"):
            if (settings.username + settings.password).isascii():
                imap.login(settings.username, settings.password)
                return
            # LOGIN only carries ASCII; SASL PLAIN carries UTF-8.
            secret = f"\0{settings.username}\0{settings.password}".encode()
            imap.authenticate("PLAIN", lambda _challenge: secret)

    def _read_capabilities(self) -> frozenset[str]:
        # Servers announce more once logged in (MOVE, UIDPLUS) than in their greeting.
        typ, data = self._call("CAPABILITY", self._connection.capability)
        words = b" ".join(item for item in data if isinstance(item, bytes)).split()
        return frozenset(word.decode("ascii", "replace").upper() for word in words)

    def _select(self) -> None:
        folder = self.settings.folder
        imap = self._connection
        with self._errors(f"Cannot open folder '{folder}'", "SELECT"):
            typ, data = imap.select(encode_mailbox(folder))
        if typ != "OK":
            if not self._folder_exists(folder):
                raise ImapError(f"Folder '{folder}' does not exist")
            raise ImapError(f"Cannot open folder '{folder}': {_text(data)}")
        _typ, validity = imap.response("UIDVALIDITY")
        if validity and isinstance(validity[0], bytes) and validity[0].isdigit():
            self.uidvalidity = int(validity[0])

    # Messages

    def pending_uids(self) -> list[int]:
        """UIDs of the messages to process, ascending.

        With a done folder, everything still in the watched folder (a person may have read a
        message in webmail meanwhile); otherwise the unread ones. Messages flagged \\Deleted
        are on their way out and never pending.
        """
        criteria = ["UNDELETED"] if self.settings.done_folder else ["UNSEEN", "UNDELETED"]
        _typ, data = self._call("SEARCH", lambda: self._connection.uid("SEARCH", *criteria))
        words = b" ".join(item for item in data if isinstance(item, bytes)).split()
        return sorted({int(word) for word in words if word.isdigit()})

    def fetch(self, uids: list[int], batch: int = 50) -> Iterator[tuple[int, bytes]]:
        """(UID, raw message) for each UID still there, in ascending order.

        BODY.PEEK[] leaves the \\Seen flag alone: a message is done only when mark_done says.
        """
        for chunk in _chunks(uids, max(1, batch)):
            found = parse_fetch(self._uid("FETCH", chunk, "(BODY.PEEK[])"))
            self._forget_untagged()
            for uid in chunk:
                if uid in found:
                    yield uid, found[uid]

    def mark_done(self, uids: list[int]) -> None:
        """Move the messages to the done folder, or flag them \\Seen when there is none."""
        if not uids:
            return
        target = self.settings.done_folder
        if target:
            self._ensure_folder(target)
        for chunk in _chunks(uids, STORE_BATCH):
            if not target:
                self._store(chunk, r"(\Seen)")
            elif "MOVE" in self.capabilities:
                self._uid("MOVE", chunk, encode_mailbox(target))
            else:
                self._uid("COPY", chunk, encode_mailbox(target))
                self._store(chunk, r"(\Deleted)")
                if "UIDPLUS" in self.capabilities:
                    self._uid("EXPUNGE", chunk)
                else:
                    # Without UIDPLUS this also removes whatever else was flagged \Deleted.
                    self._call("EXPUNGE", self._connection.expunge)
            self._forget_untagged()

    def append(self, raw: bytes, folder: str | None = None) -> None:
        """Add a message to a folder (the watched one by default), creating it if needed."""
        target = folder or self.settings.folder
        self._ensure_folder(target)
        self._call("APPEND", lambda: self._connection.append(encode_mailbox(target), "", "", raw))
        self._forget_untagged()

    # Helpers

    @property
    def _connection(self) -> imaplib.IMAP4:
        if self._imap is None:
            raise ImapError(f"Not connected to {self.settings.address}")
        return self._imap

    def _store(self, uids: list[int], flags: str) -> None:
        self._uid("STORE", uids, "+FLAGS.SILENT", flags)

    def _uid(self, command: str, uids: list[int], *args: str) -> list[Any]:
        _typ, data = self._call(
            command, lambda: self._connection.uid(command, uid_set(uids), *args)
        )
        return data

    def _folder_exists(self, folder: str) -> bool:
        _typ, data = self._call("LIST", lambda: self._connection.list('""', encode_mailbox(folder)))
        return any(item for item in data if item)

    def _ensure_folder(self, folder: str) -> None:
        if folder.upper() == "INBOX" or (
            folder == self.settings.done_folder and self._done_folder_ready
        ):
            return
        if not self._folder_exists(folder):
            name = encode_mailbox(folder)
            self._call("CREATE", lambda: self._connection.create(name))
            # So that the user's mail client shows it too; refusal is harmless.
            with contextlib.suppress(ImapError):
                self._call("SUBSCRIBE", lambda: self._connection.subscribe(name))
        if folder == self.settings.done_folder:
            self._done_folder_ready = True

    def _forget_untagged(self) -> None:
        # imaplib keeps every unsolicited answer (EXPUNGE, EXISTS...) until asked for it.
        if self._imap is not None:
            self._imap.untagged_responses.clear()

    def _call(
        self, what: str, action: Callable[[], tuple[str, list[Any]]]
    ) -> tuple[str, list[Any]]:
        with self._errors(f"IMAP {what} failed on {self.settings.host}", what):
            typ, data = action()
        if typ != "OK":
            raise ImapError(f"IMAP {what} refused by {self.settings.host}: {_text(data)}")
        return typ, data

    @contextlib.contextmanager
    def _errors(self, what: str, operation: str) -> Iterator[None]:
        try:
            yield
        except ImapError:
            raise
        except imaplib.IMAP4.readonly as error:
            # A subclass of abort, but the connection is fine: the folder is read-only.
            raise ImapError(f"{what}: {_detail(error)}") from error
        except (imaplib.IMAP4.abort, OSError) as error:
            self._lost(operation, error)
        except (imaplib.IMAP4.error, ValueError) as error:
            raise ImapError(f"{what}: {_detail(error)}") from error

    def _lost(self, operation: str, error: BaseException) -> NoReturn:
        # The connection is unusable after an abort or a socket error (a timeout included):
        # drop it so that close() does not wait on it again.
        imap, self._imap = self._imap, None
        if imap is not None:
            with contextlib.suppress(Exception):
                imap.shutdown()
        raise ImapError(
            f"Connection to {self.settings.address} lost during {operation}: {_detail(error)}"
        ) from error


def open_session(settings: ImapSettings) -> Session:
    """Connect, log in and select the folder; raises ImapError."""
    session = Session(settings)
    session.open()
    return session


def check(settings: ImapSettings) -> int:
    """Try the settings for real; the number of messages waiting. Raises ImapError."""
    with open_session(settings) as session:
        return len(session.pending_uids())
