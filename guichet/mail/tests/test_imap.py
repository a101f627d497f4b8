"""The IMAP client against a real Dovecot."""

import socket
import ssl
from collections.abc import Iterator

import pytest

from guichet.mail.imap import (
    ImapError,
    check,
    encode_mailbox,
    open_session,
    parse_fetch,
    uid_set,
)
from guichet.mail.tests.servers import Dovecot, free_port


def mail(number: int, body: bytes = b"L'imprimante est en panne.\r\n") -> bytes:
    return (
        f"From: Claire Martin <claire@example.com>\r\n"
        f"To: support@example.com\r\n"
        f"Subject: Ticket {number}\r\n"
        f"Message-ID: <{number}@example.com>\r\n"
        f"\r\n"
    ).encode() + body


@pytest.fixture
def user(dovecot: Dovecot) -> str:
    return dovecot.new_user()


def deliver(dovecot: Dovecot, user: str, count: int, folder: str = "INBOX") -> list[bytes]:
    raws = [mail(number) for number in range(1, count + 1)]
    for raw in raws:
        dovecot.deliver(user, raw, folder)
    return raws


def flags(dovecot: Dovecot, user: str, folder: str = "INBOX") -> list[set[str]]:
    return [found for found, _raw in dovecot.messages(user, folder)]


# Without a done folder: processed messages are flagged \Seen


def test_it_lists_unread_messages_and_fetches_them(dovecot: Dovecot, user: str) -> None:
    raws = deliver(dovecot, user, 3)

    with open_session(dovecot.settings(user)) as session:
        uids = session.pending_uids()
        fetched = list(session.fetch(uids))

    assert uids == [1, 2, 3]
    assert fetched == list(zip(uids, raws, strict=True))


def test_fetching_leaves_messages_unread(dovecot: Dovecot, user: str) -> None:
    deliver(dovecot, user, 2)

    with open_session(dovecot.settings(user)) as session:
        list(session.fetch(session.pending_uids()))

    assert flags(dovecot, user) == [set(), set()]
    assert check(dovecot.settings(user)) == 2


def test_marking_done_flags_seen_and_they_are_no_longer_pending(
    dovecot: Dovecot, user: str
) -> None:
    deliver(dovecot, user, 3)

    with open_session(dovecot.settings(user)) as session:
        session.mark_done([1, 2])
        pending = session.pending_uids()

    assert pending == [3]
    assert flags(dovecot, user) == [{"\\Seen"}, {"\\Seen"}, set()]


def test_messages_flagged_deleted_are_not_pending(dovecot: Dovecot, user: str) -> None:
    deliver(dovecot, user, 2)

    with open_session(dovecot.settings(user)) as session:
        session._store([1], r"(\Deleted)")
        assert session.pending_uids() == [2]


# With a done folder: processed messages are moved there


def test_marking_done_moves_messages_to_the_done_folder(dovecot: Dovecot, user: str) -> None:
    raws = deliver(dovecot, user, 3)
    settings = dovecot.settings(user, done_folder="Processed")

    with open_session(settings) as session:
        session.mark_done([1, 3])
        pending = session.pending_uids()

    assert pending == [2]
    assert [raw for _flags, raw in dovecot.messages(user)] == [raws[1]]
    assert [raw for _flags, raw in dovecot.messages(user, "Processed")] == [raws[0], raws[2]]


@pytest.mark.parametrize("capabilities", [{"MOVE"}, {"MOVE", "UIDPLUS"}])
def test_marking_done_without_move_copies_then_expunges(
    dovecot: Dovecot, user: str, capabilities: set[str]
) -> None:
    raws = deliver(dovecot, user, 3)
    settings = dovecot.settings(user, done_folder="Archive/Guichet")

    with open_session(settings) as session:
        # As an older server would announce itself.
        session.capabilities = session.capabilities - capabilities
        session.mark_done([1, 2])
        pending = session.pending_uids()

    assert pending == [3]
    assert [raw for _flags, raw in dovecot.messages(user)] == [raws[2]]
    assert [raw for _flags, raw in dovecot.messages(user, "Archive/Guichet")] == raws[:2]


def test_with_a_done_folder_read_messages_are_still_pending(dovecot: Dovecot, user: str) -> None:
    deliver(dovecot, user, 2)
    with open_session(dovecot.settings(user)) as session:
        session.mark_done([1])  # read in webmail, say

    with open_session(dovecot.settings(user, done_folder="Done")) as session:
        assert session.pending_uids() == [1, 2]


def test_a_done_folder_with_an_accented_name_is_created(dovecot: Dovecot, user: str) -> None:
    raws = deliver(dovecot, user, 1)

    with open_session(dovecot.settings(user, done_folder="Traités par Guichet")) as session:
        session.mark_done([1])

    assert [raw for _flags, raw in dovecot.messages(user, "Traités par Guichet")] == raws


def test_the_done_folder_must_differ_from_the_watched_one(dovecot: Dovecot, user: str) -> None:
    with pytest.raises(ImapError, match="must differ"):
        open_session(dovecot.settings(user, done_folder="INBOX"))


def test_it_watches_another_folder(dovecot: Dovecot, user: str) -> None:
    raws = deliver(dovecot, user, 2, folder="Support")

    with open_session(dovecot.settings(user, folder="Support")) as session:
        assert list(session.fetch(session.pending_uids())) == [(1, raws[0]), (2, raws[1])]


# Batches and content


def test_it_fetches_and_marks_in_batches(dovecot: Dovecot, user: str) -> None:
    raws = deliver(dovecot, user, 12)

    with open_session(dovecot.settings(user)) as session:
        fetched = list(session.fetch([1, 2, 3, 5, 8, 9, 10, 12], batch=3))
        session.mark_done([uid for uid, _raw in fetched])
        pending = session.pending_uids()

    assert [uid for uid, _raw in fetched] == [1, 2, 3, 5, 8, 9, 10, 12]
    assert [raw for _uid, raw in fetched] == [raws[uid - 1] for uid in (1, 2, 3, 5, 8, 9, 10, 12)]
    assert pending == [4, 6, 7, 11]


def test_it_skips_messages_that_are_gone(dovecot: Dovecot, user: str) -> None:
    deliver(dovecot, user, 2)

    with open_session(dovecot.settings(user, done_folder="Done")) as session:
        session.mark_done([1])
        assert [uid for uid, _raw in session.fetch([1, 2, 99])] == [2]


def test_eight_bit_messages_round_trip_byte_for_byte(dovecot: Dovecot, user: str) -> None:
    latin1 = mail(1, "Le câble a lâché à 9h.\r\n".encode("latin-1"))
    utf8 = mail(2, "Écran noir, clé USB refusée ✓\r\n".encode())
    dovecot.deliver(user, latin1)

    with open_session(dovecot.settings(user)) as session:
        session.append(utf8)
        fetched = dict(session.fetch(session.pending_uids()))

    assert fetched == {1: latin1, 2: utf8}


def test_large_messages_and_long_lines_round_trip(dovecot: Dovecot, user: str) -> None:
    line = b"QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0NTY3ODkwYWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXo=\r\n"
    large = mail(1, line * (5 * 1024 * 1024 // len(line)))
    long_line = mail(2, b"x" * 200_000 + b"\r\n")

    with open_session(dovecot.settings(user)) as session:
        session.append(large)
        session.append(long_line)
        fetched = dict(session.fetch(session.pending_uids()))

    assert len(large) > 5_000_000
    assert fetched == {1: large, 2: long_line}


def test_an_empty_mailbox_has_nothing_pending(dovecot: Dovecot, user: str) -> None:
    with open_session(dovecot.settings(user)) as session:
        assert session.pending_uids() == []
        assert list(session.fetch([])) == []
        session.mark_done([])


def test_check_counts_pending_messages(dovecot: Dovecot, user: str) -> None:
    assert check(dovecot.settings(user)) == 0
    deliver(dovecot, user, 2)
    assert check(dovecot.settings(user)) == 2


# Errors an administrator must understand


def test_a_wrong_password_is_a_clear_error(dovecot: Dovecot, user: str) -> None:
    with pytest.raises(ImapError) as error:
        check(dovecot.settings(user, "wrong"))

    assert str(error.value).startswith(f"Login refused by {dovecot.host}: ")
    assert "Authentication failed" in str(error.value)
    assert "b'" not in str(error.value)


def test_a_non_ascii_password_logs_in(dovecot: Dovecot) -> None:
    username = dovecot.new_user(password="mot-de-passe-très-sûr")
    assert check(dovecot.settings(username)) == 0


def test_an_unreachable_server_is_a_clear_error(dovecot: Dovecot, user: str) -> None:
    port = free_port()
    with pytest.raises(ImapError, match=rf"^Cannot reach 127\.0\.0\.1:{port}: "):
        check(dovecot.settings(user, port=port))


def test_an_unknown_host_is_a_clear_error(dovecot: Dovecot, user: str) -> None:
    with pytest.raises(ImapError, match=r"^Cannot reach imap\.invalid:143: "):
        check(dovecot.settings(user, host="imap.invalid", port=143))


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections and never says a word."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield listener.getsockname()[1]


def test_a_server_that_never_answers_times_out(
    dovecot: Dovecot, user: str, silent_port: int
) -> None:
    with pytest.raises(ImapError, match=r"timed out"):
        check(dovecot.settings(user, port=silent_port, timeout=0.5))


def test_a_missing_folder_is_a_clear_error(dovecot: Dovecot, user: str) -> None:
    with pytest.raises(ImapError, match=r"^Folder 'Tickets' does not exist$"):
        check(dovecot.settings(user, folder="Tickets"))


def test_an_unknown_security_is_a_clear_error(dovecot: Dovecot, user: str) -> None:
    with pytest.raises(ImapError, match="Unknown connection security 'tls'"):
        check(dovecot.settings(user, security="tls"))


def test_leaving_a_broken_session_does_not_raise(dovecot: Dovecot, user: str) -> None:
    with open_session(dovecot.settings(user)) as session:
        assert session._imap is not None
        session._imap.sock.shutdown(socket.SHUT_RDWR)  # as if the server went away
        with pytest.raises(ImapError, match="lost"):
            session.pending_uids()


# TLS


def test_it_connects_over_tls(dovecot: Dovecot, user: str) -> None:
    deliver(dovecot, user, 1)
    settings = dovecot.settings(user, security="ssl")

    assert settings.port == dovecot.ssl_port
    assert check(settings) == 1


def test_it_upgrades_with_starttls(dovecot: Dovecot, user: str) -> None:
    deliver(dovecot, user, 1)
    settings = dovecot.settings(user, security="starttls")

    assert settings.port == dovecot.port
    assert check(settings) == 1


@pytest.mark.parametrize("security", ["ssl", "starttls"])
def test_an_untrusted_certificate_is_a_clear_error(
    dovecot: Dovecot, user: str, security: str
) -> None:
    settings = dovecot.settings(user, security=security, ssl_context=ssl.create_default_context())

    with pytest.raises(ImapError, match=r"^TLS with 127\.0\.0\.1:\d+ failed: certificate"):
        check(settings)


def test_tls_on_the_plain_port_is_a_clear_error(dovecot: Dovecot, user: str) -> None:
    settings = dovecot.settings(user, security="ssl", port=dovecot.port)

    with pytest.raises(ImapError, match=r"^TLS with 127\.0\.0\.1:\d+ failed"):
        check(settings)


def test_plain_imap_on_the_tls_port_is_a_clear_error(dovecot: Dovecot, user: str) -> None:
    settings = dovecot.settings(user, port=dovecot.ssl_port, timeout=1)

    with pytest.raises(ImapError, match=r"127\.0\.0\.1:\d+"):
        check(settings)


# Pure helpers


def test_uid_sets_are_compact() -> None:
    assert uid_set([9, 1, 2, 3, 5, 8, 3]) == "1:3,5,8:9"
    assert uid_set([7]) == "7"


def test_folder_names_are_quoted_in_modified_utf7() -> None:
    assert encode_mailbox("INBOX") == '"INBOX"'
    assert encode_mailbox("Traités & co") == '"Trait&AOk-s &- co"'
    assert encode_mailbox('a "b"') == '"a \\"b\\""'


def test_fetch_answers_are_read_in_any_order() -> None:
    data = [
        (b"1 (UID 4 FLAGS (\\Seen) BODY[] {3}", b"one"),
        b")",
        b"7 (FLAGS (\\Seen))",  # an unsolicited update in between
        (b"2 (BODY[] {3}", b"two"),
        b" UID 5 FLAGS ())",
        (b"3 (FLAGS () BODY[] {5}", b"three"),
        b" UID 6)",
    ]

    assert parse_fetch(data) == {4: b"one", 5: b"two", 6: b"three"}
