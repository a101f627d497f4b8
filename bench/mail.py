"""The mail channel, measured on the benchmark data set: IMAP polling, the pipe entry point and
the threading lookups.

`python -m bench.run --only mail` (and `make bench`) runs the three parts on a copy of the
data set's SQLite file, so that the tickets, contacts and follow-ups made by the messages never
reach the data set of the other scenarios; the copy is removed at the end. The data set itself
only gains, once, an `OutboundMessage` per ticket (the mail Guichet sent about it, the thread
replies name), if it has none.

- mail_imap: a private Dovecot (`guichet.mail.tests.servers.Dovecot`), three accounts filled
  straight into their maildirs with messages written by `bench.mail_corpus` (new requests from
  the data set's contacts, replies threading onto its tickets, out-of-office answers,
  strangers), a Mailbox row for each (password encrypted, security "none", the first-level
  team); then `poll_mailbox` in one worker process (`bench.mail_worker poll`) on 10,000
  messages, and in 2 worker processes at once, each on a mailbox of 2,000 (a mailbox is polled
  by one worker at a time: its lease). Each `ingest` is timed inside the worker, and on SQLite
  the time its write lock is waited for and held. Checked after:
  one InboundMessage per message, the outcome each kind of message calls for, and every
  message flagged \\Seen on the server.
- mail_pipe: `guichet mail ingest --mailbox bench-pipe < message`, one process per message as
  a mail server runs it, one at a time then 2 at once; each time covers the whole process.
- mail_threading: `thread_ticket_id` (bench.mail_worker lookups) on references of 1, 5 and 30
  Message-IDs, found among the outbound mails or not, with the plans of its queries.

`python -m bench.mail sqlite|postgres|profile` runs them outside `bench.run`: with fewer
messages while working on them, on a PostgreSQL replica of a data set (under
scripts/with-postgres.sh), or with the worker under cProfile.
"""

import argparse
import contextlib
import imaplib
import json
import math
import os
import re
import secrets
import shutil
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GROUP = "mail"
PARTS = ("mail_imap", "mail_pipe", "mail_threading")
NAMES = frozenset({GROUP, *PARTS})
MARKERS = {
    "sqlite": ("<!-- bench:mail -->", "<!-- /bench:mail -->"),
    "postgresql": ("<!-- bench:mail-postgresql -->", "<!-- /bench:mail-postgresql -->"),
}
TARGET_RATE = 50.0  # messages per second, on 2 cores
PIPE_MAILBOX = "bench-pipe"
DESK_DOMAIN = "guichet.example"


@dataclass
class Plan:
    """How much each part does."""

    # IMAP: one worker on a mailbox of `messages`, then `workers` workers on mailboxes of
    # `parallel_messages / workers` each. Sized so that the whole mail group stays within
    # about 10 minutes on the 2-core bench machine (SQLite: 10,000 + 4,000 messages).
    messages: int = 10_000
    parallel_messages: int = 4_000
    workers: int = 2
    pipe: int = 50  # per mode (one at a time, then 2 at once): 100 processes in all
    samples: int = 500  # calls per threading case
    seed: int = 5
    profile: int = 0  # functions listed by the one-worker poll under cProfile (0: none)
    sort: str = "tottime"  # their order (a pstats sort key)
    parallel: bool = True  # also the run of `workers` workers at once
    team: bool = True  # the mailboxes route new tickets to the first-level team


@dataclass
class Run:
    """One `poll_mailbox` run: one worker or several at once."""

    name: str
    workers: int
    messages: int = 0
    processed: int = 0
    seconds: float = 0.0
    cpu_s: float = 0.0
    queries: int = 0
    latencies: list[float] = field(default_factory=list, repr=False)
    checks: dict = field(default_factory=dict)
    top_queries: list = field(default_factory=list, repr=False)  # (SQL, times run)
    lock: dict = field(default_factory=dict)  # SQLite's write lock, summed over the workers
    error: str = ""

    @property
    def rate(self) -> float:
        return self.processed / self.seconds if self.seconds else 0.0


def percentile(values: list[float], p: float) -> float:
    """Nearest rank, of seconds, in milliseconds."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(p / 100 * len(ordered))))
    return ordered[rank - 1] * 1000


def parts_wanted(only: str) -> set[str]:
    """The mail parts `--only` asks for: all of them without `--only` or with `mail`."""
    names = {n for n in only.split(",") if n}
    if not names or GROUP in names:
        return set(PARTS)
    return names & set(PARTS)


# --- The data set ------------------------------------------------------------------------------
OUTBOUND_INSERT = f"""
INSERT INTO mail_outboundmessage (
    message_id, kind, ticket_id, recipient_id, "to", from_address, reply_to, subject, context,
    text, html, language, in_reply_to, "references", auto_submitted, status, attempts,
    next_attempt_at, last_error, created_at, sent_at)
SELECT
    '<guichet.' || t.id || '.' || lower(hex(randomblob(16))) || '@{DESK_DOMAIN}>',
    CASE t.status WHEN 'closed' THEN 'closure' WHEN 'solved' THEN 'solution'
        ELSE 'acknowledgement' END,
    t.id, u.id, u.email, 'Guichet <support@{DESK_DOMAIN}>', 'support@{DESK_DOMAIN}',
    substr('[#' || t.id || '] ' || t.title, 1, 255), '{{}}', '', '',
    CASE WHEN u.language IN ('fr', 'en') THEN u.language ELSE 'fr' END, '', '',
    CASE t.status WHEN 'closed' THEN 'auto-generated' WHEN 'solved' THEN 'auto-generated'
        ELSE 'auto-replied' END,
    'sent', 1, NULL, '',
    coalesce(t.closed_at, t.solved_at, datetime(t.created_at, '+1 minute')),
    coalesce(t.closed_at, t.solved_at, datetime(t.created_at, '+1 minute'))
FROM tickets_ticket t JOIN accounts_user u ON u.id = t.requester_id
WHERE u.email != '' AND t.id > ? AND t.id <= ?
    AND NOT EXISTS (SELECT 1 FROM mail_outboundmessage o WHERE o.ticket_id = t.id)
ORDER BY t.id
"""  # noqa: S608 - constants


def ensure_outbound(db: Path, *, analyze: bool, say) -> dict:
    """An OutboundMessage per ticket (the last mail Guichet sent about it: acknowledgement,
    solution or closure, as of its status), when the data set has fewer than one for two
    tickets: plain SQL in batches of 100,000 tickets, in one transaction."""
    cx = sqlite3.connect(db, isolation_level=None)
    try:
        (tickets, top) = cx.execute("SELECT count(*), max(id) FROM tickets_ticket").fetchone()
        (have,) = cx.execute("SELECT count(*) FROM mail_outboundmessage").fetchone()
        if have * 2 >= tickets:
            return {"rows": have, "inserted": 0, "seconds": 0.0}
        say(f"Adding an outbound mail to each of the {tickets:,} tickets (once)…")
        started = time.monotonic()
        cx.execute("PRAGMA cache_size=-1000000")
        cx.execute("BEGIN IMMEDIATE")
        for low in range(0, top, 100_000):
            cx.execute(OUTBOUND_INSERT, (low, low + 100_000))
        cx.execute("COMMIT")
        if analyze:
            cx.execute("PRAGMA analysis_limit=0")
            cx.execute("ANALYZE mail_outboundmessage")
        cx.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        (rows,) = cx.execute("SELECT count(*) FROM mail_outboundmessage").fetchone()
        seconds = time.monotonic() - started
        say(f"  {rows - have:,} rows in {seconds:.1f} s.")
        return {"rows": rows, "inserted": rows - have, "seconds": seconds}
    finally:
        cx.close()


def copy_database(db: Path, copy: Path) -> float:
    """A copy of the data set's file for the mail scenarios (its write-ahead log merged in)."""
    started = time.monotonic()
    remove_database(copy)
    cx = sqlite3.connect(db)
    try:
        busy, _log, _done = cx.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy:  # another process reads or writes it: copy through SQLite instead
            target = sqlite3.connect(copy)
            cx.backup(target)
            target.close()
    finally:
        cx.close()
    if not copy.exists():
        shutil.copyfile(db, copy)
    return time.monotonic() - started


def remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", ".lock"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


# --- Processes ---------------------------------------------------------------------------------
def worker_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "bench.mail_worker", *args]


def last_json(text: str) -> dict:
    lines = [line for line in text.strip().splitlines() if line.startswith("{")]
    if not lines:
        raise RuntimeError("no result")
    return json.loads(lines[-1])


def call_worker(env: dict, *args: str, stdin: str = "") -> dict:
    done = subprocess.run(
        worker_command(*args),
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"bench.mail_worker {args[0]} failed: {done.stderr[-2000:]}")
    return last_json(done.stdout)


def poll_together(env: dict, mailboxes: list[str], logs: Path, profile=None) -> list[dict]:
    """One worker process per mailbox; all start polling at the same moment (after their
    start-up and warm-up)."""
    processes = []
    try:
        for name in mailboxes:
            args = ["poll", "--mailbox", name, "--wait"]
            if profile:
                args += ["--profile", str(profile[0]), "--sort", profile[1]]
            log = (logs / f"{name}.log").open("w")
            processes.append(
                (
                    subprocess.Popen(
                        worker_command(*args),
                        stdin=subprocess.PIPE,
                        stdout=subprocess.PIPE,
                        stderr=log,
                        text=True,
                        env=env,
                        cwd=ROOT,
                    ),
                    log,
                )
            )
        for process, _log in processes:
            for line in process.stdout:
                if line.strip() == "ready":
                    break
            else:
                raise RuntimeError(f"a worker exited before polling; see {logs}")
        for process, _log in processes:
            process.stdin.write("go\n")
            process.stdin.close()
        results = []
        for process, _log in processes:
            output = process.stdout.read()
            process.wait()
            if process.returncode:
                raise RuntimeError(f"a worker failed ({process.returncode}); see {logs}")
            results.append(last_json(output))
        return results
    finally:
        for process, log in processes:
            if process.poll() is None:
                process.kill()
                process.wait()
            log.close()


# --- IMAP --------------------------------------------------------------------------------------
class Mailroom:
    """The private Dovecot of a run and what was delivered to each of its accounts."""

    def __init__(self):
        from guichet.mail.tests.servers import Dovecot

        binary = shutil.which("dovecot") or "/usr/sbin/dovecot"
        if not os.access(binary, os.X_OK):
            raise RuntimeError("Dovecot is not installed (run scripts/system-packages.sh)")
        self.server = Dovecot(binary)
        self.delivered: dict[str, list] = {}
        self.passwords: dict[str, str] = {}
        self.version = subprocess.run(
            [binary, "--version"], capture_output=True, text=True, check=False
        ).stdout.split(" ")[0]

    def __enter__(self) -> "Mailroom":
        try:
            self.server.start()
        except BaseException as error:  # the test helper fails the way pytest does
            self.server.stop()
            if isinstance(error, KeyboardInterrupt):
                raise
            raise RuntimeError(f"Dovecot did not start: {error}") from None
        return self

    def __exit__(self, *exc) -> None:
        self.server.stop()

    def account(self, name: str, messages: list) -> dict:
        password = secrets.token_hex(8)
        self.server.add_user(name, password)
        self.passwords[name] = password
        for message in messages:
            self.server.deliver(name, message.raw)
        self.delivered[name] = messages
        return {"username": name, "password": password, "port": self.server.port}

    def flags(self, name: str) -> dict:
        """How many messages the account holds and how many are not \\Seen."""
        imap = imaplib.IMAP4(self.server.host, self.server.port, timeout=60)
        try:
            imap.login(name, self.passwords[name])
            imap.select("INBOX", readonly=True)
            counts = {}
            for label, criteria in (("all", "ALL"), ("unseen", "UNSEEN")):
                _typ, data = imap.uid("SEARCH", criteria)
                counts[label] = len(b" ".join(d for d in data if d).split())
            return counts
        finally:
            with contextlib.suppress(Exception):
                imap.logout()


def check(delivered: list, rows: list, flags: dict) -> dict:
    """Each delivered message against its InboundMessage row: one each, the outcome its kind
    calls for, on the ticket it answers; and the server's flags."""
    from bench.mail_corpus import EXPECTED

    by_id = {row[0]: row for row in rows}
    matrix: dict[str, dict[str, int]] = {}
    unexpected = wrong_ticket = 0
    for message in delivered:
        row = by_id.get(message.message_id)
        outcome = row[1] if row else "missing"
        matrix.setdefault(message.kind, {}).setdefault(outcome, 0)
        matrix[message.kind][outcome] += 1
        if outcome != EXPECTED[message.kind]:
            unexpected += 1
        elif message.kind in ("reply", "subject", "auto") and row[2] != message.ticket_id:
            wrong_ticket += 1
    ids = {m.message_id for m in delivered}
    return {
        "delivered": len(delivered),
        "rows": len(rows),
        "rows_of_these_messages": len(ids & set(by_id)),
        "unexpected": unexpected,
        "wrong_ticket": wrong_ticket,
        "matrix": matrix,
        "reasons": sorted({row[3] for row in rows if row[1] == "quarantined"})[:5],
        "on_server": flags.get("all", -1),
        "unseen": flags.get("unseen", -1),
        "ok": len(rows) == len(delivered) == len(ids & set(by_id))
        and not unexpected
        and not wrong_ticket
        and flags.get("unseen") == 0,
    }


def run_imap(env: dict, writer, room: Mailroom, plan: Plan, logs: Path, team_id, say) -> list:
    n = plan.workers
    single = writer.batch(plan.messages)
    parts = [writer.batch(plan.parallel_messages // n) for _ in range(n if plan.parallel else 0)]
    accounts = {"bench-imap": single} | {f"bench-imap-{i + 1}": p for i, p in enumerate(parts)}
    say(f"Delivering {sum(len(m) for m in accounts.values()):,} messages to Dovecot…")
    specs = []
    for name, messages in accounts.items():
        spec = room.account(name, messages)
        specs.append(
            spec
            | {"name": name, "address": f"{name}@{DESK_DOMAIN}", "host": room.server.host}
            | {"team_id": team_id if plan.team else None}
        )
    call_worker(env, "setup", stdin=json.dumps(specs))
    runs = []
    cases = [("one worker", ["bench-imap"])]
    if plan.parallel:
        cases.append((f"{n} workers", list(accounts)[1:]))
    for label, names in cases:
        run = Run(label, len(names), messages=sum(len(accounts[x]) for x in names))
        try:
            profile = (plan.profile, plan.sort) if plan.profile and len(names) == 1 else None
            results = poll_together(env, names, logs, profile=profile)
            run.top_queries = _merge_queries(results)
            if all(r.get("lock") for r in results):
                run.lock = {k: sum(r["lock"][k] for r in results) for k in results[0]["lock"]}
                run.lock["longest_wait_s"] = max(r["lock"]["longest_wait_s"] for r in results)
            run.processed = sum(r["processed"] for r in results)
            run.seconds = max(r["ended"] for r in results) - min(r["started"] for r in results)
            run.cpu_s = sum(r["cpu_s"] for r in results)
            run.queries = sum(r["queries"] for r in results)
            run.latencies = [x for r in results for x in r["latencies"]]
            run.error = "; ".join(r["last_error"] for r in results if r["last_error"])
            rows = call_worker(env, "report", *names)
            checks = [check(accounts[x], rows[x], room.flags(x)) for x in names]  # one per mailbox
            run.checks = merge_checks(checks)
        except Exception as error:  # reported; the other parts still run
            run.error = f"{type(error).__name__}: {error}"[:600]
        runs.append(run)
        say(
            f"  IMAP, {label:<10} {run.processed:,} messages in {run.seconds:.1f} s: "
            f"{run.rate:.1f}/s  ingest p50 {percentile(run.latencies, 50):.1f} ms  p95 "
            f"{percentile(run.latencies, 95):.1f} ms  p99 {percentile(run.latencies, 99):.1f} ms"
            f"  CPU {run.cpu_s:.1f} s  {run.queries / max(1, run.processed):.1f} queries/message"
            f"  {run.error}"
        )
        if run.lock:
            say(f"    {lock_summary(run)}")
        say(f"    checks: {summary(run.checks)}")
    return runs


def _merge_queries(results: list[dict]) -> list:
    merged: dict[str, int] = {}
    for result in results:
        for sql, count in result["top_queries"]:
            merged[sql] = merged.get(sql, 0) + count
    return sorted(merged.items(), key=lambda item: -item[1])


def lock_summary(run: Run) -> str:
    lock, n = run.lock, max(1, run.processed)
    busy = lock["held_s"] / run.seconds if run.seconds else 0
    return (
        f"write lock: {lock['transactions'] / n:.2f} transactions a message, held "
        f"{lock['held_s'] / n * 1000:.1f} ms a message ({busy:.0%} of the run's time), waited "
        f"for {lock['wait_s'] / n * 1000:.1f} ms a message (longest wait "
        f"{lock['longest_wait_s'] * 1000:.0f} ms)"
    )


def merge_checks(checks: list[dict]) -> dict:
    merged = {k: sum(c[k] for c in checks) for k in checks[0] if isinstance(checks[0][k], int)}
    merged["ok"] = all(c["ok"] for c in checks)
    merged["matrix"] = {}
    for c in checks:
        for kind, outcomes in c["matrix"].items():
            for outcome, count in outcomes.items():
                slot = merged["matrix"].setdefault(kind, {})
                slot[outcome] = slot.get(outcome, 0) + count
    merged["reasons"] = sorted({r for c in checks for r in c["reasons"]})[:5]
    return merged


def summary(checks: dict) -> str:
    if not checks:
        return "none"
    outcomes: dict[str, int] = {}
    for by in checks["matrix"].values():
        for outcome, count in by.items():
            outcomes[outcome] = outcomes.get(outcome, 0) + count
    return (
        f"{'OK' if checks['ok'] else 'FAILED'}: {checks['delivered']:,} delivered, "
        f"{checks['rows_of_these_messages']:,} InboundMessage rows for them "
        f"({checks['rows']:,} on the mailboxes), outcomes "
        + ", ".join(f"{k} {v:,}" for k, v in sorted(outcomes.items()))
        + f"; {checks['unexpected']} unexpected, {checks['wrong_ticket']} on another ticket; "
        f"on the server {checks['on_server']:,}, not \\Seen {checks['unseen']:,}"
        + (f"; quarantined: {checks['reasons']}" if checks["reasons"] else "")
    )


# --- Pipe --------------------------------------------------------------------------------------
def run_pipe(env: dict, writer, plan: Plan, say) -> list:
    command = [str(Path(sys.executable).parent / "guichet"), "mail", "ingest"]
    command += ["--mailbox", PIPE_MAILBOX]
    call_worker(
        env,
        "setup",
        stdin=json.dumps([{"name": PIPE_MAILBOX, "address": f"{PIPE_MAILBOX}@{DESK_DOMAIN}"}]),
    )

    def one(message) -> tuple[float, int, str]:
        began = time.perf_counter()
        done = subprocess.run(
            command, input=message.raw, capture_output=True, env=env, cwd=ROOT, timeout=300
        )
        return time.perf_counter() - began, done.returncode, done.stderr.decode()[-300:]

    runs = []
    for at_once in (1, plan.workers):
        messages = writer.batch(plan.pipe)
        run = Run("one at a time" if at_once == 1 else f"{at_once} at once", at_once)
        run.messages = len(messages)
        began = time.perf_counter()
        with ThreadPoolExecutor(at_once) as pool:
            results = list(pool.map(one, messages))
        run.seconds = time.perf_counter() - began
        run.latencies = [seconds for seconds, _rc, _err in results]
        run.processed = sum(1 for _s, rc, _e in results if rc == 0)
        failed = [err for _s, rc, err in results if rc]
        run.error = f"{len(failed)} failed: {failed[0]}" if failed else ""
        rows = call_worker(env, "report", PIPE_MAILBOX)[PIPE_MAILBOX]
        got = {row[0] for row in rows}
        run.checks = {
            "rows_of_these_messages": sum(1 for m in messages if m.message_id in got),
            "delivered": len(messages),
        }
        runs.append(run)
        say(
            f"  pipe, {run.name:<13} {run.processed}/{run.messages} in {run.seconds:.1f} s: "
            f"{run.rate:.2f}/s  p50 {percentile(run.latencies, 50):.0f} ms  p95 "
            f"{percentile(run.latencies, 95):.0f} ms  p99 {percentile(run.latencies, 99):.0f} ms"
            f"  rows {run.checks['rows_of_these_messages']}  {run.error}"
        )
    return runs


# --- Threading ---------------------------------------------------------------------------------
def run_threading(env: dict, plan: Plan, say) -> dict:
    result = call_worker(env, "lookups", "--samples", str(plan.samples), "--seed", str(plan.seed))
    for case in result["cases"]:
        lat = case["latencies"]
        say(
            f"  thread_ticket_id {case['name']:<11} {case['calls']:,} calls, "
            f"{case['found']:,} found, {case['queries']} queries: p50 "
            f"{percentile(lat, 50) * 1000:.0f} µs  p95 {percentile(lat, 95) * 1000:.0f} µs  "
            f"p99 {percentile(lat, 99) * 1000:.0f} µs"
        )
        for plan_ in case["plans"]:
            say("    " + " | ".join(plan_["plan"]))
    return result


# --- A run -------------------------------------------------------------------------------------
def measure(env: dict, source: Path, parts: set[str], plan: Plan, *, team_id, say) -> dict:
    """The parts asked for, with the processes in `env` (on the database to write to) and
    the corpus drawn from `source` (the data set's SQLite file)."""
    from bench.mail_corpus import Writer, read_sources

    logs = Path(env["GUICHET_MAIL_LOGS"])
    logs.mkdir(parents=True, exist_ok=True)
    contacts, threads = read_sources(source, threads=4000, seed=plan.seed)
    writer = Writer(contacts, threads, seed=plan.seed)
    result: dict = {"contacts": len(contacts), "threads": {k: len(v) for k, v in threads.items()}}
    result["revision"] = revision()
    started = time.monotonic()
    failures = []

    def imap() -> None:
        with Mailroom() as room:
            result["dovecot"] = room.version
            result["imap"] = run_imap(env, writer, room, plan, logs, team_id, say)

    steps = {
        "mail_imap": imap,
        "mail_pipe": lambda: result.update(pipe=run_pipe(env, writer, plan, say)),
        "mail_threading": lambda: result.update(threading=run_threading(env, plan, say)),
    }
    for name, step in steps.items():
        if name not in parts:
            continue
        try:
            step()
        except Exception as error:  # reported; the other parts still run
            failures.append(f"{name}: {type(error).__name__}: {error}"[:600])
            say(f"  {failures[-1]}")
    if failures:
        result["error"] = "; ".join(failures)
    result["seconds"] = time.monotonic() - started
    return result


def worker_env(env: dict, out: Path, database_url: str) -> dict:
    """The server's environment (bench.run.configure), on the database given, with the files
    the messages leave (raw messages, attachments) in a folder of their own."""
    media = out / "mail-media"
    return {
        **env,
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media),
        "GUICHET_MAIL_LOGS": str(out / "mail-logs"),
    }


def run(
    out: Path, db: Path, env: dict, parts: set[str], *, meta: dict, analyze: bool, say, plan=None
):
    """From bench.run: the parts asked for, on a copy of the data set `db`."""
    from django.db import connections

    plan = plan or Plan()
    started = time.monotonic()
    connections.close_all()
    outbound = ensure_outbound(db, analyze=analyze, say=say)
    copy = out / "mail-copy.sqlite3"
    environment = worker_env(env, out, f"sqlite:///{copy}")
    say(f"Mail scenarios on a copy of {db.name}…")
    copy_s = 0.0
    try:
        copy_s = copy_database(db, copy)
        say(f"  copied in {copy_s:.1f} s.")
        result = measure(
            environment, db, parts, plan, team_id=meta["base"]["teams"].get("n1a"), say=say
        )
    except Exception as error:  # reported with the results; the other groups' still stand
        say(f"  the mail scenarios failed: {type(error).__name__}: {error}")
        result = {"error": f"{type(error).__name__}: {error}"[:600], "contacts": 0}
        result["seconds"] = time.monotonic() - started
    finally:
        remove_database(copy)
        shutil.rmtree(environment["MEDIA_ROOT"], ignore_errors=True)
    result |= {"outbound": outbound, "copy_s": copy_s, "database": "sqlite", "db": db.name}
    result["total_s"] = time.monotonic() - started
    result["tickets"] = _count(db, "tickets_ticket")
    return result


def _count(db: Path, table: str) -> int:
    cx = sqlite3.connect(db)
    try:
        return cx.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
    finally:
        cx.close()


def runs(result: dict) -> list[Run]:
    return result.get("imap", []) + result.get("pipe", [])


def errors(result: dict) -> list[str]:
    """What went wrong, for bench.run's list of errors."""
    found = [f"mail {run.name}: {run.error}" for run in runs(result) if run.error]
    return found + ([f"mail: {result['error']}"] if result.get("error") else [])


def command(args) -> str:
    """The command line of a bench.run run, as the document shows it."""
    if args.analyze and not args.reuse and not args.only:
        return "make bench" + ("" if args.size == 1_000_000 else f" SIZE={args.size}")
    return (
        f"python -m bench.run --size {args.size}"
        + " --reuse" * args.reuse
        + " --no-analyze" * (not args.analyze)
        + (f" --only {args.only}" if args.only else "")
    )


# --- docs/benchmarks.md ------------------------------------------------------------------------
def _verdict(run: Run) -> str:
    if run.error or (run.checks and not run.checks.get("ok", True)):
        return "❌ errors"
    return "✅" if run.rate >= TARGET_RATE else "❌"


def revision() -> str:
    """The commit measured, and whether the product's code differed from it."""
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--", "guichet"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    return f"{head or 'unknown'}{' with local changes' if dirty else ''}"


def section(result: dict, command: str) -> str:
    from bench.report import machine

    start, end = MARKERS[result["database"]]
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    where = (
        f"a copy of `{result['db']}`"
        if result["database"] == "sqlite"
        else f"PostgreSQL, a replica of `{result['db']}`"
    )
    o = result["outbound"]
    lines = [
        start,
        f"Measured {when} (code at {result.get('revision', '?')}) with `{command}`, on "
        f"{where}: {result['tickets']:,} tickets, "
        f"{o['rows']:,} outbound mails"
        + (
            f" ({o['inserted']:,} added in {o['seconds']:.0f} s by this run)"
            if o["inserted"]
            else ""
        )
        + f"; {result['contacts']:,} contacts write. The mail group took "
        f"{result.get('total_s', result['seconds']) / 60:.1f} minutes"
        + (f" (the copy {result['copy_s']:.0f} s)" if "copy_s" in result else "")
        + (
            f" (the replica: {result['replica']['rows']:,} rows copied in "
            f"{result['replica']['seconds']:.0f} s)"
            if "replica" in result
            else ""
        )
        + ".",
        "",
        f"- Machine: {machine()}.",
    ]
    if result.get("error"):
        lines += ["", f"Error: `{result['error']}`"]
    if result["database"] == "postgresql":
        lines.append(
            f"- PostgreSQL {result.get('server', '?')}, the server of scripts/with-postgres.sh "
            "on the same machine (fsync, synchronous_commit and full_page_writes off)."
        )
    imap, pipe = result.get("imap", []), result.get("pipe", [])
    if imap or pipe:
        lines += [
            "",
            "| Scenario | Messages | Processes | Rate | p50 ms | p95 ms | p99 ms | CPU s | "
            "Queries / message | Checks | Target | |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---|",
        ]
    for run in imap:
        mailboxes = "1 mailbox" if run.workers == 1 else f"{run.workers} mailboxes"
        lines.append(
            f"| IMAP `poll_mailbox`, {run.name} ({mailboxes}; ingest time per message) "
            f"| {run.processed:,} | {run.workers} | {run.rate:.1f} messages/s "
            f"| {percentile(run.latencies, 50):.1f} | {percentile(run.latencies, 95):.1f} "
            f"| {percentile(run.latencies, 99):.1f} | {run.cpu_s:.1f} "
            f"| {run.queries / max(1, run.processed):.1f} "
            f"| {'✅' if run.checks.get('ok') else '❌'} "
            f"| ≥ {TARGET_RATE:.0f} messages/s | {_verdict(run)} |"
        )
    for run in pipe:
        lines.append(
            f"| Pipe `guichet mail ingest`, {run.name} (a process per message, start-up "
            f"included) | {run.processed:,} | {run.workers} | {run.rate:.2f} messages/s "
            f"| {percentile(run.latencies, 50):.0f} | {percentile(run.latencies, 95):.0f} "
            f"| {percentile(run.latencies, 99):.0f} | | "
            f"| {'✅' if run.checks['rows_of_these_messages'] == run.messages else '❌'} | | |"
        )
    for run in imap:
        if run.checks:
            lines += ["", f"IMAP, {run.name}: {summary(run.checks)}."]
        if run.lock:
            lines[-1] += f" SQLite {lock_summary(run)}."
        if run.error:
            lines += ["", f"Error: `{run.error}`"]
    if any(run.checks for run in imap):
        lines += ["", "What became of each kind of message (both IMAP runs):", ""]
        lines += _matrix(merge_checks([run.checks for run in imap if run.checks])["matrix"])
    threading = result.get("threading")
    if threading:
        lines += [
            "",
            f"Threading lookups (`thread_ticket_id`, in a process of its own, after the messages "
            f"above: {threading['outbound']:,} outbound and {threading['inbound']:,} inbound "
            "messages):",
            "",
            "| References | Calls | Found | Queries | p50 µs | p95 µs | p99 µs |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for case in threading["cases"]:
            lat = case["latencies"]
            lines.append(
                f"| {_case_label(case['name'])} | {case['calls']:,} | {case['found']:,} "
                f"| {case['queries']} | {percentile(lat, 50) * 1000:.0f} "
                f"| {percentile(lat, 95) * 1000:.0f} | {percentile(lat, 99) * 1000:.0f} |"
            )
        shown = [(case, found) for case in threading["cases"] for found in case["plans"]]
        if shown:
            lines += ["", "Its two queries (parameters as `?`) and their plans:", "", "```"]
            seen: set[str] = set()
            for _case, found in shown:
                sql = _placeholders(found["sql"])
                if sql not in seen:
                    seen.add(sql)
                    lines.append(sql)
            for case, found in shown:
                table = found["sql"].split('FROM "', 1)[-1].split('"', 1)[0]
                lines.append(f"-- {_case_label(case['name'])}: {table}")
                lines += [f"   {_literals(line)}" for line in found["plan"]]
            lines.append("```")
    lines.append(end)
    return "\n".join(lines)


def _literals(line: str) -> str:
    """A PostgreSQL plan line with its arrays of references written '{…}'."""
    return re.sub(r"'\{[^}]*\}'", "'{…}'", line)


def _placeholders(sql: str) -> str:
    """The SQL with the references of its IN list written `?, …`."""
    return re.sub(r"IN \(%s(?:, %s)+\)", "IN (?, …)", sql).replace("%s", "?")


def _matrix(matrix: dict) -> list[str]:
    outcomes = sorted({o for by in matrix.values() for o in by})
    lines = [
        "| Message | " + " | ".join(outcomes) + " |",
        "|---|" + "---:|" * len(outcomes),
    ]
    labels = {
        "new": "new request from a contact",
        "reply": "reply (In-Reply-To) on an open ticket",
        "subject": "`[#id]` in the subject, open ticket",
        "reply_closed": "reply on a closed ticket",
        "auto": "out-of-office answer",
        "unknown": "unknown sender",
    }
    for kind, label in labels.items():
        if kind in matrix:
            cells = " | ".join(f"{matrix[kind].get(o, 0):,}" for o in outcomes)
            lines.append(f"| {label} | {cells} |")
    return lines


def _case_label(name: str) -> str:
    kind, size, *analyzed = name.split("_")
    label = {
        "hit": f"{size}, In-Reply-To a mail Guichet sent",
        "miss": f"{size}, none known",
        "received": f"{size}, the last one a message received",
    }[kind]
    return label + (", after `ANALYZE mail_inboundmessage`" if analyzed else "")


def write_section(doc: Path, result: dict, command: str) -> None:
    """Replace this database's mail results between their markers (added after the main
    results if the document has none yet)."""
    start, end = MARKERS[result["database"]]
    text = doc.read_text() if doc.exists() else ""
    block = section(result, command)
    if start in text and end in text:
        head, rest = text.split(start, 1)
        _old, tail = rest.split(end, 1)
        text = head + block + tail
    else:
        text = (text.rstrip("\n") + "\n\n" if text else "") + block + "\n"
    doc.write_text(text)


# --- python -m bench.mail ----------------------------------------------------------------------
def _env(out: Path, database_url: str) -> dict:
    """The environment of bench.run.configure, on any database."""
    return {
        "GUICHET_DATA_DIR": str(out / "data"),
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "guichet.settings",
    }


def _configure(out: Path, database_url: str) -> dict:
    """bench.run.configure, on any database."""
    env = _env(out, database_url)
    os.environ.update(env)
    import django

    django.setup()
    return {**os.environ, **env}


def _plan(args) -> Plan:
    return Plan(
        messages=args.messages,
        parallel_messages=args.parallel_messages,
        pipe=args.pipe,
        samples=args.samples,
        profile=args.profile,
        sort=args.sort,
        team=args.team,
        parallel=args.parallel,
    )


def main(argv=None) -> int:
    from bench.run import say

    parser = argparse.ArgumentParser(prog="python -m bench.mail", description=__doc__)
    parser.add_argument("command", choices=["sqlite", "postgres", "profile"])
    parser.add_argument("--size", type=int, default=1_000_000, help="tickets of the data set")
    parser.add_argument("--parts", default="", help=f"some of {', '.join(PARTS)}")
    parser.add_argument("--messages", type=int, default=Plan.messages, help="IMAP, one worker")
    parser.add_argument(
        "--parallel-messages", type=int, default=Plan.parallel_messages, help="IMAP, 2 workers"
    )
    parser.add_argument("--pipe", type=int, default=Plan.pipe)
    parser.add_argument("--samples", type=int, default=Plan.samples)
    parser.add_argument("--profile", type=int, default=0, help="functions listed")
    parser.add_argument("--sort", default="tottime", help="their pstats sort key")
    parser.add_argument("--queries", type=int, default=0, help="most frequent SQL listed")
    parser.add_argument(
        "--no-team", dest="team", action="store_false", help="mailboxes without a team"
    )
    parser.add_argument(
        "--single", dest="parallel", action="store_false", help="IMAP: one worker only"
    )
    parser.add_argument("--out", default=str(ROOT / "bench" / "out"))
    parser.add_argument("--doc", default=str(ROOT / "docs" / "benchmarks.md"))
    parser.add_argument("--no-doc", action="store_true")
    given = list(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(given)
    out = Path(args.out).resolve()
    db = out / f"bench-{args.size}.sqlite3"
    meta_path = out / f"bench-{args.size}.json"
    plan = _plan(args)
    parts = parts_wanted(args.parts)
    if args.command == "profile":
        plan.profile = plan.profile or 40
        parts = {"mail_imap"}
        plan.parallel = False
    if args.command in ("sqlite", "profile"):
        if not db.exists():
            say(
                f"No data set at {db}: run `python -m bench.run --size {args.size} --generate-only`"
            )
            return 2
        env = _configure(out, f"sqlite:///{db}")
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        meta = json.loads(meta_path.read_text())
        result = run(out, db, env, parts, meta=meta, analyze=True, say=say, plan=plan)
        command = "python -m bench.mail " + " ".join(given)
    else:
        from bench.mail_pg import prepare

        started = time.monotonic()
        url = os.environ.get("DATABASE_URL", "")
        if not url.startswith("postgres"):
            say("Run it under scripts/with-postgres.sh (DATABASE_URL must name PostgreSQL).")
            return 2
        if not db.exists():
            say(f"Generating the SQLite data set of {args.size:,} tickets to copy from…")
            subprocess.run(
                [sys.executable, "-m", "bench.run", "--size", str(args.size), "--generate-only"],
                check=True,
                cwd=ROOT,
            )
        # The SQLite file to the current schema, with its outbound mails, then copied.
        sqlite_env = {**os.environ, **_env(out, f"sqlite:///{db}")}
        guichet = str(Path(sys.executable).parent / "guichet")
        subprocess.run([guichet, "migrate", "-v", "0"], env=sqlite_env, check=True, cwd=ROOT)
        outbound = ensure_outbound(db, analyze=True, say=say)
        env = _configure(out, url)
        meta = json.loads(meta_path.read_text())
        prepared = prepare(db, env, say=say)
        environment = worker_env(env, out, url)
        try:
            result = measure(
                environment, db, parts, plan, team_id=meta["base"]["teams"].get("n1a"), say=say
            )
        finally:
            shutil.rmtree(environment["MEDIA_ROOT"], ignore_errors=True)
        result |= {"outbound": outbound, "database": "postgresql", "db": db.name}
        result |= {"tickets": prepared["tickets"], "replica": prepared}
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            result["server"] = cursor.fetchone()[0].split()[0]
        result["total_s"] = time.monotonic() - started
        command = "scripts/with-postgres.sh .venv/bin/python -m bench.mail " + " ".join(given)
    if args.queries:
        for run_ in result.get("imap", []):
            total = max(1, run_.processed)
            say(f"SQL of IMAP, {run_.name}, per message:")
            for sql, count in run_.top_queries[: args.queries]:
                say(f"  {count / total:5.2f}  {sql[:160]}")
    if not args.no_doc and args.command != "profile":
        write_section(Path(args.doc), result, command)
        say(f"Wrote {args.doc}.")
    return 1 if errors(result) else 0


if __name__ == "__main__":
    sys.exit(main())
