"""Run the upstream in a background thread on a loopback port: for the demo and for tests."""

from __future__ import annotations

import os
import socket
from pathlib import Path
import subprocess
import sys
import threading
import time
from dataclasses import dataclass

import uvicorn

from upstream.app import DEFAULT_MAX_BODY, create_app
from upstream.db import Database
from upstream.policy import DEFAULT_POLICY_BODY


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


def start(db: Database, host: str = "127.0.0.1", port: int | None = None, *, log_level: str = "warning",
          max_body: int = DEFAULT_MAX_BODY, policy=DEFAULT_POLICY_BODY, plausible=None, payments=None,
          scan_rules=None) -> RunningUpstream:
    """``plausible``: an ``upstream.checks.Plausibility`` (tests give the upstream the halls' fixed clock);
    ``payments``/``scan_rules``: the payment providers and scan waits (``create_app``)."""
    port = port or free_port(host)
    config = uvicorn.Config(create_app(db, max_body=max_body, policy=policy, plausible=plausible, payments=payments,
                                       scan_rules=scan_rules), host=host, port=port,
                            log_level=log_level, access_log=False,
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


@dataclass
class UpstreamProcess:
    url: str
    process: "subprocess.Popen"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def spawn(db_url: str, host: str = "127.0.0.1", port: int | None = None, *, log_file=None,
          timeout: float = 30.0, workers: int = 1, extra_args: tuple[str, ...] = (), tls: tuple[str, str] | None = None,
          ca_file: str | None = None, insecure_http: bool = False) -> UpstreamProcess:
    """Run ``cashier-upstream serve`` in its own process (its own core, its own GIL) and wait until it answers.

    ``tls`` is (certificate, key): the service speaks HTTPS and is asked for its health trusting ``ca_file``;
    ``insecure_http`` lets it serve plain HTTP on a non-loopback ``host``."""
    import ssl

    import httpx

    port = port or free_port(host)
    if getattr(sys, "frozen", False):  # an installed build: its own cashier-upstream program beside this one
        command = [str(Path(sys.executable).with_name("cashier-upstream" + Path(sys.executable).suffix))]
    else:
        command = [sys.executable, "-m", "upstream.cli"]
    process = subprocess.Popen(
        command + ["serve", "--db", db_url, "--host", host, "--port", str(port),
         "--exit-with-parent", str(os.getpid()), "--workers", str(workers), *extra_args]
        + (["--tls-cert", str(tls[0]), "--tls-key", str(tls[1])] if tls else [])
        + (["--insecure-http"] if insecure_http else []),
        stdout=log_file or subprocess.DEVNULL, stderr=subprocess.STDOUT if log_file else subprocess.DEVNULL)
    url = f"{'https' if tls else 'http'}://{host}:{port}"
    verify: bool | ssl.SSLContext = ssl.create_default_context(cafile=ca_file) if ca_file else True
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"the upstream exited with status {process.returncode} before answering")
        try:
            if httpx.get(url + "/v1/health", timeout=1, verify=verify).status_code == 200:
                return UpstreamProcess(url, process)
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"the upstream did not answer on {url} within {timeout:.0f} s")
        time.sleep(0.05)
