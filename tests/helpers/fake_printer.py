"""A network receipt printer on loopback (port 9100 style) that behaves well or badly on demand.

Modes: ``ok`` reads everything and answers status requests (DLE EOT n) as a ready printer;
``paper_out`` reports its roll empty; ``stall`` accepts and then neither reads nor answers;
``drop`` reads a little and hangs up mid-job; ``slow`` is ``ok`` but takes half a second to answer
each status request (a busy network printer); ``http`` is a web proxy answering "HTTP/1.1 400" to
anything. ``status`` sets the answer to ``DLE EOT n`` per n (as a real printer's bits), and
``after_job`` the answers once job bytes arrived (a cover opened or paper run out mid-job).
``received`` is what a printer would have printed (status requests taken out).
"""

import socket
import threading

OK_STATUS = 0x12
PAPER_END = 0x12 | 0x60
NEAR_END = 0x12 | 0x0C
OFFLINE = 0x12 | 0x08  # DLE EOT 1
COVER_OPEN = 0x12 | 0x04  # DLE EOT 2
PAPER_STOP = 0x12 | 0x20  # DLE EOT 2
CUTTER = 0x12 | 0x08  # DLE EOT 3
UNRECOVERABLE = 0x12 | 0x20  # DLE EOT 3


class FakePrinter:
    def __init__(self, mode: str = "ok", status: dict[int, int] | None = None,
                 after_job: dict[int, int] | None = None) -> None:
        self.mode = mode
        self.status = {1: OK_STATUS, 2: OK_STATUS, 3: OK_STATUS, 4: PAPER_END if mode == "paper_out" else OK_STATUS,
                       **(status or {})}
        self.after_job = after_job or {}
        self.asked: list[int] = []
        self.server = socket.socket()
        self.server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.server.bind(("127.0.0.1", 0))
        self.server.listen()
        self.port = self.server.getsockname()[1]
        self.received = bytearray()
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def uri(self) -> str:
        return f"tcp://127.0.0.1:{self.port}"

    def _serve(self) -> None:
        self.server.settimeout(0.1)
        while not self._stop.is_set():
            try:
                conn, _ = self.server.accept()
            except OSError:
                continue
            self.connections += 1
            with conn:
                self._talk(conn)

    def _talk(self, conn: socket.socket) -> None:
        conn.settimeout(0.1)
        if self.mode == "stall":
            while not self._stop.is_set():
                self._stop.wait(0.05)
            return
        taken = 0
        pending = b""
        while not self._stop.is_set():
            try:
                chunk = conn.recv(4096)
            except socket.timeout:
                continue
            except OSError:
                return
            if not chunk:
                return
            if self.mode == "http":
                conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
                return
            pending += chunk
            taken += len(chunk)
            if self.mode == "drop" and taken > 200:
                return  # the cable is pulled
            while b"\x10\x04" in pending:
                before, _, rest = pending.partition(b"\x10\x04")
                if not rest:
                    pending = b"\x10\x04"
                    break
                self.received += before
                n, pending = rest[0], rest[1:]
                if self.mode == "slow":
                    self._stop.wait(0.5)
                self.asked.append(n)
                answers = {**self.status, **self.after_job} if self.received else self.status
                conn.sendall(bytes([answers.get(n, OK_STATUS)]))
            else:
                self.received += pending
                pending = b""

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self.server.close()
