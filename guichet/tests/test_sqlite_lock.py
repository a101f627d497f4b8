"""SQLite writers take turns through the lock file: a second writer waits for the first to
commit, then goes on; one that waits too long fails like SQLite does. These use database files
of their own, so they run whichever engine the rest of the suite uses."""

import fcntl
import threading
import time
from pathlib import Path

import pytest
from django.db import OperationalError
from django.db.utils import ConnectionHandler


@pytest.fixture
def databases(tmp_path, django_db_blocker):
    path = tmp_path / "db.sqlite3"
    options = {"transaction_mode": "IMMEDIATE", "timeout": 5}
    handler = ConnectionHandler(
        {
            name: {"ENGINE": "guichet.lib.sqlite", "NAME": str(path), "OPTIONS": options}
            for name in ("default", "first", "second", "impatient")
        }
    )
    handler.settings["impatient"]["OPTIONS"] = {**options, "timeout": 0.2}
    with django_db_blocker.unblock():  # files of this test's own, not the suite's database
        with handler["first"].cursor() as cursor:
            cursor.execute("CREATE TABLE counter (n integer)")
        yield handler, path
        handler.close_all()


def lock_is_free(path: Path) -> bool:
    with open(path) as file:
        try:
            fcntl.flock(file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True


def atomic_insert(connection, value: int, hold: float = 0.0) -> None:
    connection.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
    try:
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO counter VALUES (%s)", [value])
        time.sleep(hold)
        connection.commit()
    finally:
        connection.set_autocommit(True)


def test_a_second_writer_waits_for_the_first_then_writes(databases):
    handler, path = databases
    second = handler["second"]
    started = threading.Event()
    order: list[str] = []

    def slow_writer():
        first = handler["first"]  # connections belong to the thread that opens them
        first.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
        with first.cursor() as cursor:
            cursor.execute("INSERT INTO counter VALUES (1)")
        started.set()
        time.sleep(0.3)
        order.append("first commits")
        first.commit()
        first.set_autocommit(True)
        first.close()

    thread = threading.Thread(target=slow_writer)
    thread.start()
    started.wait(5)
    lock = path.parent / "db.sqlite3.lock"
    assert not lock_is_free(lock)  # the first writer's transaction holds it
    atomic_insert(second, 2)
    order.append("second committed")
    thread.join(5)

    assert order == ["first commits", "second committed"]
    assert lock_is_free(lock)
    with second.cursor() as cursor:
        cursor.execute("SELECT n FROM counter ORDER BY n")
        assert [row[0] for row in cursor.fetchall()] == [1, 2]


def test_a_writer_that_waits_too_long_is_told_the_database_is_locked(databases):
    handler, _path = databases
    first, impatient = handler["first"], handler["impatient"]
    first.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
    try:
        with pytest.raises(OperationalError, match="database is locked"):
            atomic_insert(impatient, 3)
    finally:
        first.rollback()
        first.set_autocommit(True)
    atomic_insert(impatient, 4)  # the lock was given back by the rollback
    with impatient.cursor() as cursor:
        cursor.execute("SELECT n FROM counter")
        assert [row[0] for row in cursor.fetchall()] == [4]


def test_a_closed_connection_gives_the_lock_back(databases):
    handler, _path = databases
    first, impatient = handler["first"], handler["impatient"]
    first.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
    first.close()
    atomic_insert(impatient, 5)


def test_checkpoints_run_after_the_lock_is_given_back(databases, monkeypatch):
    from guichet.lib.sqlite import base

    handler, path = databases
    first = handler["first"]
    with first.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA wal_autocheckpoint")
        assert cursor.fetchone()[0] == base.AUTOCHECKPOINT_PAGES  # SQLite's own, rarely
    seen: list[bool] = []
    monkeypatch.setattr(base, "CHECKPOINT_EVERY", 3)
    original = base.DatabaseWrapper._checkpoint

    def checkpoint(self):
        seen.append(lock_is_free(path.parent / "db.sqlite3.lock"))
        original(self)

    monkeypatch.setattr(base.DatabaseWrapper, "_checkpoint", checkpoint)
    for n in range(7):
        atomic_insert(first, n)
    assert seen == [True, True]  # every third commit, with the lock already free
    with first.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
        busy, frames, done = cursor.fetchone()
    assert busy == 0 and done == frames
