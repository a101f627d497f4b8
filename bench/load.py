"""A bounded load generator: N threads, each with its own HTTP connection (kept alive when the
server allows it), share a fixed number of requests; latencies are taken around each request
and its full body."""

import contextlib
import http.client
import math
import os
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from bench.server import HOST

Request = tuple[str, str, bytes | None]  # method, path, body


@dataclass
class Result:
    name: str
    requests: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    timed_out: bool = False
    load_average: float = 0.0  # of the machine, over the last minute, when the run ended
    solo_p50: float = float("nan")  # ms, one request at a time: the cost without queueing
    concurrency: int = 0  # clients at once

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        """Nearest-rank percentile in milliseconds."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        rank = max(1, min(len(ordered), math.ceil(p / 100 * len(ordered))))
        return ordered[rank - 1] * 1000

    @property
    def failures(self) -> int:
        return len(self.errors)


class Client:
    """One connection to the server with the caller's credentials (a session or a token)."""

    def __init__(self, port: int, headers: dict[str, str], timeout: float = 60):
        self.port, self.headers, self.timeout = port, headers, timeout
        self.conn = http.client.HTTPConnection(HOST, port, timeout=timeout)

    def send(self, method: str, path: str, body: bytes | None = None, extra: dict | None = None):
        headers = {**self.headers, **(extra or {})}
        if body is not None:
            headers.setdefault("Content-Type", "application/json")
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                if response.will_close:
                    self.conn.close()  # the next request opens a new connection by itself
                return response.status, response.getheader, data
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed an idle keep-alive connection: retry once on a new one.
                self.conn.close()
                if attempt == 2:
                    raise
            except Exception:
                # A timeout leaves the connection mid-request: start the next one afresh.
                self.conn.close()
                raise
        raise AssertionError("unreachable")


def run(
    name: str,
    clients: list[Client],
    next_request: Callable[[int], Request],
    *,
    count: int,
    expect: int = 200,
    deadline_s: float = 300,
) -> Result:
    """Send `count` requests over the clients' connections (one thread each) and time them."""
    result = Result(name)
    lock = threading.Lock()
    issued = [0]
    stop_at = time.monotonic() + deadline_s

    def worker(client: Client) -> None:
        while True:
            with lock:
                if issued[0] >= count:
                    return
                if time.monotonic() > stop_at:
                    result.timed_out = True
                    return
                number = issued[0]
                issued[0] += 1
            method, path, body = next_request(number)
            begin = time.perf_counter()
            try:
                status, _header, data = client.send(method, path, body)
            except (OSError, http.client.HTTPException) as exc:
                elapsed = time.perf_counter() - begin
                with lock:
                    result.errors.append(f"{method} {path}: {exc!r}")
                    result.latencies.append(elapsed)
                continue
            elapsed = time.perf_counter() - begin
            with lock:
                result.latencies.append(elapsed)
                result.statuses[status] += 1
                if status != expect:
                    result.errors.append(f"{method} {path}: HTTP {status} {data[:200]!r}")

    threads = [threading.Thread(target=worker, args=(c,), daemon=True) for c in clients]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(deadline_s + 60)
    result.seconds = time.perf_counter() - started
    result.requests = len(result.latencies)
    result.load_average = os.getloadavg()[0]
    return result


def wait_idle(port: int, *, limit_s: float = 180) -> float:
    """Wait until the server answers a light request quickly again: requests a scenario left
    queued (its clients gone at the deadline) must not slow down the next one."""
    client = Client(port, {}, timeout=limit_s)
    started = time.monotonic()
    while time.monotonic() - started < limit_s:
        begin = time.monotonic()
        with contextlib.suppress(OSError, http.client.HTTPException):
            client.send("GET", "/accounts/login/")
        if time.monotonic() - begin < 1:
            break
    return time.monotonic() - started


def login(port: int, username: str, password: str) -> dict[str, str]:
    """Sign in through the login form; returns the Cookie header of the new session."""
    client = Client(port, {})
    status, header, page = client.send("GET", "/accounts/login/")
    cookies = _cookies(header("Set-Cookie") or "")
    token = page.split(b'name="csrfmiddlewaretoken" value="', 1)[1].split(b'"', 1)[0].decode()
    body = urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token})
    status, header, _ = client.send(
        "POST",
        "/accounts/login/",
        body.encode(),
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
        },
    )
    cookies.update(_cookies(header("Set-Cookie") or ""))
    if status != 302 or "sessionid" not in cookies:
        raise RuntimeError(f"could not sign in as {username} (HTTP {status})")
    return {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}


def _cookies(header: str) -> dict[str, str]:
    found = {}
    for part in header.split(","):
        pair = part.strip().split(";", 1)[0]
        if "=" in pair:
            key, value = pair.split("=", 1)
            if key.strip() in ("csrftoken", "sessionid"):
                found[key.strip()] = value.strip()
    return found
