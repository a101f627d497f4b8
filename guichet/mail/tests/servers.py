"""Real mail servers for the tests: Debian's Dovecot for IMAP, aiosmtpd for SMTP.

Each pytest process (every xdist worker, every database run) starts its own Dovecot in its
own temporary directory on free local ports, so that runs never see each other's mail.
"""

from __future__ import annotations

import contextlib
import grp
import imaplib
import itertools
import os
import pwd
import shutil
import socket
import ssl
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from guichet.mail.imap import ImapSettings, encode_mailbox

INSTALL_HINT = "run scripts/system-packages.sh to install it"
START_TIMEOUT = 20.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _dovecot_binary() -> str:
    found = shutil.which("dovecot") or (
        "/usr/sbin/dovecot" if os.access("/usr/sbin/dovecot", os.X_OK) else None
    )
    if not found:
        pytest.fail(
            f"Dovecot (the IMAP test server) is not installed: {INSTALL_HINT}.", pytrace=False
        )
    return found


def _run(*command: str | Path) -> None:
    subprocess.run([str(part) for part in command], check=True, capture_output=True, timeout=60)


def _make_certificates(directory: Path) -> None:
    """A throw-away CA and a server certificate for 127.0.0.1 and localhost signed by it."""
    if not shutil.which("openssl"):
        pytest.fail(f"openssl is not installed: {INSTALL_HINT}.", pytrace=False)
    key = ("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes")
    ca_key, ca_crt = directory / "ca.key", directory / "ca.crt"
    server_key, server_crt = directory / "server.key", directory / "server.crt"
    request, extensions = directory / "server.csr", directory / "server.ext"
    extensions.write_text(
        "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
        "basicConstraints=CA:FALSE\n"
        "keyUsage=digitalSignature,keyEncipherment\n"
        "extendedKeyUsage=serverAuth\n"
    )
    subject = ("-subj", "/CN=Guichet test CA")
    _run("openssl", "req", "-x509", "-days", "7", *key, *subject, "-keyout", ca_key, "-out", ca_crt)
    subject = ("-subj", "/CN=localhost")
    _run("openssl", "req", *key, *subject, "-keyout", server_key, "-out", request)
    signer = ("-CA", ca_crt, "-CAkey", ca_key, "-CAcreateserial", "-extfile", extensions)
    _run("openssl", "x509", "-req", "-days", "7", *signer, "-in", request, "-out", server_crt)


@dataclass(frozen=True)
class _MailOwner:
    """Whom Dovecot reads and writes the mail as: never root, which Dovecot refuses."""

    uid: int
    gid: int
    user: str
    group: str

    @classmethod
    def for_this_process(cls) -> _MailOwner:
        account = pwd.getpwnam("nobody") if os.geteuid() == 0 else pwd.getpwuid(os.geteuid())
        group = grp.getgrgid(account.pw_gid).gr_name
        return cls(account.pw_uid, account.pw_gid, account.pw_name, group)


class Dovecot:
    """A private Dovecot: plain IMAP (with STARTTLS) on `port`, IMAP over TLS on `ssl_port`."""

    host = "127.0.0.1"

    def __init__(self, binary: str) -> None:
        self.binary = binary
        # Not under pytest's tmp_path: that is private to root, and Dovecot reads and writes
        # the mail as an unprivileged user; socket paths must also stay short.
        self.directory = Path(tempfile.mkdtemp(prefix="guichet-dovecot-"))
        self.directory.chmod(0o755)
        self.config = self.directory / "dovecot.conf"
        self.users_dir = self.directory / "users"
        self.ca_file = str(self.directory / "ca.crt")
        self.log_file = self.directory / "dovecot.log"
        self.port = 0
        self.ssl_port = 0
        self.owner = _MailOwner.for_this_process()
        self._passwords: dict[str, str] = {}
        self._process: subprocess.Popen[bytes] | None = None
        self._names = itertools.count()

    # Life cycle

    def start(self) -> None:
        (self.directory / "home").mkdir(mode=0o755)
        (self.directory / "state").mkdir(mode=0o755)
        self.users_dir.mkdir(mode=0o755)
        _make_certificates(self.directory)
        # Another process may take a free port between our probe and Dovecot's bind.
        for _attempt in range(3):
            self.port, self.ssl_port = free_port(), free_port()
            self.config.write_text(self._configuration())
            if self._launch():
                return
        pytest.fail(f"Dovecot did not start; its log:\n{self._log_tail()}", pytrace=False)

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            subprocess.run(
                [self.binary, "-c", str(self.config), "stop"], capture_output=True, timeout=30
            )
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        shutil.rmtree(self.directory, ignore_errors=True)

    def _launch(self) -> bool:
        with open(self.directory / "dovecot.out", "ab") as output:
            process = subprocess.Popen(
                [self.binary, "-F", "-c", str(self.config)],
                stdout=output,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if process.poll() is not None:
                return False
            if self._greets(self.port) and self._greets(self.ssl_port, tls=True):
                self._process = process
                return True
            time.sleep(0.05)
        process.kill()
        process.wait(timeout=10)
        return False

    def _greets(self, port: int, tls: bool = False) -> bool:
        try:
            with socket.create_connection((self.host, port), timeout=2) as connection:
                if tls:
                    context = ssl.create_default_context(cafile=self.ca_file)
                    with context.wrap_socket(connection, server_hostname=self.host) as secure:
                        return secure.recv(64).startswith(b"* OK")
                return connection.recv(64).startswith(b"* OK")
        except OSError:
            return False

    def _log_tail(self) -> str:
        text = ""
        for name in ("dovecot.out", "dovecot.log"):
            with contextlib.suppress(OSError):
                text += (self.directory / name).read_text(errors="replace")
        return text[-4000:]

    def _configuration(self) -> str:
        directory = self.directory
        rootless = chroot = ""
        if os.geteuid() != 0:
            # Only root may chroot; without root everything runs as the current user.
            chroot = "  chroot =\n"
            rootless = (
                f"default_internal_user = {self.owner.user}\n"
                f"default_internal_group = {self.owner.group}\n"
                f"default_login_user = {self.owner.user}\n"
            )
        return f"""\
base_dir = {directory}/run
state_dir = {directory}/state
{rootless}protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <{directory}/server.crt
ssl_key = <{directory}/server.key
disable_plaintext_auth = no
auth_mechanisms = plain login
# A wrong password answers at once instead of after two seconds...
auth_failure_delay = 0
log_path = {self.log_file}
# Whatever the uid of the account that owns the mail when the tests do not run as root.
first_valid_uid = 1
mail_location = maildir:~/Maildir
namespace inbox {{
  inbox = yes
  separator = /
}}
passdb {{
  driver = passwd-file
  # One file per user: Dovecot rereads a passwd-file at most once a second, which would
  # miss a user added right after another one.
  args = scheme=PLAIN username_format=%u {self.users_dir}/%u
}}
userdb {{
  driver = static
  args = uid={self.owner.uid} gid={self.owner.gid} home={directory}/home/%u
}}
protocol imap {{
  mail_max_userip_connections = 1000
}}
# ...and does not slow down the next logins from 127.0.0.1 (the auth penalty): the auth
# process cannot reach a socket of mode 0, which turns the penalty off.
service anvil {{
{chroot}  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
service imap-login {{
{chroot}  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {self.ssl_port}
  }}
}}
"""

    # Accounts and mail

    def add_user(self, username: str, password: str) -> None:
        """A mailbox, or a new password for an existing one."""
        if ":" in username + password or "\n" in username + password or "/" in username:
            raise ValueError("a users file cannot hold ':', '/' or line breaks")
        self._home(username)
        self._passwords[username] = password
        entry = self.users_dir / username
        entry.write_text(f"{username}:{{PLAIN}}{password}\n", encoding="utf-8")
        entry.chmod(0o644)

    def new_user(self, password: str = "secret") -> str:
        """A fresh mailbox nobody else uses, so that tests never see each other's mail."""
        username = f"user{next(self._names)}-{uuid.uuid4().hex[:8]}"
        self.add_user(username, password)
        return username

    def settings(
        self, username: str, password: str | None = None, **overrides: Any
    ) -> ImapSettings:
        """Settings for this server (plain IMAP by default; the user's own password).

        With security "ssl" the port defaults to `ssl_port`, and with "ssl" or "starttls"
        the SSL context trusts this server's test CA.
        """
        security = overrides.pop("security", "none")
        values: dict[str, Any] = {
            "host": self.host,
            "port": self.ssl_port if security == "ssl" else self.port,
            "security": security,
            "username": username,
            "password": self._passwords.get(username, "") if password is None else password,
            "timeout": 10.0,
        }
        if security in ("ssl", "starttls"):
            values["ssl_context"] = self.ssl_context()
        values.update(overrides)
        return ImapSettings(**values)

    def ssl_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=self.ca_file)

    def deliver(self, username: str, raw: bytes, folder: str = "INBOX") -> None:
        """Drop a message straight into the maildir, as a local delivery agent would.

        Written in tmp/ then renamed into new/ (so that Dovecot never reads half a file),
        owned by the user Dovecot reads the mail as.
        """
        maildir = self._maildir(username, folder)
        name = f"{time.time_ns() // 1000}.P{os.getpid()}Q{next(self._names)}.guichet-tests"
        temporary = maildir / "tmp" / name
        temporary.write_bytes(raw)
        self._own(temporary, 0o600)
        temporary.rename(maildir / "new" / name)

    def messages(self, username: str, folder: str = "INBOX") -> list[tuple[set[str], bytes]]:
        """(flags, raw message) of each message in the folder, by UID; [] when it is missing.

        Read over IMAP with EXAMINE, which changes nothing. \\Recent is left out of the flags:
        it only says which session saw the message first.
        """
        imap = imaplib.IMAP4(self.host, self.port, timeout=30)
        try:
            imap.login(username, self._passwords[username])
            typ, data = imap.select(encode_mailbox(folder), readonly=True)
            if typ != "OK" or data[0] == b"0":
                return []
            typ, data = imap.uid("FETCH", "1:*", "(UID FLAGS BODY.PEEK[])")
            assert typ == "OK", data
            return [(flags, raw) for _uid, flags, raw in _read_fetch(data)]
        finally:
            with contextlib.suppress(Exception):
                imap.logout()

    def _home(self, username: str) -> Path:
        home = self.directory / "home" / username
        if not home.exists():
            home.mkdir(mode=0o700)
            self._own(home, 0o700)
        return home

    def _maildir(self, username: str, folder: str) -> Path:
        """The Maildir++ directory of a folder: ~/Maildir for INBOX, ~/Maildir/.A.B for A/B.

        Names are stored in modified UTF-7, like Dovecot does; "." is the hierarchy
        separator on disk, so it cannot appear in a folder name here.
        """
        if "." in folder:
            raise ValueError("deliver() takes folder names without '.'")
        maildir = self._home(username) / "Maildir"
        parts = [maildir]
        if folder.upper() != "INBOX":
            name = encode_mailbox(folder)[1:-1]
            parts.append(maildir / ("." + name.replace("/", ".")))
        for directory in parts:
            for sub in ("", "cur", "new", "tmp"):
                path = directory / sub
                if not path.exists():
                    path.mkdir(mode=0o700)
                    self._own(path, 0o700)
        return parts[-1]

    def _own(self, path: Path, mode: int) -> None:
        path.chmod(mode)
        if os.geteuid() == 0:
            os.chown(path, self.owner.uid, self.owner.gid)


def _read_fetch(data: list[Any]) -> Iterator[tuple[int, set[str], bytes]]:
    """(UID, flags, body) from "UID n FLAGS (...) BODY[] {size}" answers (Dovecot's order)."""
    for item in data:
        if not isinstance(item, tuple):
            continue
        head = item[0].decode()
        uid = int(head.split("UID ", 1)[1].split()[0])
        flags = set(head.split("FLAGS (", 1)[1].split(")", 1)[0].split()) - {"\\Recent"}
        yield uid, flags, item[1]


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    server = Dovecot(_dovecot_binary())
    try:
        server.start()
        yield server
    finally:
        server.stop()


# SMTP


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: list[str]
    raw: bytes
    message: EmailMessage


def _reply_for(code: int) -> str:
    if 400 <= code < 500:
        return f"{code} 4.3.0 Try again later"
    return f"{code} 5.7.1 Message refused"


@dataclass
class SmtpServer:
    """What reached the SMTP server, and a way to make it refuse the next messages."""

    host: str = "127.0.0.1"
    port: int = 0
    messages: list[Received] = field(default_factory=list)
    refused: int = 0
    _failures: list[int] = field(default_factory=list)
    _changed: threading.Condition = field(default_factory=threading.Condition)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        with self._changed:
            if self._failures:
                self.refused += 1
                return _reply_for(self._failures.pop(0))
        content = envelope.original_content or envelope.content or b""
        raw = content if isinstance(content, bytes) else content.encode()
        parsed = BytesParser(policy=policy.default).parsebytes(raw)
        assert isinstance(parsed, EmailMessage)
        received = Received(envelope.mail_from or "", list(envelope.rcpt_tos), raw, parsed)
        with self._changed:
            self.messages.append(received)
            self._changed.notify_all()
        return "250 2.0.0 Message accepted"

    def fail_next(self, count: int, code: int = 451) -> None:
        """Refuse the next `count` messages at DATA with this reply code."""
        with self._changed:
            self._failures.extend([code] * count)

    def wait_for(self, count: int, timeout: float = 5) -> list[Received]:
        """The messages once at least `count` have arrived; fails the test after `timeout`."""
        with self._changed:
            if not self._changed.wait_for(lambda: len(self.messages) >= count, timeout):
                raise AssertionError(
                    f"expected {count} message(s) on the SMTP server within {timeout}s, "
                    f"got {len(self.messages)}"
                )
            return list(self.messages)

    def clear(self) -> None:
        with self._changed:
            self.messages.clear()
            self._failures.clear()
            self.refused = 0


@pytest.fixture(scope="session")
def _smtp_controller() -> Iterator[SmtpServer]:
    server = SmtpServer(port=free_port())
    controller = Controller(server, hostname=server.host, port=server.port)
    controller.start()
    try:
        yield server
    finally:
        controller.stop()


@pytest.fixture
def smtp_server(_smtp_controller: SmtpServer) -> Iterator[SmtpServer]:
    """The worker's SMTP server, emptied before and after each test."""
    _smtp_controller.clear()
    yield _smtp_controller
    _smtp_controller.clear()


@pytest.fixture
def smtp_settings(smtp_server: SmtpServer, settings: Any) -> SmtpServer:
    """Django sends real SMTP to smtp_server for this test."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = smtp_server.host
    settings.EMAIL_PORT = smtp_server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 10
    return smtp_server
