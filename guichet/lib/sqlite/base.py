"""Django's SQLite backend, with writers taking turns through a lock file.

Every transaction on SQLite starts with `BEGIN IMMEDIATE` (settings.py), which takes the
database's write lock. A writer that finds it taken is made to wait by SQLite's busy handler,
which sleeps 1, 2, 5, 10... ms between tries: with two web processes and a worker writing at
once, most of a short write's time went into those sleeps. Here a transaction first takes an
exclusive lock on `<database>.lock` with flock(2), trying again after pauses of 50 µs that
grow to 1 ms, then begins: the next writer starts within a fraction of a millisecond of the
previous one's commit. SQLite's own locking still guarantees correctness (any other program
writing to the file is waited for as before); the lock file only makes Guichet's processes
take turns promptly.

A lock not granted within the connection's timeout fails the way SQLite does ("database is
locked"), so a stuck transaction elsewhere gives an error, never a hang.

Checkpoints (copying the write-ahead log into the database file, then syncing it) are taken
out of the commit as well: SQLite runs them inside the COMMIT that fills the log, while the
lock is held, and a sync takes tens of milliseconds on a virtual disk. Each connection runs a
passive checkpoint every CHECKPOINT_EVERY commits, after letting go of the lock; passive
checkpoints do not hold up other writers. SQLite's own automatic checkpoint stays as a safety
net for a log grown by writes made outside transactions, at a larger size.
"""

import fcntl
import os
import time

from django.db import OperationalError
from django.db.backends.sqlite3 import base

CHECKPOINT_EVERY = 200  # commits; about 4,000 pages of log for a ticket's writes
AUTOCHECKPOINT_PAGES = 20_000


class DatabaseWrapper(base.DatabaseWrapper):
    _lock_fd: int | None = None
    _commits = 0

    def get_new_connection(self, conn_params):
        conn = super().get_new_connection(conn_params)
        conn.execute(f"PRAGMA wal_autocheckpoint={AUTOCHECKPOINT_PAGES}")
        return conn

    def _lock_path(self) -> str | None:
        name = str(self.settings_dict["NAME"])
        if self.is_in_memory_db() or not name:
            return None
        return f"{name}.lock"

    def _acquire_write_lock(self) -> None:
        path = self._lock_path()
        if path is None or self._lock_fd is not None:
            return
        # One open file per connection: threads of one process queue like processes do.
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        timeout = float(self.settings_dict.get("OPTIONS", {}).get("timeout", 5))
        deadline = time.monotonic() + timeout
        pause = 0.00005
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    os.close(fd)
                    raise OperationalError("database is locked") from None
                # Short pauses that grow to 1 ms: a write holds the lock about a millisecond.
                time.sleep(pause)
                pause = min(pause * 2, 0.001)
        self._lock_fd = fd

    def _release_write_lock(self) -> None:
        fd, self._lock_fd = self._lock_fd, None
        if fd is not None:
            os.close(fd)  # closing the file releases the lock

    def _start_transaction_under_autocommit(self):
        self._acquire_write_lock()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._release_write_lock()
            raise

    def _commit(self):
        held = self._lock_fd is not None
        try:
            return super()._commit()
        finally:
            self._release_write_lock()
            if held:
                self._commits += 1
                if self._commits % CHECKPOINT_EVERY == 0:
                    self._checkpoint()

    def _checkpoint(self) -> None:
        if self.connection is not None and not self.is_in_memory_db():
            self.connection.execute("PRAGMA wal_checkpoint(PASSIVE)")

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._release_write_lock()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._release_write_lock()
