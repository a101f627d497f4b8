"""`python -m bench.run --size N`: generate (or reuse) the data set, serve it, measure, report.

Everything stays on 127.0.0.1, under bench/out/ (git-ignored), and bounded in time: each
scenario stops at its request count or its deadline, and the server is stopped at the end
whatever happens. The escalation scans then run in-process on a data set of open tickets of
their own (bench/escalation.py), and the mail channel on a copy of the data set
(bench/mail.py).
"""

import argparse
import json
import os
import random
import sqlite3
import sys
import time
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--size", type=int, default=1_000_000, help="tickets (default 1000000)")
    parser.add_argument("--requests", type=int, default=400, help="per scenario (default 400)")
    parser.add_argument("--warmup", type=int, default=40, help="per scenario (default 40)")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument(
        "--solo", type=int, default=20, help="requests sent one at a time first (default 20)"
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--deep-pages", type=int, default=200)
    parser.add_argument("--deadline", type=float, default=300, help="seconds per scenario")
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated scenario names (escalation scans included; `mail` for the mail "
        "channel's, or some of mail_imap, mail_pipe, mail_threading)",
    )
    parser.add_argument(
        "--scan-size",
        type=int,
        default=None,
        help="open tickets of the escalation scans' data set (default: 100000 at a million "
        "tickets, a tenth of smaller sizes)",
    )
    parser.add_argument("--reuse", action="store_true", help="keep an existing data set")
    parser.add_argument(
        "--no-analyze",
        dest="analyze",
        action="store_false",
        help="measure without SQLite planner statistics (a database the worker has not yet "
        "analysed); by default they are refreshed first, as `guichet worker` does",
    )
    parser.add_argument("--generate-only", action="store_true")
    parser.add_argument("--out", default=str(ROOT / "bench" / "out"))
    parser.add_argument("--doc", default=str(ROOT / "docs" / "benchmarks.md"))
    parser.add_argument("--no-doc", action="store_true", help="print only")
    args = parser.parse_args(argv)
    if args.size < 100:
        parser.error("--size must be at least 100")
    from bench.escalation import scan_size

    args.scan_size = args.scan_size or scan_size(args.size)
    return args


def configure(out: Path, db: Path) -> dict:
    """The environment of the server and of this process: the bench database, DEBUG off."""
    env = {
        "GUICHET_DATA_DIR": str(out / "data"),
        "DATABASE_URL": f"sqlite:///{db}",
        "DEBUG": "0",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "guichet.settings",
    }
    os.environ.update(env)
    import django

    django.setup()
    return {**os.environ, **env}


def say(message: str) -> None:
    print(message, flush=True)


def progress(done: int, total: int) -> None:
    print(f"\r  {done:,} / {total:,} tickets", end="\n" if done == total else "", flush=True)


def generate(db: Path, size: int) -> dict:
    from django.core.management import call_command
    from django.db import connections

    from bench import base, dataset

    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    started = time.monotonic()
    say(f"Migrating {db.name} and creating the base (organisations, teams, people)…")
    call_command("migrate", verbosity=0)
    cast = base.build_base()
    connections.close_all()
    base_s = time.monotonic() - started
    say(f"Generating {size:,} tickets…")
    timings = dataset.generate(str(db), cast, size, progress=progress)
    timings["base_s"] = base_s
    return {"generation": timings, "base": asdict(cast)}


def planner_statistics(db: Path, analyze: bool) -> float:
    """Run ANALYZE, or remove statistics a previous run left, so that `--reuse` measures the
    mode asked for. Returns the seconds ANALYZE took."""
    cx = sqlite3.connect(db)
    started = time.monotonic()
    if analyze:
        # The same full analysis as guichet.lib.db.refresh_planner_statistics.
        cx.execute("PRAGMA analysis_limit=0")
        cx.execute("ANALYZE")
    else:
        cx.execute("DROP TABLE IF EXISTS sqlite_stat1")
        cx.execute("DROP TABLE IF EXISTS sqlite_stat4")
    cx.commit()
    cx.close()
    return time.monotonic() - started


def visible_ids(db: Path, technician_id: int) -> list[int]:
    cx = sqlite3.connect(db)
    ids = [
        row[0]
        for row in cx.execute(
            "SELECT id FROM tickets_ticket WHERE organisation_id IN ("
            " SELECT o.organisation_id FROM accounts_team_organisations o"
            " JOIN accounts_team_members m ON m.team_id = o.team_id WHERE m.user_id = ?)",
            [technician_id],
        )
    ]
    cx.close()
    return ids


def supervisor_token(cast: dict) -> str:
    """The supervisor's API token; made now for a data set from before it had one."""
    if cast.get("supervisor_token"):
        return cast["supervisor_token"]
    from guichet.accounts.actions import create_token
    from guichet.accounts.models import User

    _token, key = create_token(user=User.objects.get(pk=cast["supervisor_id"]), name="bench")
    return key


def wanted_names(args) -> tuple[set[str], set[str]]:
    """(HTTP scenarios, escalation scans) asked for with --only; empty sets mean all."""
    from bench import mail
    from bench.escalation import SCANS

    wanted = {n for n in args.only.split(",") if n}
    scans = {name for name, _offset in SCANS}
    if not wanted:
        return set(), set()
    wanted -= mail.NAMES  # bench.mail.parts_wanted reads those
    return wanted - scans or {"-"}, wanted & scans or {"-"}


def measure(args, env: dict, meta: dict, out: Path, db: Path):
    from bench import load, scenarios
    from bench.base import PASSWORD, SUPERVISOR, TECHNICIAN
    from bench.server import Server

    cast = meta["base"]
    ids = visible_ids(db, cast["technician_id"])
    context = scenarios.Context(
        teams=cast["teams"], ticket_ids=random.Random(3).sample(ids, min(len(ids), 5000))
    )
    wanted, _scans = wanted_names(args)
    pairs: list = []
    if wanted == {"-"}:
        return pairs, len(ids)
    token = supervisor_token(cast)
    say(f"Starting the server ({args.workers} workers)…")
    with Server(env, out / "server.log", workers=args.workers) as server:
        session = load.login(server.port, TECHNICIAN, PASSWORD)
        credentials = {
            "session": session,
            "technician token": {"Authorization": f"Bearer {cast['technician_token']}"},
            "requester token": {"Authorization": f"Bearer {cast['requester_token']}"},
            "supervisor session": load.login(server.port, SUPERVISOR, PASSWORD),
            "supervisor token": {"Authorization": f"Bearer {token}"},
        }
        if not wanted or "queue_deep" in wanted:
            say(f"Following {args.deep_pages} pages of the queue…")
            context.deep_path, context.deep_pages = scenarios.find_deep_page(
                load.Client(server.port, session), args.deep_pages
            )
        for scenario in scenarios.build(context):
            if wanted and scenario.name not in wanted:
                continue
            load.wait_idle(server.port)
            clients = [
                load.Client(server.port, credentials[scenario.credentials])
                for _ in range(min(args.concurrency, scenario.concurrency or args.concurrency))
            ]
            counts = {
                name: min(getattr(args, name), getattr(scenario, name) or getattr(args, name))
                for name in ("warmup", "solo", "requests")
            }
            common = {"expect": scenario.expect, "deadline_s": args.deadline}
            load.run(scenario.name, clients, scenario.request, count=counts["warmup"], **common)
            solo = load.run(
                scenario.name, clients[:1], scenario.request, count=counts["solo"], **common
            )
            result = load.run(
                scenario.name, clients, scenario.request, count=counts["requests"], **common
            )
            result.concurrency = len(clients)
            result.solo_p50 = solo.percentile(50)
            result.errors += solo.errors
            pairs.append((scenario, result))
            say(
                f"  {scenario.name:<15} {result.rate:7.1f}/s  p50 {result.percentile(50):7.1f} ms"
                f"  p95 {result.percentile(95):7.1f} ms  p99 {result.percentile(99):7.1f} ms"
                f"  alone p50 {result.solo_p50:6.1f} ms  errors {result.failures}"
            )
    return pairs, len(ids)


def main(argv=None) -> int:
    args = parse_args(argv)
    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    db = out / f"bench-{args.size}.sqlite3"
    meta_path = out / f"bench-{args.size}.json"
    env = configure(out, db)
    if args.reuse and db.exists() and meta_path.exists():
        meta = json.loads(meta_path.read_text())
        meta["generation"]["reused"] = True
        say(f"Reusing {db.name} (migrated to the current schema).")
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
    else:
        meta = generate(db, args.size)
        meta_path.write_text(json.dumps(meta))
    from bench import knowledge

    meta["knowledge"] = knowledge.ensure(db, knowledge.article_count(args.size), say=say)
    g = meta["generation"]
    say(
        f"Data set: {sum(g['rows'].values()):,} rows in {g['total_s']:.1f} s "
        f"({g['rows_per_s']:,.0f} rows/s; base {g['base_s']:.1f} s)."
    )
    from bench import escalation

    _wanted, scans_wanted = wanted_names(args)
    if args.generate_only:
        escalation.prepare(out, args.scan_size, reuse=args.reuse, say=say)
        return 0
    seconds = planner_statistics(db, args.analyze)
    g["analyze_s"] = seconds if args.analyze else None
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    pairs, visible = measure(args, env, meta, out, db)
    scan_meta, scans = None, []
    if scans_wanted != {"-"}:
        say(f"Escalation scans over {args.scan_size:,} open tickets…")
        scan_meta = escalation.prepare(
            out, args.scan_size, reuse=args.reuse, say=say, analyze=args.analyze
        )
        scans = escalation.run_scans(out, args.scan_size, scan_meta, scans_wanted, say=say)
    from bench import mail

    mail_parts = mail.parts_wanted(args.only)
    mail_result = None
    if mail_parts:
        say("Mail channel (IMAP polling, pipe, threading lookups)…")
        mail_result = mail.run(out, db, env, mail_parts, meta=meta, analyze=args.analyze, say=say)

    from bench import document, report

    if pairs:
        print()
        print(report.console_table(pairs))
    if scans:
        print()
        print(report.console_scans(scans))
    errors = [e for _s, r in pairs for e in r.errors]
    errors += [f"{s.name}: {s.error}" for s in scans if s.error]
    if mail_result:
        errors += mail.errors(mail_result)
    if not args.no_doc and mail_result:
        mail.write_section(Path(args.doc), mail_result, mail.command(args))
    if not args.no_doc and (pairs or scans):
        command = "make bench" + ("" if args.size == 1_000_000 else f" SIZE={args.size}")
        if not args.analyze or args.reuse:
            command = f"python -m bench.run --size {args.size}" + " --reuse" * args.reuse
            command += " --no-analyze" * (not args.analyze)
        section = report.results_section(
            command=command,
            size=args.size,
            generation=g,
            pairs=pairs,
            scans=scans,
            scan_generation=scan_meta["generation"] if scan_meta else None,
            errors=errors,
            settings={
                "organisations": len(meta["base"]["clients"]),
                "technicians": sum(len(m) for m in meta["base"]["members"].values()),
                "db_mb": db.stat().st_size / 1e6,
                "workers": args.workers,
                "concurrency": args.concurrency,
                "requests": args.requests,
                "warmup": args.warmup,
                "solo": args.solo,
                "visible": visible,
            },
        )
        report.write_document(Path(args.doc), section, document.TEMPLATE)
        say(f"\nWrote {args.doc}.")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
