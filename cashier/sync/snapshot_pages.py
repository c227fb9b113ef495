"""Reading a snapshot page: the upstream's body checked and made into the rows the terminal stages.

A new terminal reads a million accounts in some two hundred pages. Checking each body against the protocol
(pydantic) and cutting each account's name and address into search tokens (pinyin) is most of the terminal's
work in a snapshot, and all of it holds Python's lock; done in the process that also receives the pages and
writes them, it leaves the machine's other cores idle. So a snapshot of more than one page reads its pages in
worker processes (``PageReaders``), in order, while the terminal's process fetches the next page and writes the
one before: the same check (``UpstreamClient.read_snapshot``, the protocol's models), the same refusals, and the
result is the plain rows that ``engine.stage_page`` writes. A page that cannot be read fails the snapshot as it
did when it was read in place (``Unreachable``), and nothing of it is written.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from concurrent.futures import BrokenExecutor, Future, ProcessPoolExecutor
from dataclasses import dataclass

from cashier.search_index import account_tokens, reverse_phone
from cashier.sync import protocol as p
from cashier.sync.client import Unreachable, UpstreamClient

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReadPage:
    """A snapshot page, checked, as the values the staging tables hold (``engine.STAGE_*`` columns, in order)."""

    as_of: int
    next_after: str | None
    policy: p.PenaltyPolicyBody | None
    accounts: list[tuple]
    bills: list[tuple]
    tokens: list[tuple[str, str, str, str]] | None  # each account's search-index columns, when asked for


def _sql_date(v):
    return None if v is None else v.isoformat()


def page_rows(page: p.SnapshotPage, with_tokens: bool) -> ReadPage:
    """The page's rows; ``with_tokens`` (a new terminal's, staged as its own tables): each account's search tokens
    too, and each bill naming its account by the account's place on the page (0, 1, ...) instead of its number."""
    accounts, on_page = [], {}
    for place, a in enumerate(page.accounts):
        on_page[a.account_no] = place
        accounts.append((a.account_no, a.name, a.address, a.phone, reverse_phone(a.phone), a.meter_no,
                         a.customer_class, a.prepaid_meter, a.supply_status, a.special_group, a.station,
                         a.transformer_area, a.collector, a.prepaid_balance_fen, a.change_no))
    bills = []
    for b in page.bills:
        if b.account_no not in on_page:
            raise Unreachable(f"bill {b.bill_no} names account {b.account_no}, which the snapshot page did not hold")
        bills.append((b.bill_no, on_page[b.account_no] if with_tokens else b.account_no, b.period, b.kwh,
                      b.principal_fen, b.due_date.isoformat(), 0 if b.cancelled else b.outstanding_fen,
                      _sql_date(b.penalty_settled_through), b.change_no, b.reading_start, b.reading_end))
    tokens = [account_tokens(a.name, a.address) for a in page.accounts] if with_tokens else None
    return ReadPage(page.as_of, page.next_after, page.policy, accounts, bills, tokens)


def read_page(raw: bytes, with_tokens: bool) -> ReadPage:
    """A page's body, checked against the protocol, as staging rows (in this process or a worker)."""
    return page_rows(UpstreamClient.read_snapshot(raw), with_tokens)


def reader_count() -> int:
    """Worker processes for a snapshot's pages: two where there are cores for them (the terminal's own process
    keeps one busy fetching and writing), one on a single core (still off the process that writes)."""
    return 2 if (os.cpu_count() or 1) >= 2 else 1


def _end_with_parent() -> None:
    """In each worker: end when the terminal's process does (killed, crashed), never outlive it (a worker waits
    on its queue for good otherwise, and on Windows keeps the program's file in use)."""
    import threading

    parent = multiprocessing.parent_process()

    def watch() -> None:
        parent.join()
        os._exit(1)

    if parent is not None:
        threading.Thread(target=watch, daemon=True).start()


class PageReaders:
    """Pages read in worker processes, handed back in the order they were given. Workers that cannot start or
    die (no /dev/shm, a security program, the memory killer) leave the pages to be read in this process."""

    def __init__(self, workers: int | None = None) -> None:
        self._pool: ProcessPoolExecutor | None = ProcessPoolExecutor(
            max_workers=workers or reader_count(), mp_context=multiprocessing.get_context("spawn"),
            initializer=_end_with_parent)

    def submit(self, raw: bytes, with_tokens: bool) -> "_Read | Future":
        if self._pool is not None:
            try:
                return _Read(self, self._pool.submit(read_page, raw, with_tokens), raw, with_tokens)
            except (BrokenExecutor, OSError) as exc:
                self.in_place(exc)
        return InPlace.submit(raw, with_tokens)

    def in_place(self, exc: BaseException) -> None:
        if self._pool is not None:
            log.warning("snapshot pages read in this process: the worker processes failed (%s: %s)",
                        exc.__class__.__name__, exc)
            pool, self._pool = self._pool, None
            pool.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)


class _Read:
    """A page given to a worker; read here instead if the workers broke before answering."""

    def __init__(self, readers: PageReaders, future: Future, raw: bytes, with_tokens: bool) -> None:
        self.readers, self.future, self.raw, self.with_tokens = readers, future, raw, with_tokens

    def result(self) -> ReadPage:
        try:
            return self.future.result()
        except (BrokenExecutor, OSError) as exc:
            self.readers.in_place(exc)
            return read_page(self.raw, self.with_tokens)


class InPlace:
    """Pages read in this process (a snapshot of one page: starting workers would cost more than reading it)."""

    @staticmethod
    def submit(raw: bytes, with_tokens: bool) -> Future:
        future: Future = Future()
        try:
            future.set_result(read_page(raw, with_tokens))
        except BaseException as exc:  # handed to whoever asks for the result, as a worker's would be
            future.set_exception(exc)
        return future

    def close(self) -> None:
        pass
