"""The search scenarios on PostgreSQL: `scripts/with-postgres.sh .venv/bin/python -m
bench.search_pg --size N`.

The SQLite data set of `python -m bench.run --size N` (tickets and knowledge articles) is
copied into the throw-away PostgreSQL server (bench/mail_pg.py), then the production server
is started on it and the same HTTP scenarios are measured as on SQLite.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAMES = "search,suggestions,suggestions_portal,text_filter"


def main(argv=None) -> int:
    from bench.run import parse_args, say

    parser = argparse.ArgumentParser(prog="python -m bench.search_pg", description=__doc__)
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--only", default=NAMES)
    parser.add_argument(
        "--articles", type=int, default=0, help="knowledge articles (default: as bench.run)"
    )
    options = parser.parse_args(argv)
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        say("Run it under scripts/with-postgres.sh (DATABASE_URL must name PostgreSQL).")
        return 2
    args = parse_args(["--size", str(options.size), "--only", options.only, "--no-doc"])
    out = Path(args.out).resolve()
    db = out / f"bench-{args.size}.sqlite3"
    meta_path = out / f"bench-{args.size}.json"
    if not db.exists() or not meta_path.exists():
        say(f"No data set at {db}: run `python -m bench.run --size {args.size} --generate-only`")
        return 2
    # The SQLite file to the current schema and with its articles, then copied.
    subprocess.run(
        [sys.executable, "-m", "bench.run", "--size", str(args.size), "--reuse",
         "--generate-only", "--no-doc"],
        env={k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        check=True,
        cwd=ROOT,
    )  # fmt: skip
    if options.articles:
        from bench import knowledge

        knowledge.ensure(db, options.articles, say=say)
    env = {
        "GUICHET_DATA_DIR": str(out / "data"),
        "DATABASE_URL": url,
        "DEBUG": "0",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "guichet.settings",
    }
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    from bench import mail_pg, report
    from bench.run import measure

    started = time.monotonic()
    prepared = mail_pg.prepare(db, env, say=say)
    call_command("collectstatic", interactive=False, verbosity=0)
    meta = json.loads(meta_path.read_text())
    pairs, visible = measure(args, {**os.environ, **env}, meta, out, db)
    print()
    print(report.console_table(pairs))
    say(f"\nPostgreSQL, {prepared['tickets']:,} tickets; copy {prepared['seconds']:.0f} s, "
        f"total {time.monotonic() - started:.0f} s; {visible:,} tickets visible.")  # fmt: skip
    return 1 if any(r.errors for _s, r in pairs) else 0


if __name__ == "__main__":
    sys.exit(main())
