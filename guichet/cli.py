"""The `guichet` command: Django's management commands plus `serve`."""

import os
import sys


def serve(argv: list[str]) -> None:
    """Start the production web server (gunicorn) on HOST:PORT."""
    from guichet.lib.env import env_int, env_str

    host = env_str("HOST", "127.0.0.1")
    port = env_int("PORT", 8000, minimum=1)
    workers = env_int("WEB_WORKERS", 2, minimum=1)
    args = [
        sys.executable,
        "-m",
        "gunicorn",
        "guichet.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(env_int("WEB_THREADS", 1, minimum=1)),
        "--access-logfile",
        env_str("ACCESS_LOG", "-"),
        # Several servers may run on one machine (web, benchmark): no shared control socket.
        "--no-control-socket",
        # Workers tell the master they are alive by touching a file on every request; on a
        # disk-backed /tmp that can block a worker while the filesystem commits its journal,
        # so gunicorn's documentation advises a memory-backed directory where there is one.
        *(["--worker-tmp-dir", "/dev/shm"] if os.path.isdir("/dev/shm") else []),  # noqa: S108
        "--timeout",
        "60",
        *argv,
    ]
    os.execv(args[0], args)  # noqa: S606 - replaces this process with gunicorn


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guichet.settings")
    argv = sys.argv[1:]
    if argv[:1] == ["serve"]:
        serve(argv[1:])
        return
    from django.core.management import execute_from_command_line

    execute_from_command_line(["guichet", *argv])


if __name__ == "__main__":
    main()
