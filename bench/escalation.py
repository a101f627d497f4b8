"""The escalation scans: `run_escalations`, the worker's job, timed in-process.

They run on a data set of their own: `bench-open-N.sqlite3`, N open tickets and nothing else
(`dataset.generate(backlog=True)`: the same base, clients, histories and clocks as the main
data set, aged like its open backlog). Closed tickets take no part in a scan: their clocks
have no `next_step_at`, which the scan reads on its index. The data set's `now` is a weekday
at 10:00 in the default contract's calendar (Europe/Paris office hours), the latest one before
the generation, so that clocks run during the hour after it; at `now` every step already
reached has fired (the steady state of a worker that never stopped).

Each scan runs on a fresh copy of that file, in a process of its own (`python -m
bench.escalation scan`), configured like `guichet worker`:

- steady: `run_escalations(now=now + 1 min)`, the scan of a worker running every minute;
- catch-up: `run_escalations(now=now + 1 h)`, after an hour without a worker.

Before each, the first 20 tickets due are escalated and rolled back (a worker that has run
for a while has its code, translations and compiled queries warm).

Reported: the scan's time (wall and CPU), the clocks and tickets due, the steps fired and
firings per second, SQL queries, and per ticket looked at, the time of `escalate_ticket`
(p50/p95/p99). `--profile N` prints the N costliest functions of the scan under cProfile.
"""

import argparse
import json
import math
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

SCANS = (("escalation_steady", 60), ("escalation_catchup", 3600))
LABELS = {
    "escalation_steady": "Escalation scan 1 minute after the steady state (`run_escalations`)",
    "escalation_catchup": "Catch-up escalation scan after 1 hour without a worker",
}
TARGET_S = 5.0
WARM_UP = 20  # tickets escalated, then rolled back, before a scan
ANCHOR_HOUR = 10  # local time of the data set's `now`


@dataclass
class ScanResult:
    name: str
    label: str
    open_tickets: int = 0
    now: str = ""
    due_clocks: int = 0  # clocks whose next step is due at the scan's `now`
    due_tickets: int = 0
    tickets: int = 0  # tickets the scan looked at
    fired: int = 0
    seconds: float = 0.0
    cpu_s: float = 0.0
    queries: int = 0
    latencies: list[float] = field(default_factory=list, repr=False)  # seconds per ticket
    left_at_now: int = -1  # clocks due at the data set's own `now` (0: steady state)
    error: str = ""
    load_average: float = 0.0

    @property
    def rate(self) -> float:
        return self.fired / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        """Nearest-rank percentile of the per-ticket times, in milliseconds."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        rank = max(1, min(len(ordered), math.ceil(p / 100 * len(ordered))))
        return ordered[rank - 1] * 1000

    @property
    def passed(self) -> bool:
        return not self.error and self.seconds <= TARGET_S


def scan_size(size: int) -> int:
    """Open tickets of the scans' data set for a main data set of `size` tickets: 100,000
    at a million (the target's), a tenth of smaller ones."""
    return min(100_000, max(1_000, size // 10))


def paths(out: Path, size: int) -> tuple[Path, Path]:
    return out / f"bench-open-{size}.sqlite3", out / f"bench-open-{size}.json"


def anchor(before: datetime) -> datetime:
    """The latest weekday 10:00 (local) before `before` when the default contract's calendar
    is open from then until an hour and a minute later (in a configured Django)."""
    from django.utils import timezone

    from guichet.sla import calendars, contracts
    from guichet.sla.businesstime import is_open

    schedule = calendars.schedule(contracts.terms(contracts.default_contract()).calendar_id)
    zone = timezone.get_default_timezone()
    day = timezone.localtime(before, zone).date()
    for _ in range(60):
        moment = datetime(day.year, day.month, day.day, ANCHOR_HOUR, tzinfo=zone)
        later = moment + timedelta(minutes=61)
        if moment < before and is_open(schedule, moment) and is_open(schedule, later):
            return moment.astimezone(UTC)
        day -= timedelta(days=1)
    raise RuntimeError("the default calendar was never open at 10:00 in 60 days")


# --- In the process of one data set ------------------------------------------------------------
def generate(out: Path, size: int) -> dict:
    """Migrate, build the base, load `size` open tickets; returns the metadata."""
    from django.core.management import call_command
    from django.db import connections

    from bench import base, dataset
    from bench.run import progress, say

    db, _meta = paths(out, size)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    started = time.monotonic()
    say(f"Migrating {db.name} and creating the base…")
    call_command("migrate", verbosity=0)
    cast = base.build_base()
    now = anchor(datetime.now(UTC))
    connections.close_all()
    base_s = time.monotonic() - started
    say(f"Generating {size:,} open tickets as of {now:%Y-%m-%d %H:%M} UTC…")
    timings = dataset.generate(str(db), cast, size, progress=progress, now=now, backlog=True)
    timings["base_s"] = base_s
    return {"generation": timings, "base": asdict(cast)}


def scan(
    name: str, now: datetime, generated: datetime, profile: int = 0, sort: str = "tottime"
) -> ScanResult:
    """One `run_escalations(now=now)` on the configured database, timed."""
    import cProfile
    import io
    import os
    import pstats

    from django.db import connection, transaction

    from guichet.lib import refcache
    from guichet.sla.actions import escalation
    from guichet.sla.models import TicketClock
    from guichet.tickets.choices import OPEN_STATUSES
    from guichet.tickets.models import Ticket

    result = ScanResult(name, LABELS.get(name, name), now=now.isoformat())
    result.open_tickets = Ticket.objects.filter(status__in=OPEN_STATUSES).count()
    due = TicketClock.objects.filter(next_step_at__lte=now)
    result.due_clocks = due.count()
    result.due_tickets = due.values("ticket_id").distinct().count()
    # The steady state: at the generation's own `now` nothing is left to fire.
    result.left_at_now = TicketClock.objects.filter(next_step_at__lte=generated).count()
    # A worker that has run for a while has its code, translations and queries warm: the
    # first WARM_UP tickets due are escalated once, and rolled back.
    with transaction.atomic():
        first = due.order_by("next_step_at").values_list("ticket_id", flat=True)[:WARM_UP]
        with refcache.scope():
            for ticket_id in dict.fromkeys(first):
                escalation.escalate_ticket(ticket_id, now=now)
        transaction.set_rollback(True)

    original = escalation.escalate_ticket
    latencies = result.latencies

    def timed(ticket_id: int, *, now: datetime) -> int:
        began = time.perf_counter()
        try:
            return original(ticket_id, now=now)
        finally:
            latencies.append(time.perf_counter() - began)

    def count(execute, sql, params, many, context):
        result.queries += 1
        return execute(sql, params, many, context)

    escalation.escalate_ticket = timed
    profiler = cProfile.Profile() if profile else None
    try:
        with connection.execute_wrapper(count):
            began, began_cpu = time.perf_counter(), time.process_time()
            if profiler:
                profiler.enable()
            result.fired = escalation.run_escalations(now=now)
            if profiler:
                profiler.disable()
            result.seconds = time.perf_counter() - began
            result.cpu_s = time.process_time() - began_cpu
    except Exception as exc:  # reported in the results, the other scans still run
        result.error = f"{type(exc).__name__}: {exc}"[:500]
        result.seconds = time.perf_counter() - began
    finally:
        escalation.escalate_ticket = original
    result.tickets = len(latencies)
    result.load_average = os.getloadavg()[0]
    if profiler:
        stream = io.StringIO()
        pstats.Stats(profiler, stream=stream).sort_stats(sort).print_stats(profile)
        print(stream.getvalue(), file=sys.stderr)
    return result


def main(argv=None) -> int:
    from bench.run import ROOT, configure

    parser = argparse.ArgumentParser(prog="python -m bench.escalation", description=__doc__)
    parser.add_argument("command", choices=["generate", "migrate", "scan"])
    parser.add_argument("--size", type=int, required=True, help="open tickets")
    parser.add_argument("--out", default=str(ROOT / "bench" / "out"))
    parser.add_argument("--db", help="scan: the copy to scan")
    parser.add_argument("--name", default="escalation_steady", choices=[n for n, _ in SCANS])
    parser.add_argument("--profile", type=int, default=0, help="scan: functions listed")
    parser.add_argument("--sort", default="tottime", help="scan: pstats sort key")
    args = parser.parse_args(argv)
    out = Path(args.out).resolve()
    db, meta_path = paths(out, args.size)
    if args.command == "generate":
        configure(out, db)
        meta = generate(out, args.size)
        meta_path.write_text(json.dumps(meta))
        return 0
    if args.command == "migrate":  # a reused data set, to the current schema
        from django.core.management import call_command

        configure(out, db)
        call_command("migrate", verbosity=0)
        return 0
    meta = json.loads(meta_path.read_text())
    configure(out, Path(args.db or db).resolve())
    generated = datetime.fromisoformat(meta["generation"]["now"])
    offset = dict(SCANS)[args.name]
    at = generated + timedelta(seconds=offset)
    result = scan(args.name, at, generated, args.profile, args.sort)
    print(json.dumps(asdict(result)))
    return 0


# --- From bench.run ----------------------------------------------------------------------------
def _command(out: Path, size: int, action: str, *extra: str) -> list[str]:
    return [
        sys.executable, "-m", "bench.escalation", action, "--size", str(size), "--out", str(out),
        *extra,
    ]  # fmt: skip


def prepare(out: Path, size: int, *, reuse: bool, say, analyze: bool | None = None) -> dict:
    """Make the open data set (or reuse it, migrated to the current schema); its metadata.
    `analyze` (True/False) refreshes or removes its planner statistics, as for the main one."""
    from bench.run import planner_statistics

    db, meta_path = paths(out, size)
    if reuse and db.exists() and meta_path.exists():
        say(f"Reusing {db.name} (migrated to the current schema).")
        subprocess.run(_command(out, size, "migrate"), check=True)
        meta = json.loads(meta_path.read_text())
        meta["generation"]["reused"] = True
    else:
        subprocess.run(_command(out, size, "generate"), check=True)
        meta = json.loads(meta_path.read_text())
    if analyze is not None:
        planner_statistics(db, analyze)
    g = meta["generation"]
    say(
        f"Escalation data set: {g['rows']['tickets']:,} open tickets, "
        f"{sum(g['rows'].values()):,} rows in {g['total_s']:.1f} s (clocks "
        f"{g['clocks_s']:.1f} s of CPU), as of {g['now']}."
    )
    return meta


def run_scans(out: Path, size: int, meta: dict, wanted: set[str], *, say) -> list[ScanResult]:
    """Each scan wanted (all if none), on a fresh copy of the open data set, in a process of
    its own."""
    db, _meta = paths(out, size)
    results = []
    for name, _offset in SCANS:
        if wanted and name not in wanted:
            continue
        copy = out / "scan-copy.sqlite3"
        for suffix in ("-wal", "-shm"):
            Path(f"{copy}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(db, copy)
        try:
            done = subprocess.run(
                _command(out, size, "scan", "--db", str(copy), "--name", name),
                check=False,
                capture_output=True,
                text=True,
            )
        finally:
            for suffix in ("", "-wal", "-shm", ".lock"):
                Path(f"{copy}{suffix}").unlink(missing_ok=True)
        lines = done.stdout.strip().splitlines()
        if done.returncode or not lines:
            result = ScanResult(name, LABELS[name], error=(done.stderr or "no output")[-500:])
        else:
            result = ScanResult(**json.loads(lines[-1]))
        results.append(result)
        say(
            f"  {name:<19} {result.seconds:7.2f} s  {result.tickets:,} tickets  "
            f"{result.fired:,} steps fired ({result.rate:,.1f}/s)  p50 {result.percentile(50):.1f}"
            f" ms  p95 {result.percentile(95):.1f} ms  {result.error}"
        )
    return results


if __name__ == "__main__":
    sys.exit(main())
