"""Real processes on one SQLite file: concurrent writers, and the worker running queued jobs.

These run the `guichet` command in subprocesses against a database file of their own, so they
behave the same whichever engine the rest of the suite uses.
"""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

GUICHET = [sys.executable, "-m", "guichet.cli"]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("guichet-data")
    subprocess.run([*GUICHET, "migrate", "-v", "0"], env=env_for(path), check=True, timeout=300)
    subprocess.run(
        [
            *GUICHET,
            "createuser",
            "alice",
            "--role",
            "technician",
            "--organisation",
            "Acme",
            "--team",
            "N1",
        ],
        env=env_for(path),
        check=True,
        timeout=60,
    )
    return path


def env_for(path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(GUICHET_DATA_DIR=str(path), DJANGO_SETTINGS_MODULE="guichet.settings")
    return env


WRITER = textwrap.dedent(
    """
    import django, sys
    django.setup()
    from guichet.accounts.models import User
    from guichet.tickets import actions
    alice = User.objects.get(username="alice")
    requester = User.objects.filter(role="technician").first()
    for n in range(int(sys.argv[1])):
        ticket = actions.open_ticket(actor=alice, requester=alice,
                                     organisation=alice.organisation or None,
                                     title=f"{sys.argv[2]} {n}")
        actions.add_followup(ticket=ticket, actor=alice, body="note")
    print("done")
    """
)


def test_three_processes_write_at_once_without_locking_errors(data_dir):
    from guichet.accounts.models import Organisation  # noqa: F401 - settings must import

    setup = textwrap.dedent(
        """
        import django
        django.setup()
        from guichet.accounts.models import Organisation, User
        user = User.objects.get(username="alice")
        user.organisation = Organisation.objects.get(name="Acme")
        user.save(update_fields=["organisation"])
        """
    )
    subprocess.run([sys.executable, "-c", setup], env=env_for(data_dir), check=True, timeout=60)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, "40", f"p{i}"],
            env=env_for(data_dir),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(3)
    ]
    outputs = [p.communicate(timeout=240) for p in procs]
    for proc, (_out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
        assert "database is locked" not in err
    count = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from guichet.tickets.models import Ticket; "
            "print(Ticket.objects.count())",
        ],
        env=env_for(data_dir),
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert count.stdout.strip() == "120"


def test_the_worker_runs_queued_periodic_jobs(data_dir):
    script = textwrap.dedent(
        """
        import django
        django.setup()
        from datetime import timedelta
        from django.utils import timezone
        from guichet.accounts.models import User
        from guichet.tickets import actions
        from guichet.tickets.models import PendingReason, Ticket
        alice = User.objects.get(username="alice")
        ticket = actions.open_ticket(actor=alice, title="wake me")
        actions.set_pending(ticket=ticket, actor=alice, reason=PendingReason.objects.first(),
                            until=timezone.now() + timedelta(seconds=1))
        Ticket.objects.filter(pk=ticket.pk).update(
            pending_until=timezone.now() - timedelta(seconds=1))
        print(ticket.pk)
        """
    )
    env = env_for(data_dir)
    ticket_id = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout.strip()
    # One pass: the scheduler enqueues the due jobs, then the queue is drained and it exits.
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from guichet.worker.schedule import tick; "
            "print(tick())",
        ],
        env=env,
        check=True,
        timeout=60,
    )
    subprocess.run(
        [*GUICHET, "worker", "--batch", "--no-schedule"],
        env=env,
        check=True,
        timeout=120,
        capture_output=True,
    )
    status = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from guichet.tickets.models import Ticket; "
            f"print(Ticket.objects.get(pk={ticket_id}).status)",
        ],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert status.stdout.strip() == "new"


def test_guichet_serve_answers_with_static_files(data_dir):
    import socket
    import time
    import urllib.request

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**env_for(data_dir), "PORT": str(port), "WEB_WORKERS": "1", "ACCESS_LOG": "/dev/null"}
    subprocess.run(
        [*GUICHET, "collectstatic", "--no-input", "-v", "0"], env=env, check=True, timeout=120
    )
    server = subprocess.Popen(
        [*GUICHET, "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _attempt in range(100):
            try:
                page = urllib.request.urlopen(f"{base}/accounts/login/", timeout=5).read()
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise AssertionError("the server did not answer")
        assert b"id_username" in page
        css = page.decode().split('href="/static/guichet/guichet')[1].split('"')[0]
        response = urllib.request.urlopen(f"{base}/static/guichet/guichet{css}", timeout=5)
        assert response.status == 200 and b"--accent" in response.read()
    finally:
        server.terminate()
        server.wait(timeout=30)
