"""A loopback HTTP proxy that breaks things on purpose, between a terminal and the upstream.

Per request it picks a fault at random (seeded): pass it through, drop the connection before
forwarding, forward and then drop it before answering (the upstream committed, the terminal
never hears), delay it, answer 502 or 503 itself, send half of the answer, or send the request
to the upstream twice. One request per client connection (the proxy answers
``Connection: close``), so each fault hits exactly one request.
"""

from __future__ import annotations

import random
import socket
import threading
import time
from collections import Counter

FAULTS = ("pass", "drop_before", "drop_after", "delay", "502", "503", "truncate", "duplicate")


def _read_request(conn: socket.socket) -> bytes | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        body += chunk
    lines = [l for l in head.split(b"\r\n") if not l.lower().startswith(b"connection:")]
    return b"\r\n".join(lines + [b"Connection: close"]) + b"\r\n\r\n" + body


def _close_header(response: bytes) -> bytes:
    head, sep, body = response.partition(b"\r\n\r\n")
    lines = [l for l in head.split(b"\r\n") if not l.lower().startswith(b"connection:")]
    return b"\r\n".join(lines + [b"Connection: close"]) + sep + body


class FaultProxy:
    def __init__(self, target: tuple[str, int], *, fault_rate: float = 0.3, seed: int = 1,
                 faults: tuple[str, ...] = FAULTS[1:]) -> None:
        self.target, self.fault_rate, self.faults = target, fault_rate, faults
        self.rng = random.Random(seed)
        self.lock = threading.Lock()
        self.seen: Counter[str] = Counter()
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(128)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self._stop = False
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self._stop = True
        self.sock.close()
        self.thread.join(5)

    def _choose(self) -> str:
        with self.lock:
            mode = self.rng.choice(self.faults) if self.rng.random() < self.fault_rate else "pass"
            self.seen[mode] += 1
            return mode

    def _accept(self) -> None:
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _forward(self, request: bytes) -> bytes:
        with socket.create_connection(self.target, timeout=30) as up:
            up.sendall(request)
            chunks = []
            while True:
                chunk = up.recv(65536)
                if not chunk:
                    return b"".join(chunks)
                chunks.append(chunk)

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            try:
                request = _read_request(conn)
                if request is None:
                    return
                mode = self._choose()
                if mode == "drop_before":
                    return
                if mode in ("502", "503"):
                    reason = b"Bad Gateway" if mode == "502" else b"Service Unavailable"
                    conn.sendall(b"HTTP/1.1 " + mode.encode() + b" " + reason +
                                 b"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    return
                if mode == "delay":
                    time.sleep(self.rng.uniform(0.05, 0.4))
                response = self._forward(request)
                if mode == "duplicate":
                    response = self._forward(request)
                if mode == "drop_after":
                    return
                if mode == "truncate":
                    conn.sendall(response[: max(1, len(response) * 2 // 3)])
                    return
                conn.sendall(_close_header(response))
            except OSError:
                return
