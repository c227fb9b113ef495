"""A second sync process for the cross-process tests: the worker's rounds against an enrolled data folder.

    python -m tests.helpers.sync_rounds DATA_DIR LOG ROUNDS HOLD_SECONDS

Each round writes ``<pid> start <ns>`` when its push begins and ``<pid> end <ns>`` when its pull
has finished (both inside the round), appended to LOG in one write each; the round holds
HOLD_SECONDS before pushing, and each pulled page reaches this process after a random network
delay, so rounds of two processes that may overlap do overlap.
"""

from __future__ import annotations

import os
import random
import sys
import time

from cashier.settings import Paths, load_settings
from cashier.store import Store
from cashier.sync.client import UpstreamClient, load_credentials
from cashier.sync.engine import Syncer
from cashier.sync.worker import SyncWorker


def _log(path: str, what: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, f"{os.getpid()} {what} {time.time_ns()}\n".encode())
    finally:
        os.close(fd)


class SlowNetwork(UpstreamClient):
    def changes(self, *args, **kwargs):
        page = super().changes(*args, **kwargs)
        time.sleep(random.uniform(0, 0.03))
        return page


class Recorded(Syncer):
    log_path = ""
    hold = 0.0

    def push(self, report) -> None:
        _log(self.log_path, "start")
        time.sleep(self.hold)
        super().push(report)

    def pull(self, report) -> None:
        super().pull(report)
        _log(self.log_path, "end")


def main(data_dir: str, log_path: str, rounds: int, hold: float) -> int:
    paths = Paths.resolve(data_dir)
    loaded = load_settings(paths)
    store = Store.open(paths.database)
    creds = load_credentials(paths.data_dir)
    client = SlowNetwork(loaded.settings.upstream.url, creds.token, timeout=10)
    syncer = Recorded(store, client)
    syncer.log_path, syncer.hold = log_path, hold
    worker = SyncWorker(syncer)
    for _ in range(rounds):
        worker.step()
        if worker.failures:
            return 1
    client.close()
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])))
