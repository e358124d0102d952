"""The load client: many connections each sending requests for a while, with the
answers' status, encoding and latency counted; results of several rounds combined."""

from __future__ import annotations

import socket
import statistics
import threading
import time
from dataclasses import dataclass, field


@dataclass
class LoadResult:
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float] = field(repr=False)
    client_cpu: float  # share of one core the load generator used

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    @property
    def p50_ms(self) -> float:
        return statistics.median(self.latencies_ms) if self.latencies_ms else float("nan")

    @property
    def p99_ms(self) -> float:
        if len(self.latencies_ms) < 2:
            return self.p50_ms
        return statistics.quantiles(self.latencies_ms, n=100, method="inclusive")[98]


def _read_response(sock: socket.socket) -> tuple[int, bool]:
    """Read one HTTP/1.1 response; its status and whether the connection stays open."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("connection closed before the headers")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split()[1])
    length, keep = None, True
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"connection" and value.strip().lower() == b"close":
            keep = False
    if length is None:  # no length: the body ends when the server closes
        while sock.recv(65536):
            pass
        return status, False
    remaining = length - len(body)
    while remaining > 0:
        chunk = sock.recv(min(remaining, 262144))
        if not chunk:
            raise ConnectionError("connection closed inside the body")
        remaining -= len(chunk)
    return status, keep


def _client(
    port: int, request: bytes, count_from: float, stop_at: float, results: list, lock
) -> None:
    """One client: sends requests back to back, reusing the connection while the server
    keeps it open (gunicorn's sync workers close it after every response)."""
    sock: socket.socket | None = None
    latencies: list[float] = []
    errors = 0
    while (started := time.perf_counter()) < stop_at:
        try:
            if sock is None:
                sock = socket.create_connection(("127.0.0.1", port), timeout=120)
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            sock.sendall(request)
            status, keep = _read_response(sock)
        except OSError:
            if sock is not None:
                sock.close()
            sock = None
            errors += 1
            time.sleep(0.01)
            continue
        finished = time.perf_counter()
        if not keep:
            sock.close()
            sock = None
        if count_from <= finished <= stop_at:
            if status == 200:
                latencies.append((finished - started) * 1000)
            else:
                errors += 1
    if sock is not None:
        sock.close()
    with lock:
        results.append((latencies, errors))


def load(
    port: int,
    path: str,
    *,
    clients: int,
    duration: float,
    warmup: float,
    headers: dict[str, str] | None = None,
) -> LoadResult:
    """Requests per second for ``path`` with ``clients`` concurrent connections (a thread
    each), sending ``headers`` too; the first ``warmup`` seconds are not counted."""
    extra = "".join(f"{name}: {value}\r\n" for name, value in (headers or {}).items())
    request = (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"User-Agent: tribune-bench\r\nAccept: text/html\r\n{extra}\r\n"
    ).encode()
    start = time.perf_counter()
    count_from, stop_at = start + warmup, start + warmup + duration
    results: list = []
    lock = threading.Lock()
    threads = [
        threading.Thread(
            target=_client,
            args=(port, request, count_from, stop_at, results, lock),
            daemon=True,  # an interrupted run must not wait for them
        )
        for _ in range(clients)
    ]
    cpu = time.process_time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    cpu = time.process_time() - cpu
    latencies = [ms for thread_latencies, _ in results for ms in thread_latencies]
    return LoadResult(
        requests=len(latencies),
        errors=sum(errors for _, errors in results),
        seconds=duration,
        latencies_ms=latencies,
        client_cpu=cpu / max(warmup + duration, 1e-9),
    )


# The cases of the table, in the order they are loaded and printed.


def combine(parts: list[LoadResult]) -> LoadResult:
    seconds = sum(p.seconds for p in parts)
    return LoadResult(
        requests=sum(p.requests for p in parts),
        errors=sum(p.errors for p in parts),
        seconds=seconds,
        latencies_ms=[ms for p in parts for ms in p.latencies_ms],
        client_cpu=sum(p.client_cpu * p.seconds for p in parts) / seconds,
    )
