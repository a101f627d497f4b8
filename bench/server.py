"""The production server (`guichet serve`: gunicorn, 2 workers, DEBUG off) on a free local
port, for the length of the measurements only."""

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, env: dict, log: Path, workers: int = 2):
        self.port = free_port()
        self.log_path = log
        bin_dir = str(Path(sys.executable).parent)
        self.env = {
            **env,
            "HOST": HOST,
            "PORT": str(self.port),
            "WEB_WORKERS": str(workers),
            "ACCESS_LOG": str(log.with_name("access.log")),
            # `guichet serve` execs gunicorn from the PATH: the one of this environment.
            "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        }
        self.command = [str(Path(bin_dir) / "guichet"), "serve"]
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Server":
        self.log = self.log_path.open("w")
        self.process = subprocess.Popen(
            self.command,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped together, never orphaned
        )
        self.wait_ready()
        return self

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process and self.process.poll() is not None:
                raise RuntimeError(f"the server exited; see {self.log_path}")
            try:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=5)
                conn.request("GET", "/accounts/login/")
                if conn.getresponse().status == 200:
                    conn.close()
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"the server did not answer within {timeout} s; see {self.log_path}")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # gunicorn stops its workers gracefully
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.log.close()
