"""One sync round: push the outbox in sequence order, then pull account and bill changes.

Push marks each outbox entry with the upstream's answer in one local transaction per batch;
an entry the upstream never answered stays ``pending`` and goes again (the upstream answers
``duplicate`` if it had it), so a payment reaches the upstream exactly once whatever breaks
in between. ``rejected`` and ``conflict`` entries are held for the supervisor.

Pull runs only once nothing is pending, and the rows it applies are adjusted by any local
payment not yet uploaded (taken while the pull was on its way), so a pull can never make a
paid bill look unpaid at the counter. The whole Syncer is behind one lock: the worker's
round and the counter's account check never interleave; and behind the data folder's round
lock (``round_lock``), so a round of another process on the same database never does either.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import bindparam, func, select, text, update
from sqlalchemy.orm import Session

from cashier import events, penalty_policy
from cashier.audit import head as audit_head
from cashier.clock import Clock
from cashier.logs import after_commit
from cashier.search_index import index_rows, rebuild_parallel, reverse_phone, unindex
from cashier.store import Store
from cashier.store.models import Account, Allocation, Bill, OutboxEntry, Payment, SyncState
from cashier.sync import protocol as p
from cashier.sync.client import Refetch, Refused, Unreachable, UpstreamClient
from cashier.sync.round_lock import RoundBusy, RoundLock

log = logging.getLogger(__name__)

_SET = text("INSERT INTO sync_state (key, value) VALUES (:k, :v) ON CONFLICT (key) DO UPDATE SET value = :v")
_DEL = text("DELETE FROM sync_state WHERE key = :k")
_MARK = (update(OutboxEntry.__table__).where(OutboxEntry.__table__.c.id == bindparam("r_id"))
         .values(status=bindparam("st"), sent_at=bindparam("at"), last_error=bindparam("note"),
                 attempts=OutboxEntry.__table__.c.attempts + 1))
SNAPSHOT_PAGE = 5000
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
    )


@dataclass
class RoundReport:
    pushed: dict[str, int] = field(default_factory=dict)  # accepted / duplicate / rejected / conflict
    accounts: int = 0
    bills: int = 0
    snapshot: bool = False
    error: str | None = None

    def add(self, status: str, n: int = 1) -> None:
        self.pushed[status] = self.pushed.get(status, 0) + n


class Syncer:
    def __init__(self, store: Store, client: UpstreamClient, *, clock: Clock | None = None, batch_size: int = 200) -> None:
        self.store, self.client, self.clock, self.batch_size = store, client, clock or Clock(), batch_size
        self.lock = threading.RLock()
        self.round_lock = RoundLock(store.path)  # across processes: one round per data folder at a time
        self._depth = 0
        self.rounds = 0  # rounds finished (either way) by this process: until the first, "online" is last run's

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
            if exc.status != 422:
                raise
            if len(rows) > 1:  # find the malformed one; the others go through
                for row in rows:
                    self._push_rows([row], report)
                return
            self._record(rows, [p.ItemResult(id=rows[0].entity_id, status="rejected",
                                             reason=f"malformed: {exc.message}"[:500])], report)
            return
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
                with self.store.transaction() as s:
                    set_state(s, cursor=None, snapshot_after=None, snapshot_as_of=None)
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

    def _snapshot(self, report: RoundReport) -> None:
        """A full copy, page by page; resumable (the position is saved with each page).

        The next page is fetched while this one is written, so the upstream and the local disk work at once.
        """
        from concurrent.futures import ThreadPoolExecutor

        report.snapshot = True
        with self.store.read() as s:
            after = get_state(s, "snapshot_after")
            as_of = get_state(s, "snapshot_as_of")
            deferred = get_state(s, "snapshot_index_deferred") == "1"
            if after is None and not s.scalar(select(Account.id).limit(1)):
                deferred = True  # a new terminal: index everything once at the end, in parallel
        page = self.client.snapshot(after, SNAPSHOT_PAGE, int(as_of) if as_of is not None else None)
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="snapshot") as fetcher:
            while True:
                upcoming = (fetcher.submit(self.client.snapshot, page.next_after, SNAPSHOT_PAGE, page.as_of)
                            if page.next_after is not None else None)
                with self.store.transaction() as s:
                    a, b = (insert_fresh(s, page.accounts, page.bills, self.clock.now()) if deferred
                            else apply_rows(s, page.accounts, page.bills, self.clock.now()))
                    if page.policy is not None:
                        penalty_policy.hold(s, page.policy)
                    if page.next_after is None:
                        if deferred:
                            rebuild_parallel(s.connection())
                        set_state(s, cursor=page.as_of, snapshot_after=None, snapshot_as_of=None,
                                  snapshot_index_deferred=None)
                        events.announce(s, events.PULL_APPLIED, accounts=())  # a whole copy: any account may differ
                    else:
                        set_state(s, snapshot_after=page.next_after, snapshot_as_of=page.as_of,
                                  snapshot_index_deferred=1 if deferred else None)
                report.accounts += a
                report.bills += b
                if upcoming is None:
                    return
                page = upcoming.result()

    def refresh_account(self, account_no: str, *, timeout: float | None = None,
                        wait_for_round: float = -1) -> p.AccountDues | None:
        """Ask the upstream what the account owes now and bring the local copy up to date.

        With ``wait_for_round`` ≥ 0 it gives up (None) rather than wait longer for a sync round in progress.
        """
        if not self._enter(None if wait_for_round < 0 else wait_for_round):
            return None
        try:
            dues = self.client.account(account_no, timeout=timeout)
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

    def run_once(self, *, wait: float | None = None) -> RoundReport:
        """Push, then pull; waits for a round in progress (here or in another process), or with ``wait``
        seconds given, raises RoundBusy rather than wait longer."""
        report = RoundReport()
        if not self._enter(wait):
            raise RoundBusy(str(self.round_lock.path))
        try:
            try:
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
                               "prepaid_balance_fen", "version", "updated_at")})
_UPDATE_BILL = update(_B).where(_B.c.id == bindparam("r_id")).values(
    {c: bindparam(c) for c in ("period", "kwh", "principal_fen", "due_date", "outstanding_fen",
                               "penalty_settled_through", "version")})


_ACCOUNT_INSERT_COLS = ("account_no", "name", "address", "phone", "phone_rev", "meter_no", "customer_class",
                        "prepaid_meter", "supply_status", "special_group", "station", "transformer_area", "collector",
                        "prepaid_balance_fen", "version", "updated_at")
_BILL_INSERT_COLS = ("bill_no", "account_id", "period", "kwh", "principal_fen", "due_date", "outstanding_fen",
                     "penalty_settled_through", "version")


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


def insert_fresh(s: Session, accounts: list[p.AccountRow], bills: list[p.BillRow], now: datetime) -> tuple[int, int]:
    """A snapshot page into a store that had no accounts when the snapshot began: nothing to merge, so
    the rows go straight in with their ids assigned here (the search index is built once at the end)."""
    conn = s.connection()
    next_id = int(conn.exec_driver_sql("SELECT coalesce(max(id), 0) FROM accounts").scalar()) + 1
    ids: dict[str, int] = {}
    account_rows, bill_rows = [], []
    stamp = _sql_datetime(now)
    for a in accounts:
        ids[a.account_no] = next_id
        account_rows.append((next_id, a.account_no, a.name, a.address, a.phone, reverse_phone(a.phone), a.meter_no,
                             a.customer_class, a.prepaid_meter, a.supply_status, a.special_group, a.station,
                             a.transformer_area, a.collector, a.prepaid_balance_fen, a.change_no, stamp))
        next_id += 1
    for b in bills:
        owner = ids.get(b.account_no)
        if owner is None:
            raise Unreachable(f"bill {b.bill_no} names account {b.account_no}, which the snapshot page did not hold")
        bill_rows.append((b.bill_no, owner, b.period, b.kwh, b.principal_fen, b.due_date.isoformat(),
                          0 if b.cancelled else b.outstanding_fen, _sql_date(b.penalty_settled_through), b.change_no))
    cols = ("id",) + _ACCOUNT_INSERT_COLS
    if account_rows:
        conn.exec_driver_sql(f"INSERT INTO accounts ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                             account_rows)
    if bill_rows:
        conn.exec_driver_sql(f"INSERT INTO bills ({', '.join(_BILL_INSERT_COLS)}) "
                             f"VALUES ({', '.join('?' * len(_BILL_INSERT_COLS))})", bill_rows)
    return len(accounts), len(bills)


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
                  "version": b.change_no}
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
