"""`python -m bench.mail_worker …`: the mail scenarios' processes, configured like the worker.

Each runs in the environment `bench.mail` gives it (that of `bench.run`'s server: the bench
database, DEBUG off, the bench data directory) and prints its result as JSON on its last line
of output:

- `setup`: the mailboxes of the run (read from standard input as JSON), their IMAP passwords
  encrypted as the administration pages store them;
- `poll --mailbox NAME`: `poll_mailbox` until the mailbox is empty (a worker polls every minute
  and takes at most 5,000 messages a time), each `ingest` timed, and on SQLite the time the
  write lock is waited for and held; after a warm-up (the first 20 messages ingested and
  rolled back) it prints "ready" and waits for a line on standard input, so that parallel
  workers start together;
- `report MAILBOX…`: what became of each message received on those mailboxes;
- `lookups`: `thread_ticket_id` timed on references of 1, 5 and 30 Message-IDs found or not,
  with the query plans of its two queries (on SQLite, the cases of 30 again after
  `ANALYZE mail_inboundmessage`).
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import sys
import time
import uuid

WARM_UP = 20
LOOKUP_SIZES = (1, 5, 30)


def _setup_django() -> None:
    import django

    django.setup()


# --- setup -------------------------------------------------------------------------------------
def setup(specs: list[dict]) -> dict:
    from guichet.lib.crypto import encrypt
    from guichet.mail.choices import Security
    from guichet.mail.models import Mailbox

    made = []
    for spec in specs:
        Mailbox.objects.filter(name=spec["name"]).delete()
        mailbox = Mailbox.objects.create(
            name=spec["name"],
            address=spec["address"],
            team_id=spec.get("team_id"),
            imap_host=spec.get("host", ""),
            imap_port=spec.get("port", 143),
            imap_security=Security.NONE,
            imap_username=spec.get("username", ""),
            imap_password=encrypt(spec["password"]) if spec.get("password") else "",
            imap_folder="INBOX",
        )
        made.append(mailbox.pk)
    return {"mailboxes": made}


# --- poll --------------------------------------------------------------------------------------
def _warm_up(mailbox) -> int:
    """Ingest the first messages waiting, and roll everything back: a worker that has run for a
    while has its code, translations, reference data and compiled queries warm."""
    from django.db import transaction

    from guichet.mail.actions import polling
    from guichet.mail.imap import open_session

    done = 0
    with open_session(polling.imap_settings(mailbox)) as session:
        uids = session.pending_uids()[:WARM_UP]
        with transaction.atomic():
            for _uid, raw in session.fetch(uids):
                polling.ingest(raw=raw, mailbox=mailbox)
                done += 1
            transaction.set_rollback(True)
    return done


def _lock_timing() -> dict | None:
    """On SQLite, how long this process waits for and holds the database's write lock (the
    lock file of guichet.lib.sqlite), measured around its two methods."""
    from django.db import connections

    if connections["default"].vendor != "sqlite":
        return None
    wrapper = type(connections["default"])
    acquire, release = wrapper._acquire_write_lock, wrapper._release_write_lock
    stats = {"transactions": 0, "wait_s": 0.0, "held_s": 0.0, "longest_wait_s": 0.0}
    taken_at: dict[int, float] = {}

    def timed_acquire(self) -> None:
        fresh = self._lock_fd is None
        began = time.perf_counter()
        acquire(self)
        if fresh and self._lock_fd is not None:
            now = time.perf_counter()
            stats["transactions"] += 1
            stats["wait_s"] += now - began
            stats["longest_wait_s"] = max(stats["longest_wait_s"], now - began)
            taken_at[id(self)] = now

    def timed_release(self) -> None:
        release(self)
        began = taken_at.pop(id(self), None)
        if began is not None:
            stats["held_s"] += time.perf_counter() - began

    wrapper._acquire_write_lock = timed_acquire
    wrapper._release_write_lock = timed_release
    return stats


def poll(name: str, *, wait: bool, profile: int, sort: str) -> dict:
    from django.db import connection

    from guichet.mail.actions import polling
    from guichet.mail.models import Mailbox

    mailbox = Mailbox.objects.get(name=name)
    warmed = _warm_up(mailbox)
    latencies: list[float] = []
    queries = [0]
    shapes: dict[str, int] = {}  # SQL text -> times run
    original = polling.ingest

    def timed(*, raw: bytes, mailbox):
        began = time.perf_counter()
        try:
            return original(raw=raw, mailbox=mailbox)
        finally:
            latencies.append(time.perf_counter() - began)

    def count(execute, sql, params, many, context):
        queries[0] += 1
        shapes[sql] = shapes.get(sql, 0) + 1
        return execute(sql, params, many, context)

    if wait:
        print("ready", flush=True)
        sys.stdin.readline()
    polling.ingest = timed
    lock = _lock_timing()
    profiler = cProfile.Profile() if profile else None
    polls = processed = 0
    try:
        with connection.execute_wrapper(count):
            started, started_cpu = time.time(), time.process_time()
            if profiler:
                profiler.enable()
            while True:
                mailbox.refresh_from_db()
                done = polling.poll_mailbox(mailbox)
                polls += 1
                processed += done
                if not done:
                    break
            if profiler:
                profiler.disable()
            ended, cpu = time.time(), time.process_time() - started_cpu
    finally:
        polling.ingest = original
    mailbox.refresh_from_db()
    if profiler:
        stream = io.StringIO()
        stats = pstats.Stats(profiler, stream=stream).sort_stats(sort)
        stats.print_stats(profile)
        stats.print_stats("/guichet/", profile)  # the product's own functions
        print(stream.getvalue(), file=sys.stderr)
    return {
        "mailbox": name,
        "processed": processed,
        "polls": polls,
        "warmed": warmed,
        "started": started,
        "ended": ended,
        "cpu_s": cpu,
        "queries": queries[0],
        "top_queries": sorted(shapes.items(), key=lambda item: -item[1])[:40],
        "latencies": latencies,
        "last_error": mailbox.last_error,
        "lock": lock,
        "pid": os.getpid(),
    }


# --- lookups -----------------------------------------------------------------------------------
def _unknown(rng: random.Random) -> str:
    return f"<{uuid.UUID(int=rng.getrandbits(128)).hex}@client{rng.randint(1, 90)}.example>"


def _plans(capture: list) -> list[dict]:
    """EXPLAIN (QUERY PLAN on SQLite) of each query captured."""
    from django.db import connection

    plans = []
    for sql, params in capture:
        prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
        with connection.cursor() as cursor:
            cursor.execute(prefix + sql, params)
            rows = cursor.fetchall()
        lines = [row[-1] if connection.vendor == "sqlite" else row[0] for row in rows]
        plans.append({"sql": sql, "plan": lines})
    return plans


def lookups(samples: int, seed: int) -> dict:
    from django.db import connection

    from guichet.mail.models import InboundMessage, OutboundMessage

    if connection.vendor == "postgresql":
        # What autovacuum does after the messages the other parts received.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE mail_inboundmessage, mail_outboundmessage")
    rng = random.Random(seed)
    (top,) = OutboundMessage.objects.order_by("-id").values_list("id", flat=True)[:1] or [0]
    wanted = set(rng.sample(range(1, top + 1), min(top, samples * 2)))
    known = dict(
        OutboundMessage.objects.filter(id__in=wanted, ticket__isnull=False).values_list(
            "message_id", "ticket_id"
        )
    )
    ids = list(known)
    received = list(
        InboundMessage.objects.filter(ticket__isnull=False, outcome__in=("ticket", "followup"))
        .order_by("?")
        .values_list("message_id", "ticket_id")[:samples]
    )

    def cases():
        for size in LOOKUP_SIZES:
            # A reply: In-Reply-To names the mail Guichet sent, References the thread before it
            # (the client's own messages, unknown here).
            yield f"hit_{size}", [[oid] + [_unknown(rng) for _ in range(size - 1)] for oid in ids]
            yield f"miss_{size}", [[_unknown(rng) for _ in range(size)] for _ in ids]
        if received:
            # Answering a client's own earlier message: both tables are read.
            yield (
                "received_5",
                [[_unknown(rng) for _ in range(4)] + [mid] for mid, _t in received],
            )

    results = []
    for name, references in cases():
        results.append(_time_case(name, references[:samples]))
    if connection.vendor == "sqlite":
        # The data set's planner statistics date from before the first message came in; the
        # worker refreshes them every six hours. The longest references again, after that.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE mail_inboundmessage")
        for case in list(results):
            if case["size"] == LOOKUP_SIZES[-1]:
                results.append(_time_case(case["name"] + "_analyzed", case["references"]))
    for case in results:
        del case["references"]
    return {
        "outbound": OutboundMessage.objects.count(),
        "inbound": InboundMessage.objects.count(),
        "vendor": connection.vendor,
        "cases": results,
    }


def _time_case(name: str, references: list[list[str]]) -> dict:
    """`thread_ticket_id` on each list of references, after 50 calls to warm up; the plans
    of its queries for the cases shown in the results."""
    from django.db import connection

    from guichet.mail import queries

    for refs in references[:50]:
        queries.thread_ticket_id(refs)
    capture: list = []

    def keep(execute, sql, params, many, context):
        capture.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(keep):
        queries.thread_ticket_id(references[0])
    latencies, hits = [], 0
    for refs in references:
        began = time.perf_counter()
        found = queries.thread_ticket_id(refs)
        latencies.append(time.perf_counter() - began)
        hits += found is not None
    shown = name in ("hit_5", "miss_5") or name.startswith("miss_30")
    return {
        "name": name,
        "size": len(references[0]),
        "calls": len(references),
        "found": hits,
        "queries": len(capture),
        "latencies": latencies,
        "plans": _plans(capture) if shown else [],
        "references": references,
    }


# --- report ------------------------------------------------------------------------------------
def report(names: list[str]) -> dict:
    from guichet.mail.models import InboundMessage

    return {
        name: list(
            InboundMessage.objects.filter(mailbox__name=name).values_list(
                "message_id", "outcome", "ticket_id", "reason"
            )
        )
        for name in names
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.mail_worker", description=__doc__)
    parser.add_argument("command", choices=["setup", "poll", "report", "lookups"])
    parser.add_argument("mailboxes", nargs="*", help="report: the mailboxes' names")
    parser.add_argument("--mailbox", help="poll: the mailbox's name")
    parser.add_argument("--wait", action="store_true", help="poll: start on a line of stdin")
    parser.add_argument("--profile", type=int, default=0, help="poll: functions listed")
    parser.add_argument("--sort", default="tottime", help="poll: pstats sort key")
    parser.add_argument("--samples", type=int, default=1000, help="lookups: calls per case")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)
    _setup_django()
    if args.command == "setup":
        result = setup(json.loads(sys.stdin.read()))
    elif args.command == "poll":
        result = poll(args.mailbox, wait=args.wait, profile=args.profile, sort=args.sort)
    elif args.command == "report":
        result = report(args.mailboxes)
    else:
        result = lookups(args.samples, args.seed)
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
