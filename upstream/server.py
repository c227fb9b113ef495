"""Run the upstream in a background thread on a loopback port: for the demo and for tests."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass

import uvicorn

from upstream.app import create_app
from upstream.db import Database


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


@dataclass
class RunningUpstream:
    db: Database
    url: str
    server: uvicorn.Server
    thread: threading.Thread

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.db.dispose()


def start(db: Database, host: str = "127.0.0.1", port: int | None = None, *, log_level: str = "warning") -> RunningUpstream:
    port = port or free_port(host)
    config = uvicorn.Config(create_app(db), host=host, port=port, log_level=log_level, access_log=False,
                            lifespan="off", timeout_keep_alive=30)
    server = uvicorn.Server(config)
    server.install_signal_handlers = lambda: None  # type: ignore[method-assign] - not the main thread
    thread = threading.Thread(target=server.run, name=f"upstream:{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"the upstream did not start on {host}:{port}")
        time.sleep(0.01)
    return RunningUpstream(db, f"http://{host}:{port}", server, thread)
