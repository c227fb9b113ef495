"""The background sync worker: a round every few seconds, capped exponential backoff with full jitter.

After a failure the wait is uniform in [0, min(cap, base·2^failures)] ("full jitter"), so a
hall full of terminals coming back online does not hit the upstream in lock step. ``wake()``
starts a round now (after a payment, so it goes up at once when online).
"""

from __future__ import annotations

import logging
import random
import threading
from typing import Callable

from cashier.sync.client import SyncError
from cashier.sync.engine import RoundReport, Syncer

log = logging.getLogger(__name__)


def backoff_delay(failures: int, *, base: float = 1.0, cap: float = 300.0, rng: Callable[[], float] = random.random) -> float:
    """Seconds to wait after ``failures`` failures in a row (≥ 1): full jitter under a capped exponential."""
    ceiling = min(cap, base * (2 ** min(failures, 30)))
    return rng() * ceiling


class SyncWorker:
    def __init__(self, syncer: Syncer, *, interval: float = 15.0, backoff_cap: float = 300.0,
                 on_round: Callable[[RoundReport | None, Exception | None], None] | None = None) -> None:
        self.syncer, self.interval, self.backoff_cap, self.on_round = syncer, interval, backoff_cap, on_round
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.failures = 0

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="sync", daemon=True)
            self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
        self.syncer.client.close()

    def _run(self) -> None:
        while not self._stop.is_set():
            delay = self.step()
            self._wake.wait(delay)
            self._wake.clear()

    def step(self) -> float:
        """One round; returns how long to wait before the next."""
        try:
            report = self.syncer.run_once()
        except SyncError as exc:
            self.failures += 1
            delay = backoff_delay(self.failures, cap=self.backoff_cap)
            log.warning("sync failed (%d in a row), next try in %.1f s: %s", self.failures, delay, exc)
            self._report(None, exc)
            return delay
        except Exception as exc:  # noqa: BLE001 - a bug must not kill the worker; it is logged and retried
            self.failures += 1
            log.exception("sync round crashed")
            self._report(None, exc)
            return backoff_delay(self.failures, cap=self.backoff_cap)
        self.failures = 0  # the round's counts are in the log already (Syncer.run_once)
        self._report(report, None)
        return self.interval

    def _report(self, report: RoundReport | None, error: Exception | None) -> None:
        if self.on_round is not None:
            try:
                self.on_round(report, error)
            except Exception:  # noqa: BLE001
                log.exception("sync status listener failed")
