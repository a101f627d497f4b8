"""`python -m bench.profile --size N SCENARIO…`: where one request of a scenario spends its time.

Runs the scenarios' requests inside this process, through the same WSGI application gunicorn
serves (DEBUG off, the bench data set), and prints the best time of several runs, the number of
SQL queries, and the functions that cost the most under cProfile. Use it before and after a
change to a measured path; `make bench` stays the measure of record.
"""

import argparse
import cProfile
import io
import pstats
import random
import sys
import time
from pathlib import Path

from bench.run import ROOT, configure, supervisor_token, visible_ids


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__)
    parser.add_argument("scenarios", nargs="*", help="scenario names (default: all)")
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=30, help="timed runs per scenario")
    parser.add_argument("--top", type=int, default=25, help="functions listed (0: none)")
    parser.add_argument("--sort", default="tottime", help="pstats sort key (default tottime)")
    parser.add_argument("--out", default=str(ROOT / "bench" / "out"))
    return parser.parse_args(argv)


class InProcess:
    """Calls the WSGI application directly, with the cookies or headers of a scenario."""

    def __init__(self, headers: dict[str, str]):
        from django.core.wsgi import get_wsgi_application

        self.app = get_wsgi_application()
        self.headers = headers

    def send(self, method: str, path: str, body: bytes | None = None):
        path, _, query = path.partition("?")
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body or b""),
            "wsgi.errors": sys.stderr,
            "CONTENT_LENGTH": str(len(body or b"")),
            "CONTENT_TYPE": "application/json" if body else "",
        }
        for name, value in self.headers.items():
            environ["HTTP_" + name.upper().replace("-", "_")] = value
        status: list[str] = []
        chunks = self.app(environ, lambda s, h, *a: status.append(s))
        data = b"".join(chunks)
        if hasattr(chunks, "close"):
            chunks.close()
        return int(status[0].split()[0]), data


def session_cookie(username: str) -> dict[str, str]:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from guichet.accounts.models import User

    user = User.objects.get(username=username)
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return {"Cookie": f"{settings.SESSION_COOKIE_NAME}={store.session_key}"}


def main(argv=None) -> int:
    args = parse_args(argv)
    out = Path(args.out).resolve()
    db = out / f"bench-{args.size}.sqlite3"
    meta_path = out / f"bench-{args.size}.json"
    if not db.exists():
        print(f"No data set at {db}: run `python -m bench.run --size {args.size} --generate-only`")
        return 2
    import json

    configure(out, db)
    from django.db import connection

    from bench import scenarios
    from bench.base import SUPERVISOR, TECHNICIAN

    cast = json.loads(meta_path.read_text())["base"]
    ids = visible_ids(db, cast["technician_id"])
    context = scenarios.Context(
        teams=cast["teams"], ticket_ids=random.Random(3).sample(ids, min(len(ids), 5000))
    )
    credentials = {
        "session": session_cookie(TECHNICIAN),
        "technician token": {"Authorization": f"Bearer {cast['technician_token']}"},
        "requester token": {"Authorization": f"Bearer {cast['requester_token']}"},
        "supervisor session": session_cookie(SUPERVISOR),
        "supervisor token": {"Authorization": f"Bearer {supervisor_token(cast)}"},
    }
    wanted = set(args.scenarios)
    for scenario in scenarios.build(context):
        if wanted and scenario.name not in wanted:
            continue
        if scenario.name == "queue_deep":
            continue  # needs the live server's pages; queue_all covers the same code
        client = InProcess(credentials[scenario.credentials])
        for n in range(args.runs):  # warm imports, caches, and the pages read from disk
            client.send(*scenario.request(n))
        queries: list[str] = []

        def count(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            status, body = client.send(*scenario.request(5))
        times, cpu = [], []
        for n in range(args.runs):
            began, began_cpu = time.perf_counter(), time.thread_time()
            client.send(*scenario.request(n))
            times.append((time.perf_counter() - began) * 1000)
            cpu.append((time.thread_time() - began_cpu) * 1000)
        times.sort()
        cpu.sort()
        # CPU time is steadier than wall time on a shared machine: it leaves out the waits
        # for a core that other work holds.
        print(
            f"{scenario.name:<15} HTTP {status}  wall best {times[0]:6.2f} median "
            f"{times[len(times) // 2]:6.2f} ms  CPU median {cpu[len(cpu) // 2]:6.2f} ms  "
            f"{len(queries)} queries  {len(body):,} bytes"
        )
        if args.top:
            profiler = cProfile.Profile()
            profiler.enable()
            for n in range(args.runs):
                client.send(*scenario.request(n))
            profiler.disable()
            stream = io.StringIO()
            pstats.Stats(profiler, stream=stream).sort_stats(args.sort).print_stats(args.top)
            print(stream.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
