"""A refetch replaces the terminal's picture with the upstream's snapshot (issue 15, point 8).

Real upstream on a loopback port (SQLite and PostgreSQL), real terminal store. A bill paid through
another channel, then a feed compaction that answers the terminal 410, must not stay open at the
counter; an account the upstream no longer holds is not payable; what waits to go up is never lost,
still shows, and goes up exactly once; a refetch cut short resumes and ends with the right picture.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select, text

from cashier import shifts
from cashier.errors import DomainError
from cashier.payments import TenderLine, take_payment
from cashier.quote import quote_account
from cashier.search import search
from cashier.store.models import Account, Bill, OutboxEntry, Payment
from cashier.sync.client import Unreachable, UpstreamClient
from cashier.sync.engine import STAGE_ACCOUNTS, STAGE_SEARCH, TABLE_ACCOUNTS, RoundReport, Syncer, get_state
from upstream import accounts, feed, terminals
from upstream.models import Account as UpAccount, Bill as UpBill, Document

FLOAT = {10000: 5, 1000: 10}
PAID_ELSEWHERE = "3101000001"  # owes two bills until it pays at the bank
PAID_HERE = "3101000005"  # owes two bills; pays at this counter, offline
CLOSED = "3101000006"  # owes nothing; the utility closes it


def _open_bills(c) -> dict[str, int]:
    with c.hall.store.read() as s:
        return dict(s.execute(select(Bill.bill_no, Bill.outstanding_fen).where(Bill.outstanding_fen > 0)).all())


def _upstream_open_bills(db) -> dict[str, int]:
    with db.sessions() as s:
        return dict(s.execute(select(UpBill.bill_no, UpBill.outstanding_fen)
                              .where(UpBill.outstanding_fen > 0, UpBill.cancelled.is_(False))).all())


def _balance(c, account_no: str) -> int:
    with c.hall.store.read() as s:
        return s.scalar(select(Account.prepaid_balance_fen).where(Account.account_no == account_no))


def _pay_here(c, account_no: str):
    with c.hall.store.read() as s:
        due = quote_account(s, account_no, c.hall.clock.business_date()).total_due_fen
    return take_payment(c.hall.terminal, c.hall.cashier, account_no, due, [TenderLine("cash", due)])


def _outbox(c) -> list[tuple[str, str]]:
    with c.hall.store.read() as s:
        return [(r.entity_id, r.status) for r in s.scalars(select(OutboxEntry).order_by(OutboxEntry.id))]


def _meanwhile_upstream(db) -> None:
    """Paid at the bank, an account closed, then the feed compacted past every terminal's cursor."""
    accounts.pay_other_channel(db, PAID_ELSEWHERE, 100_000, "bank", date(2026, 3, 2))
    with db.transaction() as s:  # the utility closes an account (its data leaves this upstream)
        s.execute(UpAccount.__table__.delete().where(UpAccount.account_no == CLOSED))
    with db.sessions() as s:
        top = feed.high_water(s)
    feed.compact_feed(db, top)


@pytest.fixture
def clients():
    made: list[UpstreamClient] = []
    yield made
    for client in made:
        client.close()


class _Cut(UpstreamClient):
    """The terminal's real client; a hook runs before each snapshot page is asked for (a test's fault or errand)."""

    def __init__(self, url: str, token: str, before_page) -> None:
        super().__init__(url, token, timeout=5)
        self.before_page, self.afters = before_page, []

    def snapshot_raw(self, after, limit, as_of):
        self.afters.append(after)
        self.before_page(len(self.afters))
        return super().snapshot_raw(after, limit, as_of)


def test_a_bill_paid_elsewhere_is_not_open_after_a_410_refetch(counter, seeded):
    c = counter
    assert f"B{PAID_ELSEWHERE}202601" in _open_bills(c)
    _meanwhile_upstream(seeded.db)
    report = c.syncer.run_once()
    assert report.snapshot
    assert _open_bills(c) == _upstream_open_bills(seeded.db)
    assert not any(no.startswith(f"B{PAID_ELSEWHERE}") for no in _open_bills(c))
    assert _balance(c, PAID_ELSEWHERE) == c.client.account(PAID_ELSEWHERE).account.prepaid_balance_fen
    # The closed account is no longer found nor payable from what the terminal knew of it.
    with c.hall.store.read() as s:
        assert not search(s, CLOSED).hits
        with pytest.raises(DomainError) as unknown:
            quote_account(s, CLOSED, c.hall.clock.business_date())
    assert unknown.value.key == "quote.unknown_account"
    shifts.open_shift(c.hall.terminal, c.hall.cashier, FLOAT)
    with pytest.raises(DomainError):
        take_payment(c.hall.terminal, c.hall.cashier, CLOSED, 1000, [TenderLine("cash", 1000)])
    with c.hall.store.read() as s:
        assert get_state(s, "snapshot_after") is None
        assert s.scalar(select(func.count()).select_from(Account)) == 6  # kept for the payments that name it
        assert s.scalar(select(func.count()).where(Account.gone_at.is_not(None))) == 1
        tables = {r[0] for r in s.connection().exec_driver_sql("SELECT name FROM sqlite_master")}
    assert STAGE_ACCOUNTS not in tables


def test_waiting_payments_survive_a_refetch_and_go_up_once(counter, seeded, clients):
    c = counter
    shifts.open_shift(c.hall.terminal, c.hall.cashier, FLOAT)
    before = _pay_here(c, PAID_HERE)  # offline: not uploaded when the refetch comes
    balance_before = _balance(c, PAID_HERE)
    _meanwhile_upstream(seeded.db)
    # A cashier takes another payment while the refetch is between its pages.
    during = []
    client = _Cut(seeded.url, c.token, lambda n: during.append(_pay_here(c, "3101000003")) if n == 2 else None)
    clients.append(client)
    syncer = Syncer(c.hall.store, client, clock=c.hall.clock)
    syncer.snapshot_page = 2
    report = RoundReport()
    syncer.pull(report)  # pull only: what waits to go up is still waiting
    assert report.snapshot and len(client.afters) == 3 and len(during) == 1
    assert _outbox(c) == [(before.payment_id, "pending"), (during[0].payment_id, "pending")]
    shown = _open_bills(c)
    # What the counter shows is the upstream's picture with the waiting payments laid over it.
    expected = {no: fen for no, fen in _upstream_open_bills(seeded.db).items()
                if not no.startswith((f"B{PAID_HERE}", "B3101000003"))}
    assert shown == expected
    assert _balance(c, PAID_HERE) == balance_before
    with c.hall.store.read() as s:
        assert s.scalar(select(func.count()).select_from(Payment)) == 2
    # Then they go up, once each, and the picture is the upstream's.
    report = c.syncer.run_once()
    assert report.pushed == {"accepted": 2}
    assert c.syncer.run_once().pushed == {}
    with seeded.db.sessions() as s:
        ids = [d.id for d in s.scalars(select(Document).where(Document.kind == "payment"))]
    assert sorted(ids) == sorted([before.payment_id, during[0].payment_id])
    assert _open_bills(c) == _upstream_open_bills(seeded.db)


def test_a_refetch_cut_short_resumes_and_never_shows_half_a_picture(counter, seeded, clients):
    c = counter
    shown_before = _open_bills(c)
    _meanwhile_upstream(seeded.db)

    def fail_third(n):
        if n == 3:
            raise Unreachable("connection reset mid-snapshot")

    cut = _Cut(seeded.url, c.token, fail_third)
    clients.append(cut)
    syncer = Syncer(c.hall.store, cut, clock=c.hall.clock)
    syncer.snapshot_page = 2
    with pytest.raises(Unreachable):
        syncer.run_once()
    with c.hall.store.read() as s:
        assert get_state(s, "cursor") is None and get_state(s, "snapshot_after") == "3101000004"
    assert _open_bills(c) == shown_before  # the old picture until the new one is whole
    # The next round (another process, say) goes on after the last page it kept, and ends right.
    resumed = _Cut(seeded.url, c.token, lambda n: None)
    clients.append(resumed)
    syncer = Syncer(c.hall.store, resumed, clock=c.hall.clock)
    syncer.snapshot_page = 2
    assert syncer.run_once().snapshot
    assert resumed.afters == ["3101000004"]
    assert _open_bills(c) == _upstream_open_bills(seeded.db)
    with c.hall.store.read() as s:
        assert s.scalar(select(func.count()).where(Account.gone_at.is_not(None))) == 1
        assert [h.account_no for h in search(s, "3101000005").hits] == ["3101000005"]


def test_a_technician_forces_a_refetch_from_the_command_line(seeded, tmp_path, capsys):
    from admin.cli import main as admin
    from cashier.settings import Paths
    from cashier.store import Store

    d = str(tmp_path / "hall")
    assert admin(["--data-dir", d, "init"]) == 0
    code = terminals.create_enrollment_code(seeded.db, "DEMO01", "T07")
    assert admin(["--data-dir", d, "enroll", "--upstream", seeded.url, "--code", code]) == 0
    assert admin(["--data-dir", d, "sync"]) == 0
    # Paid at the bank; no compaction, so only a forced refetch (not the change feed) is tested here:
    # the feed's changes are made to vanish by taking the picture from before them.
    accounts.pay_other_channel(seeded.db, PAID_ELSEWHERE, 100_000, "bank", date(2026, 3, 2))
    store = Store(Paths.resolve(d).database)
    try:
        with store.transaction() as s:  # a picture gone wrong: an old copy, its cursor already past the payment
            s.connection().exec_driver_sql("UPDATE bills SET outstanding_fen = principal_fen")
            with seeded.db.sessions() as up:
                top = feed.high_water(up)
            s.connection().exec_driver_sql("UPDATE sync_state SET value = ? WHERE key = 'cursor'", (str(top),))
        capsys.readouterr()
        assert admin(["--data-dir", d, "sync"]) == 0
        with store.read() as s:
            assert s.scalar(select(func.count()).where(Bill.outstanding_fen > 0,
                                                       Bill.bill_no.like(f"B{PAID_ELSEWHERE}%"))) == 2
        assert admin(["--data-dir", d, "sync", "--refetch"]) == 0
        out = capsys.readouterr().out
        assert "全量" in out or "full snapshot" in out
        with store.read() as s:
            shown = dict(s.execute(select(Bill.bill_no, Bill.outstanding_fen).where(Bill.outstanding_fen > 0)).all())
    finally:
        store.close()
    assert shown == _upstream_open_bills(seeded.db)


def test_the_snapshot_page_postgresql_writes_is_the_one_built_from_rows(seeded):
    """On PostgreSQL the database writes a snapshot page's JSON itself; it says what the rows say, page by page."""
    from cashier.sync.protocol import SnapshotPage

    db = seeded.db
    accounts.pay_other_channel(db, PAID_ELSEWHERE, 100_000, "bank", date(2026, 3, 2))  # a paid bill, a balance
    after, pages = None, 0
    while True:
        page = SnapshotPage.model_validate_json(feed.snapshot_json(db, after, 2, None))
        assert page == SnapshotPage.model_validate_json(feed._snapshot_json_rows(db, after, 2, page.as_of))
        pages += 1
        if page.next_after is None:
            break
        after = page.next_after
    assert pages == 4 and page.as_of > 0  # 6 accounts, 2 a page, and the empty page that says the end


def _cut_at(c, clients, page: int) -> None:
    """A snapshot round of pages of 2 whose page ``page`` never comes (the connection reset)."""
    def fail(n):
        if n == page:
            raise Unreachable("connection reset mid-snapshot")

    cut = _Cut(c.seeded_url, c.token, fail)
    clients.append(cut)
    syncer = Syncer(c.hall.store, cut, clock=c.hall.clock)
    syncer.snapshot_page = 2
    with pytest.raises(Unreachable):
        syncer.run_once()


def _resume(c, clients) -> _Cut:
    """The next round, pages of 2, with nothing failing: its client says which pages it asked for."""
    resumed = _Cut(c.seeded_url, c.token, lambda n: None)
    clients.append(resumed)
    syncer = Syncer(c.hall.store, resumed, clock=c.hall.clock)
    syncer.snapshot_page = 2
    assert syncer.run_once().snapshot
    return resumed


# --- a new terminal: its search index staged with the pages, renamed into place at the swap ----------------

def _new_counter(seeded, tmp_path):
    """A terminal enrolled and not yet synced: no account at all."""
    from tests.upstream.conftest import Counter_

    c = Counter_(tmp_path / "new", seeded)
    c.seeded_url = seeded.url
    return c


def _local_picture(c) -> tuple[dict, dict]:
    with c.hall.store.read() as s:
        accounts_ = dict(s.execute(select(Account.account_no, Account.name)).all())
        bills = dict(s.execute(select(Bill.bill_no, Bill.outstanding_fen)).all())
    return accounts_, bills


def _found_by_everything(c) -> None:
    """Every account is found by its name, its initials, its address and its phone's last digits, and only the
    accounts so found: the search index's rows carry the ids of the accounts they were made from."""
    from tests.upstream.conftest import seed_rows

    with c.hall.store.read() as s:
        for row in seed_rows()[0]:
            account_id = s.scalar(select(Account.id).where(Account.account_no == row.account_no))
            for query in (row.name, row.address.removeprefix("城关镇")):
                hits = search(s, query).hits
                assert row.account_no in [h.account_no for h in hits], query
                assert all(h.name == row.name for h in hits) or query != row.name
            assert s.execute(text("SELECT count(*) FROM account_search WHERE rowid = :id AND account_search MATCH :q"),
                             {"id": account_id, "q": f'"u{row.name[0]}"'}).scalar() == 1


def test_a_new_terminal_loads_page_by_page_with_its_search_index(seeded, tmp_path, clients):
    from tests.upstream.conftest import Counter_

    c = Counter_(tmp_path / "new", seeded)
    try:
        c.syncer.snapshot_page = 2  # three pages: read in worker processes
        report = c.syncer.run_once()
        assert report.snapshot and report.accounts == 6
        accounts_, bills = _local_picture(c)
        with seeded.db.sessions() as s:
            assert accounts_ == dict(s.execute(select(UpAccount.account_no, UpAccount.name)).all())
        assert {k: v for k, v in bills.items() if v} == _upstream_open_bills(seeded.db)
        _found_by_everything(c)
        with c.hall.store.read() as s:
            tables = {r[0] for r in s.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'"))}
            assert not {STAGE_ACCOUNTS, TABLE_ACCOUNTS, STAGE_SEARCH} & tables
            assert get_state(s, "cursor") is not None
            # FTS5 merges as it writes again once the load is over
            from cashier.search_index import AUTOMERGE

            assert s.execute(text("SELECT v FROM account_search_config WHERE k = 'automerge'")).scalar() == AUTOMERGE
            # The staged tables renamed into place are the tables a new store makes: same columns, constraints,
            # indexes; every bill's account there; the file whole.
            schema = _schema(s)
            assert not s.execute(text("PRAGMA foreign_key_check")).all()
            assert s.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        from cashier.store import Store

        fresh_store = Store.open(tmp_path / "fresh" / "cashier.db")
        try:
            with fresh_store.read() as s:
                assert schema == _schema(s)
        finally:
            fresh_store.close()
        # A payment taken on the loaded picture refers to the renamed tables.
        shifts.open_shift(c.hall.terminal, c.hall.cashier, FLOAT)
        paid = _pay_here(c, "3101000003")
        with c.hall.store.read() as s:
            assert s.get(Payment, paid.payment_id).account_id == s.scalar(select(Account.id).where(Account.account_no == "3101000003"))
            assert s.scalar(select(func.sum(Bill.outstanding_fen)).join(Account).where(Account.account_no == "3101000003")) == 0
    finally:
        c.close()


def _schema(s) -> dict:
    """accounts' and bills' columns, constraints (as SQL, quoting and spacing aside) and indexes."""
    out = {}
    for table in ("accounts", "bills"):
        sql = s.execute(text("SELECT sql FROM sqlite_master WHERE name = :t"), {"t": table}).scalar()
        body = sql[sql.index("("):]
        out[table] = (" ".join(body.replace('"', "").split()),
                      sorted((r[1], r[2]) for r in s.execute(text(f"PRAGMA index_list({table})"))),
                      sorted(tuple(r[2] for r in s.execute(text(f"PRAGMA index_info({r[1]})")))
                             for r in s.execute(text(f"PRAGMA index_list({table})"))))
    return out


def test_a_new_terminals_load_cut_short_goes_on_after_its_last_page(seeded, tmp_path, clients):
    from tests.upstream.conftest import Counter_

    c = _new_counter(seeded, tmp_path)
    try:
        _cut_at(c, clients, 3)
        with c.hall.store.read() as s:
            assert get_state(s, "cursor") is None and get_state(s, "snapshot_after") == "3101000004"
        with c.hall.store.read() as s:  # the two pages read are staged, their index rows too; nothing shown yet
            assert s.scalar(text(f"SELECT count(*) FROM {TABLE_ACCOUNTS}")) == 4
            assert s.scalar(text(f"SELECT count(*) FROM {STAGE_SEARCH} WHERE {STAGE_SEARCH} MATCH 'u张'")) == 4
        assert _local_picture(c) == ({}, {})
        resumed = _resume(c, clients)
        assert resumed.afters[0] == "3101000004"  # (then the empty page after a full last one)
        assert {k: v for k, v in _local_picture(c)[1].items() if v} == _upstream_open_bills(seeded.db)
        _found_by_everything(c)
    finally:
        c.close()


def test_a_customer_looked_up_while_a_new_terminal_loads_has_the_index_built_at_the_swap(seeded, tmp_path, clients):
    from tests.upstream.conftest import Counter_

    c = _new_counter(seeded, tmp_path)
    try:
        _cut_at(c, clients, 2)
        assert _local_picture(c) == ({}, {})
        accounts.pay_other_channel(seeded.db, "3101000005", 100_000, "bank", date(2026, 3, 2))
        # The counter asks the upstream about customers the load has not reached yet, and takes a payment.
        c.syncer.refresh_account("3101000006")
        c.syncer.refresh_account("3101000003")
        shifts.open_shift(c.hall.terminal, c.hall.cashier, FLOAT)
        _pay_here(c, "3101000003")
        syncer = Syncer(c.hall.store, UpstreamClient(seeded.url, c.token, timeout=5), clock=c.hall.clock)
        clients.append(syncer.client)
        syncer.snapshot_page = 2
        assert syncer.run_once().snapshot  # no longer a new terminal at the swap: the staged index is not used
        accounts_, bills = _local_picture(c)
        with seeded.db.sessions() as s:
            assert accounts_ == dict(s.execute(select(UpAccount.account_no, UpAccount.name)).all())
        assert {k: v for k, v in bills.items() if v} == _upstream_open_bills(seeded.db)
        _found_by_everything(c)
        with c.hall.store.read() as s:
            assert s.scalar(select(func.count()).select_from(Account)) == 6
        assert _outbox(c) and all(status == "accepted" for _, status in _outbox(c))  # the payment went up once
    finally:
        c.close()


def test_a_new_terminals_load_staged_before_an_upgrade_of_its_search_tokens_starts_again(
        seeded, tmp_path, clients, monkeypatch):
    from cashier import search_index
    from tests.upstream.conftest import Counter_

    c = _new_counter(seeded, tmp_path)
    try:
        _cut_at(c, clients, 3)
        # The next program makes other tokens: the pages staged with the old ones are not taken as its own.
        monkeypatch.setattr(search_index, "TOKENS_VERSION", search_index.TOKENS_VERSION + 1)
        resumed = _resume(c, clients)
        assert resumed.afters[0] is None  # from the first page again
        assert {k: v for k, v in _local_picture(c)[1].items() if v} == _upstream_open_bills(seeded.db)
        _found_by_everything(c)
    finally:
        c.close()
