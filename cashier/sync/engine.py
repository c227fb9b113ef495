"""One sync round: push the outbox in sequence order, then pull account and bill changes.

Push marks each outbox entry with the upstream's answer in one local transaction per batch;
an entry the upstream never answered stays ``pending`` and goes again (the upstream answers
``duplicate`` if it had it), so a payment reaches the upstream exactly once whatever breaks
in between. ``rejected`` and ``conflict`` entries are held for the supervisor.

Pull runs only once nothing is pending, and the rows it applies are adjusted by any local
payment not yet uploaded (taken while the pull was on its way), so a pull can never make a
paid bill look unpaid at the counter. A snapshot (new terminal, 410 refetch, forced refetch) is
staged and then swapped in whole: it replaces the local picture (``swap_snapshot``); a new terminal's is staged
as copies of its own tables and search index, which the swap renames into place (``_rename_into_place``). The whole Syncer is behind one lock: the worker's
round and the counter's account check never interleave; and behind the data folder's round
lock (``round_lock``), so a round of another process on the same database never does either.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import bindparam, func, select, text, update
from sqlalchemy.orm import Session

from cashier import documents, events, penalty_policy
from cashier.audit import head as audit_head
from cashier.clock import Clock
from cashier.logs import after_commit
from cashier import search_index
from cashier.search_index import index_rows, rebuild_parallel, reverse_phone, unindex
from cashier.store import Store
from cashier.store.schema import relaxed_commits
from cashier.store.models import Account, Allocation, Bill, OutboxEntry, Payment, SyncState
from cashier.sync import protocol as p
from cashier.sync.client import Refetch, Refused, Unreachable, UpstreamClient
from cashier.sync.round_lock import RoundBusy, RoundLock
from cashier.sync.snapshot_pages import InPlace, PageReaders, ReadPage

log = logging.getLogger(__name__)

_SET = text("INSERT INTO sync_state (key, value) VALUES (:k, :v) ON CONFLICT (key) DO UPDATE SET value = :v")
_DEL = text("DELETE FROM sync_state WHERE key = :k")
_MARK = (update(OutboxEntry.__table__).where(OutboxEntry.__table__.c.id == bindparam("r_id"))
         .values(status=bindparam("st"), sent_at=bindparam("at"), last_error=bindparam("note"),
                 attempts=OutboxEntry.__table__.c.attempts + 1))
SNAPSHOT_PAGE = 5000
READ_AHEAD = 3  # snapshot pages read (in worker processes) ahead of the one being written
_SPLIT_ON = (403, 413, 422)  # a batch refused whole: find the item it was about, let the others through
CHANGES_PAGE = 2000


def get_state(s: Session, key: str) -> str | None:
    row = s.get(SyncState, key)
    return row.value if row is not None else None


def set_state(s: Session, **values: object) -> None:
    for key, value in values.items():
        if value is None:
            s.execute(_DEL, {"k": key})
        else:
            s.execute(_SET, {"k": key, "v": value.isoformat() if isinstance(value, datetime) else str(value)})


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


@dataclass(frozen=True)
class SyncStatus:
    configured: bool
    online: bool
    pending: int
    pending_fen: int
    held: int  # rejected or in conflict: waiting for a person
    last_success_at: datetime | None
    last_error: str | None
    data_as_of: datetime | None  # the last complete pull
    offline_since: datetime | None
    numbering_unconfirmed: bool = False  # restored from a backup: no money until the upstream says its last number


_PENDING_FEN = (
    select(func.coalesce(func.sum(Payment.applied_fen + Payment.prepaid_credit_fen), 0))
    .join(OutboxEntry, (OutboxEntry.entity_id == Payment.id) & (OutboxEntry.kind == "payment"))
    .where(OutboxEntry.status == "pending")
)


def pending_fen(s: Session) -> int:
    return int(s.scalar(_PENDING_FEN) or 0)


def read_status(s: Session, configured: bool) -> SyncStatus:
    counts = dict(s.execute(select(OutboxEntry.status, func.count()).where(
        OutboxEntry.status.in_(("pending", "rejected", "conflict"))).group_by(OutboxEntry.status)).all())
    state = dict(s.execute(select(SyncState.key, SyncState.value).where(SyncState.key.in_(
        ("online", "last_success_at", "last_error", "last_pull_at", "offline_since")))).all())
    return SyncStatus(
        configured=configured, online=configured and state.get("online") == "1",
        pending=counts.get("pending", 0), pending_fen=pending_fen(s) if counts.get("pending") else 0,
        held=counts.get("rejected", 0) + counts.get("conflict", 0),
        last_success_at=_when(state.get("last_success_at")), last_error=state.get("last_error"),
        data_as_of=_when(state.get("last_pull_at")), offline_since=_when(state.get("offline_since")),
        numbering_unconfirmed=documents.unconfirmed(s),
    )


def _held_reason(exc: Refused) -> str:
    """The outbox note of an item the upstream refused on its own (the supervisor reads it)."""
    why = {413: "too_large", 422: "malformed"}.get(exc.status, "refused")
    return f"{why}: {exc.code}: {exc.message}"[:500]


@dataclass
class RoundReport:
    pushed: dict[str, int] = field(default_factory=dict)  # accepted / duplicate / rejected / conflict
    accounts: int = 0
    bills: int = 0
    snapshot: bool = False
    error: str | None = None
    sequence_moved: tuple[int, int] | None = None  # (local last, upstream's last): numbering moved past a restore
    scan: dict[str, int] = field(default_factory=dict)  # scan intents finished, refunds settled (paid, failed …)

    def add(self, status: str, n: int = 1) -> None:
        self.pushed[status] = self.pushed.get(status, 0) + n


class Syncer:
    def __init__(self, store: Store, client: UpstreamClient, *, clock: Clock | None = None, batch_size: int = 200) -> None:
        self.store, self.client, self.clock, self.batch_size = store, client, clock or Clock(), batch_size
        self.lock = threading.RLock()
        self.round_lock = RoundLock(store.path)  # across processes: one round per data folder at a time
        self._depth = 0
        self.rounds = 0  # rounds finished (either way) by this process: until the first, "online" is last run's
        self.snapshot_page = SNAPSHOT_PAGE
        # Scan-to-pay: the terminal whose open scan intents each round resolves (None: refunds are still tracked).
        self.scan_terminal = None

    # --- push ---------------------------------------------------------------------------------

    def push(self, report: RoundReport) -> None:
        """Upload every pending outbox entry, oldest first; raises Unreachable/Refused to stop the round."""
        while True:
            with self.store.read() as s:
                rows = s.execute(select(OutboxEntry.id, OutboxEntry.kind, OutboxEntry.entity_id, OutboxEntry.payload)
                                 .where(OutboxEntry.status == "pending").order_by(OutboxEntry.id)
                                 .limit(self.batch_size)).all()
            if not rows:
                return
            self._push_rows(rows, report)

    def _push_rows(self, rows, report: RoundReport) -> None:
        """Push a batch; a batch refused whole is halved until the refused item stands alone, and held.

        The upstream answers item by item, but one that refuses a whole batch (422 malformed, 413 too large, or
        an upstream of protocol 1 that answers 403 for one document of another hall) must never hold back the
        good items behind the bad one: halves go in sequence order, and an item refused alone is held
        (``rejected`` with why) for the supervisor.
        """
        items, good = [], []
        for row in rows:
            try:  # the stored body is the protocol model's JSON (or, from older versions, a dict of the same fields)
                item = p.parse_item(row.kind, row.payload)
            except ValueError as exc:  # refused here as the upstream would refuse it (422): it goes no further
                self._record([row], [p.ItemResult(id=row.entity_id, status="rejected",
                                                  reason=f"malformed: {exc}"[:500])], report)
                continue
            items.append(item.model_dump(mode="json"))
            good.append(row)
        if not good:
            return
        rows = good
        with self.store.read() as s:
            head = audit_head(s)
        try:
            response = self.client.push(items, audit_head=head)
        except Refused as exc:
            if exc.status not in _SPLIT_ON:
                raise
            if len(rows) > 1:
                half = len(rows) // 2
                if exc.status == 413:  # what did not fit once will not fit next time: send smaller batches
                    self.batch_size = max(1, min(self.batch_size, half))
                    log.warning("the upstream refused %d items as too large: batches of %d from now on",
                                len(rows), self.batch_size)
                self._push_rows(rows[:half], report)
                self._push_rows(rows[half:], report)
                return
            self._record(rows, [p.ItemResult(id=rows[0].entity_id, status="rejected",
                                             reason=_held_reason(exc))], report)
            return
        if response.last_seq is not None:
            self._catch_up(items[0]["body"]["terminal_id"], response.last_seq, report)
        answered = self._record(rows, response.results, report)
        if answered < len(rows):
            # An upstream that leaves items unanswered: they stay pending; stop the round rather than loop on them.
            raise Unreachable(f"the upstream answered {answered} of {len(rows)} items")

    def _record(self, rows, results: list[p.ItemResult], report: RoundReport) -> int:
        """Mark each answered outbox entry with the upstream's answer, in one transaction; returns how many."""
        by_id = {r.id: r for r in results}
        now = self.clock.now()
        marks = []
        for row in rows:
            result = by_id.get(row.entity_id)
            if result is None:  # not answered: it goes again next round
                continue
            note = result.reason or (",".join(result.flags) if result.flags else None)
            marks.append({"r_id": row.id, "st": result.status, "at": now, "note": note})
            report.add(result.status)
            if result.status in ("rejected", "conflict"):
                log.warning("upstream %s %s %s: %s", result.status, row.kind, row.entity_id, note)
        if marks:
            with self.store.transaction() as s:
                s.execute(_MARK, marks)
        return len(marks)

    # --- the numbering after a restore ----------------------------------------------------------

    def confirm_sequence(self, report: RoundReport) -> None:
        """After a restore, ask the upstream its last number for this terminal and number on from past it."""
        with self.store.read() as s:
            if not documents.unconfirmed(s):
                return
        try:
            state = self.client.terminal_state()
        except Refused as exc:
            if exc.status != 404:
                raise
            # An upstream of protocol 1 cannot say: its push answers will show any reused number as a conflict.
            log.warning("the upstream does not say its last sequence number (protocol 1): numbering not checked")
            with self.store.transaction() as s:
                s.execute(text(f"DELETE FROM sync_state WHERE key = '{documents.UNCONFIRMED}'"))
            return
        self._catch_up(state.terminal_id, state.last_seq, report)

    def _catch_up(self, terminal_id: str, upstream_last: int, report: RoundReport) -> None:
        with self.store.read() as s:  # the usual answer: nothing to do, and no write transaction for it
            if documents.last_number(s, terminal_id) >= upstream_last and not documents.unconfirmed(s):
                return
        with self.store.transaction() as s:
            was = documents.catch_up(s, terminal_id, upstream_last, self.clock.now())
            if was is not None:
                events.announce(s, events.NUMBERING, was=was, last=upstream_last)
        if was is not None:
            report.sequence_moved = (was, upstream_last)
            log.warning("terminal %s numbered up to %d, the upstream holds up to %d (restored from an older "
                        "backup?): the next receipt number is %d", terminal_id, was, upstream_last, upstream_last + 1)

    # --- pull ---------------------------------------------------------------------------------

    def pull(self, report: RoundReport) -> None:
        with self.store.read() as s:
            cursor = get_state(s, "cursor")
        if cursor is None:
            self._snapshot(report)
            with self.store.read() as s:
                cursor = get_state(s, "cursor")
        cursor_n = int(cursor)
        while True:
            try:
                page = self.client.changes(cursor_n, CHANGES_PAGE)
            except Refetch:
                log.warning("pull cursor %d too old: taking a new snapshot", cursor_n)
                self.forget_cursor()
                self._snapshot(report)
                with self.store.read() as s:
                    cursor_n = int(get_state(s, "cursor"))
                continue
            with self.store.transaction() as s:
                a, b = apply_rows(s, page.accounts, page.bills, self.clock.now())
                set_state(s, cursor=page.next_cursor)
                if page.policy is not None:
                    penalty_policy.hold(s, page.policy)
                if page.accounts or page.bills:
                    events.announce(s, events.PULL_APPLIED, accounts=tuple(
                        sorted({r.account_no for r in page.accounts} | {r.account_no for r in page.bills})))
            report.accounts += a
            report.bills += b
            cursor_n = page.next_cursor
            if not page.more:
                return

    def forget_cursor(self) -> None:
        """The next pull takes a whole new snapshot (a 410, or a technician's ``sync --refetch``).

        The picture shown stays as it is until the snapshot is complete and swapped in."""
        with self.store.transaction() as s:
            set_state(s, cursor=None, snapshot_after=None, snapshot_as_of=None, snapshot_index_deferred=None)

    def _snapshot(self, report: RoundReport) -> None:
        """A full copy, page by page into staging tables, then swapped in over the local picture at once.

        Resumable: each page is committed with the position after it, so a round cut short (or a killed
        process) goes on from there with the same ``as_of``; the counter goes on showing the previous picture
        until the last page, and the swap that replaces the picture is that page's transaction.
        Everything overlaps: the next page is fetched while the ones before it are read (checked, and for a new
        terminal cut into search tokens) in worker processes and the one before those is written, so the
        upstream, the reading and the local disk work at once (``snapshot_pages``).
        """
        report.snapshot = True
        with self.store.transaction() as s:
            conn = s.connection()
            after = get_state(s, "snapshot_after")
            as_of = get_state(s, "snapshot_as_of")
            staged = _staging_shape(conn)
            if as_of is None or staged is None:  # a new snapshot (or one begun before staging): from the start
                after = as_of = None
                staged = _create_staging(conn)
                set_state(s, snapshot_after=None, snapshot_as_of=None, snapshot_index_deferred=None)
            with_tokens = staged == TABLES  # a new terminal's pages: rows as its tables hold them, and their tokens
        size = self.snapshot_page
        started, cpu = time.perf_counter(), time.process_time()
        raw = self.client.snapshot_raw(after, size, int(as_of) if as_of is not None else None)
        peeked = _peek_position(raw)
        # Worker processes only for a snapshot of more than one page (starting them costs more than one page).
        readers = PageReaders() if peeked is None or peeked[1] is not None else InPlace()
        # Pages are written in order, one transaction each, a page only once the one before it is committed, and
        # a failure anywhere waits for the page being written: the snapshot stops at a committed page, as it did
        # when one thread did it all. At most READ_AHEAD pages are read ahead of the one being written.
        try:
            with ThreadPoolExecutor(max_workers=1, thread_name_prefix="snapshot") as fetcher, \
                    ThreadPoolExecutor(max_workers=1, thread_name_prefix="snapshot-write") as writer:
                reads: deque = deque()
                written = None
                while True:
                    # The next page is asked for before this one is read when its body says where it goes on
                    # (it ends with as_of and next_after), so the upstream writes it while this one is checked.
                    peeked = _peek_position(raw)
                    reads.append((readers.submit(raw, with_tokens), peeked))
                    upcoming = (fetcher.submit(self.client.snapshot_raw, peeked[1], size, peeked[0])
                                if peeked is not None and peeked[1] is not None else None)
                    while reads and (upcoming is None or len(reads) > READ_AHEAD):
                        page, peek, written = self._write_next(reads, written, writer, report, started, cpu)
                        if peek is None and page.next_after is not None:  # an upstream that does not say it at the end
                            upcoming = fetcher.submit(self.client.snapshot_raw, page.next_after, size, page.as_of)
                        if page.next_after is None:
                            written.result()
                            return
                    try:
                        raw = upcoming.result()
                    except BaseException:
                        # The next page did not come: the pages read before it are kept, so that the next round goes
                        # on after them.
                        while reads:
                            _page, _peek, written = self._write_next(reads, written, writer, report, started, cpu)
                        if written is not None:
                            written.result()
                        raise
        finally:
            readers.close()

    def _write_next(self, reads: deque, written, writer, report: RoundReport, started: float, cpu: float):
        """The oldest page read, checked against where its body said it goes on, handed to the writer once the one
        before it is committed: the page, what its body said of its position, its write."""
        future, peek = reads.popleft()
        page = future.result()
        if peek is not None and peek != (page.as_of, page.next_after):
            raise Unreachable("a snapshot page that does not say one thing about where it goes on")
        if written is not None:
            written.result()  # the page before is committed (or its failure ends the snapshot here)
        return page, peek, writer.submit(self._stage, page, report, started, cpu)

    def _stage(self, page: ReadPage, report: RoundReport, started: float, cpu: float) -> None:
        """One snapshot page in its own transaction, with the position after it; the last one swaps it in."""
        # A page that is not the last commits without waiting for the disk (a power cut loses at most
        # pages fetched again on resume); the last one, which swaps the snapshot in, commits in full.
        with (relaxed_commits() if page.next_after is not None else nullcontext()), self.store.transaction() as s:
            a, b = stage_page(s, page, self.clock.now())
            if page.policy is not None:
                penalty_policy.hold(s, page.policy)
            if page.next_after is None:
                log.info("snapshot pages fetched and staged: %d accounts in %.1f s (this process's CPU %.1f s)",
                         report.accounts + a, time.perf_counter() - started, time.process_time() - cpu)
                swap_snapshot(s, self.clock.now())
                set_state(s, cursor=page.as_of, snapshot_after=None, snapshot_as_of=None)
                events.announce(s, events.PULL_APPLIED, accounts=())  # a whole copy: any account may differ
            else:
                set_state(s, snapshot_after=page.next_after, snapshot_as_of=page.as_of)
        report.accounts += a
        report.bills += b

    def refresh_account(self, account_no: str, *, timeout: float | None = None,
                        wait_for_round: float = -1, cross_hall: bool = False) -> p.AccountDues | None:
        """Ask the upstream what the account owes now and bring the local copy up to date.

        With ``wait_for_round`` ≥ 0 it gives up (None) rather than wait longer for a sync round in progress.
        ``cross_hall``: an account of another hall (a customer paying here), which the upstream logs; it is
        kept in the local store like this hall's accounts, so the payment can be taken and quoted.
        """
        if not self._enter(None if wait_for_round < 0 else wait_for_round):
            return None
        try:
            dues = self.client.account(account_no, timeout=timeout, cross_hall=cross_hall)
            with self.store.transaction() as s:
                apply_rows(s, [dues.account], dues.bills, self.clock.now(), replace_open_bills=True)
                events.announce(s, events.ACCOUNT_REFRESHED, account_no=account_no)
            return dues
        finally:
            self._leave()

    # --- a round ------------------------------------------------------------------------------

    def _enter(self, wait: float | None) -> bool:
        """Hold this syncer's lock and the data folder's round lock; False when not both within ``wait`` seconds."""
        deadline = None if wait is None else time.monotonic() + wait
        if not self.lock.acquire(timeout=-1 if wait is None else wait):
            return False
        if self._depth == 0:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            try:
                taken = self.round_lock.acquire(left)
            except BaseException:
                self.lock.release()
                raise
            if not taken:
                self.lock.release()
                return False
        self._depth += 1
        return True

    def _leave(self) -> None:
        self._depth -= 1
        if self._depth == 0:
            self.round_lock.release()
        self.lock.release()

    def run_once(self, *, wait: float | None = None, refetch: bool = False) -> RoundReport:
        """Push, then pull; waits for a round in progress (here or in another process), or with ``wait``
        seconds given, raises RoundBusy rather than wait longer. ``refetch`` pulls a whole new snapshot."""
        report = RoundReport()
        if not self._enter(wait):
            raise RoundBusy(str(self.round_lock.path))
        try:
            try:
                if refetch:
                    self.forget_cursor()
                self.confirm_sequence(report)
                self.scan_round(report)  # before the push: a payment a resolved intent commits goes up now
                self.push(report)
                self.pull(report)
            except (Unreachable, Refused) as exc:
                report.error = str(exc)
                self._note(ok=False, error=str(exc))
                raise
            self._note(ok=True, error=None)
        finally:
            self._leave()
        if report.pushed or report.accounts or report.bills or report.snapshot:  # a quiet round says nothing
            log.info("sync round: pushed %s, pulled %d accounts, %d bills%s", report.pushed or "nothing",
                     report.accounts, report.bills, " (a new snapshot)" if report.snapshot else "")
        return report

    def scan_round(self, report: RoundReport) -> None:
        """Finish scan intents a crash left open and follow the refunds of reversed scan payments."""
        from cashier import scan_pay, scan_refunds

        if self.scan_terminal is not None:
            for out in scan_pay.resolve_open_intents(self.scan_terminal, self.client):
                if out.final:
                    report.scan[out.state] = report.scan.get(out.state, 0) + 1
        for state in scan_refunds.track(self.store, self.client, self.clock.now()):
            if state.status != "pending":
                key = f"refund_{state.status}"
                report.scan[key] = report.scan.get(key, 0) + 1

    def _note(self, ok: bool, error: str | None) -> None:
        self.rounds += 1
        now = self.clock.now()
        with self.store.transaction() as s:
            events.announce(s, events.SYNC_ROUND, ok=ok, error=error)
            if ok:
                if get_state(s, "online") == "0":
                    after_commit(s, log, "sync: the upstream answers again (offline since %s UTC)", get_state(s, "offline_since"))
                set_state(s, online=1, last_success_at=now, last_pull_at=now, last_error=None, offline_since=None)
            else:
                was_online = get_state(s, "online") != "0"
                set_state(s, online=0, last_error=error[:500] if error else None)
                if was_online or get_state(s, "offline_since") is None:
                    set_state(s, offline_since=now)


# --- applying pulled rows ------------------------------------------------------------------------

def _pending_effects(s: Session) -> tuple[dict[int, tuple[int, bool]], dict[int, int]]:
    """What local payments not yet uploaded did: per account (credit, reconnect), per bill principal."""
    rows = s.execute(
        select(Payment.id, Payment.kind, Payment.account_id, Payment.prepaid_credit_fen, Payment.reconnect_requested)
        .join(OutboxEntry, (OutboxEntry.entity_id == Payment.id) & OutboxEntry.kind.in_(("payment", "reversal")))
        .where(OutboxEntry.status == "pending")
    ).all()
    accounts: dict[int, tuple[int, bool]] = {}
    bills: dict[int, int] = {}
    if not rows:
        return accounts, bills
    sign = {r.id: (-1 if r.kind == "reversal" else 1) for r in rows}
    for r in rows:
        credit, reconnect = accounts.get(r.account_id, (0, False))
        accounts[r.account_id] = (credit + sign[r.id] * r.prepaid_credit_fen, reconnect or bool(r.reconnect_requested))
    for payment_id, bill_id, principal in s.execute(
            select(Allocation.payment_id, Allocation.bill_id, Allocation.principal_fen)
            .where(Allocation.payment_id.in_(list(sign)))):
        bills[bill_id] = bills.get(bill_id, 0) + sign[payment_id] * principal
    return accounts, bills


_A = Account.__table__
_B = Bill.__table__
_UPDATE_ACCOUNT = update(_A).where(_A.c.id == bindparam("r_id")).values(
    {c: bindparam(c) for c in ("name", "address", "phone", "phone_rev", "meter_no", "customer_class", "prepaid_meter",
                               "supply_status", "special_group", "station", "transformer_area", "collector",
                               "prepaid_balance_fen", "version", "updated_at")} | {"gone_at": None})
_UPDATE_BILL = update(_B).where(_B.c.id == bindparam("r_id")).values(
    {c: bindparam(c) for c in ("period", "kwh", "principal_fen", "due_date", "outstanding_fen",
                               "penalty_settled_through", "version", "reading_start", "reading_end")})


_ACCOUNT_INSERT_COLS = ("account_no", "name", "address", "phone", "phone_rev", "meter_no", "customer_class",
                        "prepaid_meter", "supply_status", "special_group", "station", "transformer_area", "collector",
                        "prepaid_balance_fen", "version", "updated_at")
_BILL_INSERT_COLS = ("bill_no", "account_id", "period", "kwh", "principal_fen", "due_date", "outstanding_fen",
                     "penalty_settled_through", "version", "reading_start", "reading_end")


def _sql_date(v):
    return None if v is None else v.isoformat()


def _sql_datetime(v):
    return None if v is None else v.strftime("%Y-%m-%d %H:%M:%S.%f")  # as SQLAlchemy stores it in SQLite


_CONVERT = {"updated_at": _sql_datetime, "due_date": _sql_date, "penalty_settled_through": _sql_date}


def _insert_raw(conn, table: str, cols: tuple[str, ...], rows: list[dict]) -> None:
    """Plain driver executemany: a snapshot inserts millions of rows, SQLAlchemy's per-row work is the cost."""
    dated = [(i, _CONVERT[c]) for i, c in enumerate(cols) if c in _CONVERT]
    values = []
    for r in rows:
        row = [r[c] for c in cols]
        for i, convert in dated:
            row[i] = convert(row[i])
        values.append(tuple(row))
    conn.exec_driver_sql(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", values)


# --- a snapshot: staged page by page, then swapped in --------------------------------------------

_POSITION = re.compile(rb'"as_of":([0-9]{1,19}),"next_after":(null|"([0-9]{1,20})")\}\s*$')


def _peek_position(raw: bytes) -> tuple[int, str | None] | None:
    """(as_of, next_after) from the end of a snapshot page's body, before it is read; None if not said there."""
    m = _POSITION.search(raw[-80:])
    if m is None:
        return None
    return int(m.group(1)), (m.group(3).decode() if m.group(3) else None)


STAGE_ACCOUNTS = "sync_snapshot_accounts"
STAGE_BILLS = "sync_snapshot_bills"
# A new terminal's staging (the TABLES shape below): copies of its accounts and bills tables, and of its search
# index, written page by page and renamed into place by the swap. Names of their own: a program that does not
# know this shape (an older one, after a downgrade) leaves them alone rather than trip over their references.
TABLE_ACCOUNTS = "sync_snapshot_t_accounts"
TABLE_BILLS = "sync_snapshot_t_bills"
STAGE_SEARCH = "sync_snapshot_search"
# The upstream's values of an account / a bill: what a swap lays over the local row.
_ACCOUNT_VALUES = ("name", "address", "phone", "phone_rev", "meter_no", "customer_class", "prepaid_meter",
                   "supply_status", "special_group", "station", "transformer_area", "collector",
                   "prepaid_balance_fen", "version")
_BILL_VALUES = ("period", "kwh", "principal_fen", "due_date", "outstanding_fen", "penalty_settled_through", "version",
                "reading_start", "reading_end")
_STAGE_ACCOUNT_COLS = ("account_no",) + _ACCOUNT_VALUES  # snapshot_pages.page_rows makes rows of these, in order
_STAGE_BILL_COLS = ("bill_no", "account_no") + _BILL_VALUES
_STAGE_ACCOUNT_INSERT = (f"INSERT INTO {STAGE_ACCOUNTS} ({', '.join(_STAGE_ACCOUNT_COLS)}) "
                         f"VALUES ({', '.join('?' * len(_STAGE_ACCOUNT_COLS))})")
_STAGE_BILL_INSERT = (f"INSERT INTO {STAGE_BILLS} ({', '.join(_STAGE_BILL_COLS)}) "
                      f"VALUES ({', '.join('?' * len(_STAGE_BILL_COLS))})")
_STAGE_SEARCH_INSERT = f"INSERT INTO {STAGE_SEARCH} (rowid, name_uni, name_bi, addr_bi, py) VALUES (?, ?, ?, ?, ?)"
SWAP_CACHE_KIB = 256 * 1024  # page cache while a snapshot is swapped in: the indexes of millions of rows
# The two shapes of staging: ROWS, the upstream's values (laid over the local picture by the swap); TABLES, for a
# new terminal: copies of its own accounts and bills tables (each account's id its staged rowid, each bill naming
# it), with its search index beside them, which the swap renames into place instead of copying.
ROWS, TABLES = "rows", "tables"
_TABLE_HEAD = re.compile(r'^CREATE TABLE\s+("?)(\w+)\1')
_REFERENCES_ACCOUNTS = re.compile(r'REFERENCES\s+("?)accounts\1\s*\(')


def _columns(conn, table: str) -> tuple[str, ...]:
    return tuple(r[1] for r in conn.exec_driver_sql(f"PRAGMA table_info({table})"))


def _staging_shape(conn) -> str | None:
    """The staging tables' shape (ROWS or TABLES), or None when there are none this program can go on with: pages
    staged by an older program (a snapshot begun before an upgrade, without the bills' meter readings), or a new
    terminal's staged tables made before an upgrade changed its tables or its search tokens, are not resumed
    but fetched again."""
    have = {r[0] for r in conn.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN (?, ?, ?, ?, ?)",
        (STAGE_ACCOUNTS, STAGE_BILLS, TABLE_ACCOUNTS, TABLE_BILLS, STAGE_SEARCH))}
    if {TABLE_ACCOUNTS, TABLE_BILLS, STAGE_SEARCH} <= have:
        made_for = conn.exec_driver_sql("SELECT value FROM sync_state WHERE key = 'snapshot_tables'").scalar()
        return TABLES if made_for == _tables_fingerprint(conn) else None
    if {STAGE_ACCOUNTS, STAGE_BILLS} <= have and (_columns(conn, STAGE_ACCOUNTS), _columns(conn, STAGE_BILLS)) == (
            _STAGE_ACCOUNT_COLS, _STAGE_BILL_COLS):
        return ROWS
    return None


def _tables_fingerprint(conn) -> str:
    """What a new terminal's staged tables were made from: the live tables' and search index's SQL and the search
    tokens' version. A load resumed after an upgrade that changed any of them starts again."""
    import hashlib

    made = [_live_sql(conn, name) for name in ("accounts", "bills", search_index.FTS_TABLE)]
    return hashlib.sha256(repr((made, search_index.TOKENS_VERSION)).encode()).hexdigest()[:32]


def _drop_staging(conn) -> None:
    # The bills first: in the TABLES shape they refer to the accounts.
    for table in (STAGE_BILLS, STAGE_ACCOUNTS, TABLE_BILLS, TABLE_ACCOUNTS, STAGE_SEARCH):
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {table}")


def _live_sql(conn, name: str) -> str:
    return conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE name = ?", (name,)).scalar()


def _create_staging(conn) -> str:
    """Empty staging tables; their shape. Pages append to them. ROWS: without indexes (a swap indexes what it
    needs). TABLES (a new terminal, no account yet): the accounts and bills tables made exactly as the live ones
    are, their constraints checked as rows come, without their secondary indexes (made once at the swap), the
    staged bills referring to the staged accounts; and the search index likewise."""
    _drop_staging(conn)
    if conn.exec_driver_sql("SELECT id FROM accounts LIMIT 1").first() is not None:
        conn.exec_driver_sql(f"CREATE TABLE {STAGE_ACCOUNTS} ({', '.join(_STAGE_ACCOUNT_COLS)})")
        conn.exec_driver_sql(f"CREATE TABLE {STAGE_BILLS} ({', '.join(_STAGE_BILL_COLS)})")
        return ROWS
    conn.exec_driver_sql(_TABLE_HEAD.sub(f"CREATE TABLE {TABLE_ACCOUNTS}", _live_sql(conn, "accounts"), count=1))
    conn.exec_driver_sql(_REFERENCES_ACCOUNTS.sub(f"REFERENCES {TABLE_ACCOUNTS} (", _TABLE_HEAD.sub(
        f"CREATE TABLE {TABLE_BILLS}", _live_sql(conn, "bills"), count=1)))
    conn.exec_driver_sql(_live_sql(conn, search_index.FTS_TABLE).replace(search_index.FTS_TABLE, STAGE_SEARCH, 1))
    conn.exec_driver_sql(f"INSERT INTO {STAGE_SEARCH} ({STAGE_SEARCH}, rank) VALUES ('automerge', 0)")
    conn.exec_driver_sql("INSERT INTO sync_state (key, value) VALUES ('snapshot_tables', ?) "
                         "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (_tables_fingerprint(conn),))
    return TABLES


def stage_page(s: Session, page: ReadPage, now: datetime) -> tuple[int, int]:
    """A snapshot page (read: ``snapshot_pages``) into the staging tables: in the TABLES shape when it carries its
    accounts' search tokens (its bills then name their account by its place on the page)."""
    conn = s.connection()
    if page.tokens is None:
        if page.accounts:
            conn.exec_driver_sql(_STAGE_ACCOUNT_INSERT, page.accounts)
        if page.bills:
            conn.exec_driver_sql(_STAGE_BILL_INSERT, page.bills)
        return len(page.accounts), len(page.bills)
    # The accounts about to be appended take the ids after the last one (no row is ever deleted here), in order.
    base = int(conn.exec_driver_sql(f"SELECT coalesce(max(id), 0) FROM {TABLE_ACCOUNTS}").scalar())
    stamp = _sql_datetime(now)
    if page.accounts:
        conn.exec_driver_sql(
            f"INSERT INTO {TABLE_ACCOUNTS} ({', '.join(_STAGE_ACCOUNT_COLS)}, updated_at) "
            f"VALUES ({', '.join('?' * len(_STAGE_ACCOUNT_COLS))}, '{stamp}')", page.accounts)
        conn.exec_driver_sql(_STAGE_SEARCH_INSERT, [(base + i, *t) for i, t in enumerate(page.tokens, 1)])
    if page.bills:
        conn.exec_driver_sql(
            f"INSERT INTO {TABLE_BILLS} (bill_no, account_id, {', '.join(_BILL_VALUES)}) "
            f"VALUES (?, ? + {base + 1}, {', '.join('?' * len(_BILL_VALUES))})", page.bills)
    return len(page.accounts), len(page.bills)


def _rename_into_place(conn) -> None:
    """A new terminal's staged tables and search index become its own (the empty ones dropped), then the secondary
    indexes the staged tables were made without."""
    indexes = [sql for (sql,) in conn.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('accounts', 'bills') AND sql IS NOT NULL")]
    conn.exec_driver_sql("DROP TABLE bills")  # empty, as the accounts: no payment yet refers to either
    conn.exec_driver_sql("DROP TABLE accounts")
    conn.exec_driver_sql(f"ALTER TABLE {TABLE_ACCOUNTS} RENAME TO accounts")  # the staged bills now refer to it
    conn.exec_driver_sql(f"ALTER TABLE {TABLE_BILLS} RENAME TO bills")
    for sql in indexes:
        conn.exec_driver_sql(sql)
    conn.exec_driver_sql(f"DROP TABLE {search_index.FTS_TABLE}")
    conn.exec_driver_sql(f"ALTER TABLE {STAGE_SEARCH} RENAME TO {search_index.FTS_TABLE}")
    search_index.optimize(conn)
    search_index.restore_automerge(conn)


def _as_rows(conn) -> None:
    """A new terminal's staged tables made into staged rows (ROWS), for a swap over a picture that is no longer
    empty (a customer looked up at the counter while it loaded): laid over it as a refetch is."""
    conn.exec_driver_sql(f"CREATE TABLE {STAGE_ACCOUNTS} ({', '.join(_STAGE_ACCOUNT_COLS)})")
    conn.exec_driver_sql(f"CREATE TABLE {STAGE_BILLS} ({', '.join(_STAGE_BILL_COLS)})")
    conn.exec_driver_sql(f"INSERT INTO {STAGE_ACCOUNTS} SELECT {', '.join(_STAGE_ACCOUNT_COLS)} FROM {TABLE_ACCOUNTS} "
                         f"ORDER BY id")
    conn.exec_driver_sql(
        f"INSERT INTO {STAGE_BILLS} SELECT b.bill_no, a.account_no, {', '.join('b.' + c for c in _BILL_VALUES)} "
        f"FROM {TABLE_BILLS} b JOIN {TABLE_ACCOUNTS} a ON a.id = b.account_id ORDER BY b.id")
    for table in (TABLE_BILLS, TABLE_ACCOUNTS, STAGE_SEARCH):
        conn.exec_driver_sql(f"DROP TABLE {table}")


def _differs(left: str, right: str, cols: tuple[str, ...]) -> str:
    return " OR ".join(f"{left}.{c} IS NOT {right}.{c}" for c in cols)


def swap_snapshot(s: Session, now: datetime) -> None:
    """Make the staged snapshot the local picture, in the caller's transaction, and drop the staging tables.

    The snapshot is the upstream's whole picture: an account it does not hold is marked gone (kept, since
    payments refer to it, but no longer found or payable); a bill it does not hold is no longer open (paid
    elsewhere, cancelled). Rows are updated in place, so every id that local payments and allocations refer
    to stays. What waits to go up is laid over the upstream's values again (``_pending_effects``), so a
    payment taken here and not yet uploaded still shows.
    """
    conn = s.connection()
    stamp = _sql_datetime(now)
    started, cpu = time.perf_counter(), time.process_time()
    default_cache = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    conn.exec_driver_sql(f"PRAGMA cache_size = -{SWAP_CACHE_KIB}")
    try:
        fresh = conn.exec_driver_sql("SELECT id FROM accounts LIMIT 1").first() is None
        if _staging_shape(conn) == TABLES:
            if fresh:  # a new terminal: its staged tables become its own
                _rename_into_place(conn)
                set_state(s, snapshot_tables=None)
                log.info("snapshot swapped in (new terminal): its staged tables and search index renamed into place, "
                         "indexed and merged in %.1f s (CPU %.1f s)", time.perf_counter() - started,
                         time.process_time() - cpu)
                return
            _as_rows(conn)  # no longer new: a customer looked up at the counter meanwhile
        set_state(s, snapshot_tables=None)
        first_new = int(conn.exec_driver_sql("SELECT coalesce(max(id), 0) FROM accounts").scalar()) + 1
        renamed = []
        if not fresh:
            conn.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS {STAGE_ACCOUNTS}_no ON {STAGE_ACCOUNTS} (account_no)")
            conn.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS {STAGE_BILLS}_no ON {STAGE_BILLS} (bill_no)")
            renamed = conn.exec_driver_sql(
                f"SELECT a.id, a.name, a.address, x.name, x.address FROM accounts a JOIN {STAGE_ACCOUNTS} x "
                f"ON x.account_no = a.account_no WHERE {_differs('a', 'x', ('name', 'address'))}").all()
            conn.exec_driver_sql(
                f"UPDATE accounts SET {', '.join(f'{c} = x.{c}' for c in _ACCOUNT_VALUES)}, gone_at = NULL, "
                f"updated_at = ? FROM {STAGE_ACCOUNTS} AS x WHERE x.account_no = accounts.account_no "
                f"AND ({_differs('accounts', 'x', _ACCOUNT_VALUES)} OR accounts.gone_at IS NOT NULL)", (stamp,))
            conn.exec_driver_sql(
                f"UPDATE accounts SET gone_at = ? WHERE gone_at IS NULL AND NOT EXISTS "
                f"(SELECT 1 FROM {STAGE_ACCOUNTS} x WHERE x.account_no = accounts.account_no)", (stamp,))
            conn.exec_driver_sql(
                f"UPDATE bills SET {', '.join(f'{c} = x.{c}' for c in _BILL_VALUES)} FROM {STAGE_BILLS} AS x "
                f"WHERE x.bill_no = bills.bill_no AND ({_differs('bills', 'x', _BILL_VALUES)})")
            # Open here, not in the snapshot: paid elsewhere, cancelled, or its account gone.
            conn.exec_driver_sql(
                f"UPDATE bills SET outstanding_fen = 0 WHERE outstanding_fen > 0 AND NOT EXISTS "
                f"(SELECT 1 FROM {STAGE_BILLS} x WHERE x.bill_no = bills.bill_no)")
        new_only = "" if fresh else " WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.account_no = x.account_no)"
        conn.exec_driver_sql(
            f"INSERT INTO accounts (account_no, {', '.join(_ACCOUNT_VALUES)}, updated_at) "
            f"SELECT x.account_no, {', '.join('x.' + c for c in _ACCOUNT_VALUES)}, ? FROM {STAGE_ACCOUNTS} x"
            f"{new_only} ORDER BY x.rowid", (stamp,))
        new_only = "" if fresh else " WHERE NOT EXISTS (SELECT 1 FROM bills b WHERE b.bill_no = x.bill_no)"
        conn.exec_driver_sql(
            f"INSERT INTO bills (bill_no, account_id, {', '.join(_BILL_VALUES)}) "
            f"SELECT x.bill_no, a.id, {', '.join('x.' + c for c in _BILL_VALUES)} FROM {STAGE_BILLS} x "
            f"JOIN accounts a ON a.account_no = x.account_no{new_only} ORDER BY x.rowid")
        if not fresh:
            _relay_pending(s, conn)
        # The search index: built once for a new terminal, otherwise only what changed (a gone account stays
        # indexed, as it was: search leaves it out, and it is found again the day the upstream sends it again).
        added = int(conn.exec_driver_sql("SELECT count(*) FROM accounts WHERE id >= ?", (first_new,)).scalar())
        swapped, swapped_cpu = time.perf_counter(), time.process_time()
        if fresh or added + len(renamed) > REBUILD_ABOVE:
            rebuild_parallel(conn)
        else:
            for account_id, old_name, old_address, name, address in renamed:
                unindex(conn, account_id, old_name, old_address)
                index_rows(conn, [(account_id, name, address)])
            index_rows(conn, conn.exec_driver_sql(
                "SELECT id, name, address FROM accounts WHERE id >= ?", (first_new,)).all())
        _drop_staging(conn)
        log.info("snapshot swapped in (%s): %d accounts added, %d renamed; rows %.1f s (CPU %.1f s), "
                 "search index %.1f s (CPU here %.1f s)", "new terminal" if fresh else "refetch", added, len(renamed),
                 swapped - started, swapped_cpu - cpu, time.perf_counter() - swapped, time.process_time() - swapped_cpu)
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size = {int(default_cache)}")


REBUILD_ABOVE = 50_000  # accounts new or renamed in one swap above which the whole index is built again


def _relay_pending(s: Session, conn) -> None:
    """Lay what waits to go up over the upstream's values just swapped in (staging tables still there)."""
    pend_accounts, pend_bills = _pending_effects(s)
    for account_id, (credit, reconnect) in pend_accounts.items():
        row = conn.exec_driver_sql(
            f"SELECT x.prepaid_balance_fen, x.supply_status FROM accounts a JOIN {STAGE_ACCOUNTS} x "
            f"ON x.account_no = a.account_no WHERE a.id = ?", (account_id,)).first()
        if row is None:  # gone: it keeps what it showed
            continue
        status = "reconnect_pending" if reconnect and row[1] == "disconnected" else row[1]
        conn.exec_driver_sql("UPDATE accounts SET prepaid_balance_fen = ?, supply_status = ? WHERE id = ?",
                             (max(0, row[0] + credit), status, account_id))
    for bill_id, paid_here in pend_bills.items():
        row = conn.exec_driver_sql(
            f"SELECT b.principal_fen, coalesce(x.outstanding_fen, 0) FROM bills b "
            f"LEFT JOIN {STAGE_BILLS} x ON x.bill_no = b.bill_no WHERE b.id = ?", (bill_id,)).first()
        if row is not None:
            conn.exec_driver_sql("UPDATE bills SET outstanding_fen = ? WHERE id = ?",
                                 (min(row[0], max(0, row[1] - paid_here)), bill_id))


def apply_rows(s: Session, accounts: list[p.AccountRow], bills: list[p.BillRow], now: datetime, *,
               replace_open_bills: bool = False) -> tuple[int, int]:
    """Upsert pulled rows into the local store, keeping the search index in step; returns (accounts, bills)."""
    conn = s.connection()
    pend_accounts, pend_bills = _pending_effects(s)
    numbers = sorted({a.account_no for a in accounts} | {b.account_no for b in bills})
    local = {}
    for i in range(0, len(numbers), 5000):
        local.update({r.account_no: r for r in s.execute(
            select(Account.id, Account.account_no, Account.name, Account.address, Account.version)
            .where(Account.account_no.in_(numbers[i:i + 5000])))})
    new_rows, updates, reindex = [], [], []
    for a in accounts:
        values = a.model_dump(exclude={"account_no", "change_no"})
        values.update(phone_rev=reverse_phone(a.phone), version=a.change_no, updated_at=now)
        old = local.get(a.account_no)
        if old is None:
            new_rows.append(dict(values, account_no=a.account_no))
            continue
        credit, reconnect = pend_accounts.get(old.id, (0, False))
        values["prepaid_balance_fen"] = max(0, a.prepaid_balance_fen + credit)
        if reconnect and a.supply_status == "disconnected":
            values["supply_status"] = "reconnect_pending"
        updates.append(dict(values, r_id=old.id))
        if (old.name, old.address) != (a.name, a.address):
            reindex.append((old.id, old.name, old.address, a.name, a.address))
    if new_rows:
        _insert_raw(conn, "accounts", _ACCOUNT_INSERT_COLS, new_rows)
        added = [r for n in range(0, len(new_rows), 5000) for r in s.execute(
            select(Account.id, Account.account_no, Account.name, Account.address, Account.version)
            .where(Account.account_no.in_([x["account_no"] for x in new_rows[n:n + 5000]])))]
        index_rows(conn, [(r.id, r.name, r.address) for r in added])
        local.update({r.account_no: r for r in added})
    if updates:
        s.execute(_UPDATE_ACCOUNT, updates)
    for account_id, old_name, old_address, name, address in reindex:
        unindex(conn, account_id, old_name, old_address)
        index_rows(conn, [(account_id, name, address)])

    known_bills = {}
    bill_nos = [b.bill_no for b in bills]
    for i in range(0, len(bill_nos), 5000):
        known_bills.update({r.bill_no: r for r in s.execute(
            select(Bill.id, Bill.bill_no, Bill.version).where(Bill.bill_no.in_(bill_nos[i:i + 5000])))})
    new_bills, bill_updates = [], []
    for b in bills:
        owner = local.get(b.account_no)
        if owner is None:
            raise Unreachable(f"bill {b.bill_no} names account {b.account_no}, which the upstream did not send")
        outstanding = 0 if b.cancelled else b.outstanding_fen
        values = {"period": b.period, "kwh": b.kwh, "principal_fen": b.principal_fen, "due_date": b.due_date,
                  "outstanding_fen": outstanding, "penalty_settled_through": b.penalty_settled_through,
                  "version": b.change_no, "reading_start": b.reading_start, "reading_end": b.reading_end}
        old = known_bills.get(b.bill_no)
        if old is None:
            new_bills.append(dict(values, bill_no=b.bill_no, account_id=owner.id))
        else:
            paid_here = pend_bills.get(old.id, 0)
            values["outstanding_fen"] = min(b.principal_fen, max(0, outstanding - paid_here))
            bill_updates.append(dict(values, r_id=old.id))
    if new_bills:
        _insert_raw(conn, "bills", _BILL_INSERT_COLS, new_bills)
    if bill_updates:
        s.execute(_UPDATE_BILL, bill_updates)
    if replace_open_bills and accounts:
        # The upstream's answer lists every open bill of the account: any other bill open here was settled there.
        owner = local[accounts[0].account_no]
        listed = [b.bill_no for b in bills]
        s.execute(update(Bill).where(Bill.account_id == owner.id, Bill.outstanding_fen > 0, Bill.bill_no.not_in(listed),
                                     ~Bill.id.in_(list(pend_bills) or [-1])).values(outstanding_fen=0))
    return len(accounts), len(bills)
