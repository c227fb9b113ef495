"""cashier.search on a seeded hall: every kind of query, ranking, and the bad inputs — never a table scan."""

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import event, select, text

from cashier.demo.seed import seed_database
from cashier.search import bill_barcode, search
from cashier.store import Store
from cashier.store.models import Account, Bill

AS_OF = date(2026, 11, 27)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("hall") / "cashier.db"
    seed_database(path, 3000, seed=7, as_of=AS_OF)
    s = Store.open(path)
    with s.transaction() as session:  # written through the ORM: the index listeners must keep up
        for no, name, phone, address in [
            ("3999000001", "王芳", "13811112222", "城关镇人民路12号幸福小区3栋1单元201室"),
            ("3999000002", "王芳", "13933334444", "南湖镇大河村3组8号"),
            ("3999000003", "张三明", "13755556666", "东城街道建设路8号电力新村1栋2单元302室"),
            ("3999000004", "单雪", "13677778888", "西城街道文化路6号"),
            ("3999000005", "欧阳娜娜", None, "城关镇胜利街9号"),
        ]:
            account = Account(account_no=no, name=name, phone=phone, address=address, customer_class="residential",
                              meter_no=f"44400010000000000{no[-5:]}", updated_at=datetime.now(timezone.utc))
            session.add(account)
            session.flush()
            session.add(Bill(bill_no=bill_barcode(no, "202610"), account_id=account.id, period="202610", kwh=100,
                             principal_fen=5283, due_date=date(2026, 11, 25), outstanding_fen=5283))
    yield s
    s.close()


@pytest.fixture
def session(store):
    with store.read() as s:
        yield s


@pytest.fixture
def find(store, session):
    """``search`` that fails if any statement it runs would scan accounts or bills without an index."""

    def run(query, **kw):
        statements = []

        def remember(conn, cursor, statement, parameters, context, executemany):
            statements.append((statement, parameters))

        event.listen(store.read_engine, "before_cursor_execute", remember)
        try:
            result = search(session, query, **kw)
        finally:
            event.remove(store.read_engine, "before_cursor_execute", remember)
        plans = []
        with store.read_engine.connect() as conn:
            for statement, parameters in statements:
                plans += [row[-1] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)]
        scans = [p for p in plans if p.startswith("SCAN") and ("accounts" in p or "bills" in p)]
        assert scans == [], (query, scans)
        return result

    return run


def test_full_account_number_comes_first_and_alone(session, find):
    result = find("3999000003")
    assert [(h.account_no, h.match) for h in result.hits] == [("3999000003", "account")]


def test_account_number_prefix_is_capped_and_says_there_is_more(session, find):
    result = find("301000", limit=10)
    assert len(result.hits) == 10 and result.truncated
    assert all(h.account_no.startswith("301000") and h.match == "account_prefix" for h in result.hits)


def test_bill_barcode_finds_the_account_even_for_a_bill_not_cached_yet(session, find):
    bill_no = session.scalar(text("SELECT bill_no FROM bills WHERE account_id = 17 LIMIT 1"))
    hit = find(bill_no).hits[0]
    assert (hit.account_id, hit.match) == (17, "bill")
    future = bill_barcode("3999000004", "202612")
    assert [(h.account_no, h.match) for h in find(future).hits] == [("3999000004", "bill")]
    wrong_check = future[:-1] + str((int(future[-1]) + 1) % 10)
    assert find(wrong_check).message_key == "search.nothing_found"


def test_meter_number(session, find):
    meter = session.scalar(text("SELECT meter_no FROM accounts WHERE id = 42"))
    assert [(h.account_id, h.match) for h in find(meter).hits] == [(42, "meter")]


def test_phone_in_full_and_by_its_last_digits(session, find):
    assert [(h.account_no, h.match) for h in find("13811112222").hits] == [("3999000001", "phone")]
    result = find("2222")
    assert ("3999000001", "phone_suffix") in [(h.account_no, h.match) for h in result.hits]
    phones = dict(session.execute(text("SELECT account_no, phone FROM accounts")).all())
    for hit in result.hits:
        assert hit.match in ("phone_suffix", "account_prefix")
        if hit.match == "phone_suffix":
            assert phones[hit.account_no].endswith("2222")
            assert hit.phone_masked.endswith("2222") and "****" in hit.phone_masked


def test_two_character_name_finds_both_and_tells_them_apart(session, find):
    result = find("王芳")
    top = [h for h in result.hits if h.account_no in ("3999000001", "3999000002")]
    assert len(top) == 2 and result.hits[0].match == "name_exact"
    assert {h.name_masked for h in top} == {"王*"}
    assert top[0].phone_masked != top[1].phone_masked and top[0].address != top[1].address
    exact = [h for h in result.hits if h.match == "name_exact"]
    assert result.hits[: len(exact)] == exact  # exact names rank above names that merely contain it


def test_results_show_the_cashier_the_full_name_typed_and_keep_the_masked_one_for_the_customer_side(find):
    top = [h for h in find("王芳").hits if h.account_no in ("3999000001", "3999000002")]
    assert [(h.name, h.name_masked) for h in top] == [("王芳", "王*"), ("王芳", "王*")]
    hit = find("3999000005").hits[0]
    assert (hit.name, hit.name_masked) == ("欧阳娜娜", "欧**娜")
    hit = find("zsm", limit=50).hits
    assert ("张三明", "张*明") in [(h.name, h.name_masked) for h in hit]


def test_phone_is_shown_in_full_only_to_a_cashier_who_searched_by_that_phone(find):
    for typed in ("13811112222", "138 1111 2222", "１３８１１１１２２２２", "138-1111-2222"):
        hit = find(typed).hits[0]
        assert (hit.account_no, hit.match, hit.phone_shown) == ("3999000001", "phone", "13811112222"), typed
        assert hit.phone_masked == "138****2222"
    # The last four digits are not the phone: the other seven stay masked.
    suffix = [h for h in find("2222").hits if h.account_no == "3999000001"][0]
    assert (suffix.match, suffix.phone_shown) == ("phone_suffix", "138****2222")
    # Found by account number, name, initials or address: the phone was not said aloud.
    for typed in ("3999000001", "王芳", "幸福小区", "王芳 人民路"):
        hits = [h for h in find(typed, limit=50).hits if h.account_no == "3999000001"]
        assert hits and hits[0].phone_shown == "138****2222", typed
    assert all(h.phone_shown == h.phone_masked for h in find("王芳").hits)
    assert find("3999000005").hits[0].phone_shown == ""  # no phone on file


def test_phone_for_results_masks_unless_searched_by_it():
    from cashier.privacy import phone_for_results

    assert phone_for_results("13811112222", True) == "13811112222"
    assert phone_for_results("13811112222", False) == "138****2222"
    assert phone_for_results(None, True) == phone_for_results(None, False) == ""


def test_one_character_and_fragments_of_name_and_address(session, find):
    assert "3999000004" in [h.account_no for h in find("单").hits]
    assert [h.account_no for h in find("三明").hits][:1] == ["3999000003"]
    hits = find("幸福小区", limit=50).hits
    assert hits and all("幸福小区" in h.address for h in hits)
    both = find("王芳 人民路").hits
    assert [h.account_no for h in both] == ["3999000001"]


def test_pinyin_initials_with_surname_readings(session, find):
    assert "3999000003" in [h.account_no for h in find("zsm", limit=50).hits]
    assert "3999000003" in [h.account_no for h in find("ZSM", limit=50).hits]
    assert "3999000004" in [h.account_no for h in find("sx", limit=200).hits]  # 单 as a surname is shan
    assert "3999000005" in [h.account_no for h in find("oynn").hits]
    assert all(h.match == "initials" for h in find("wf").hits)


def test_hits_carry_arrears_and_status(session, find):
    hit = find("3999000001").hits[0]
    assert (hit.arrears_fen, hit.open_bills, hit.supply_status) == (5283, 1, "normal")
    arrears = session.execute(text(
        "SELECT a.account_no, sum(b.outstanding_fen) FROM accounts a JOIN bills b ON b.account_id = a.id "
        "WHERE a.supply_status = 'disconnected' GROUP BY a.id LIMIT 1")).one()
    hit = find(arrears[0]).hits[0]
    assert hit.supply_status == "disconnected" and hit.arrears_fen == arrears[1] > 0


@pytest.mark.parametrize(
    "query",
    ['"', "*", "'", "OR", "NEAR(", 'NEAR("王" "芳")', '王" OR "李', "王*", "^王", "name_bi:王芳", "{py}:zsm",
     "'; DROP TABLE accounts; --", "😀", "😀王芳😀", "\x00\x07", "张" * 500, "1" * 500, "a1" * 250,
     "　", "\t\n", "-", "----", "１３８１１１１２２２２", "3999-000-001", "AND NOT", "%", "_", "\\"],
)
def test_odd_input_never_raises_and_never_scans(session, find, query):
    result = find(query)
    assert result.hits or result.message_key in ("search.empty", "search.nothing_found")
    assert len(result.hits) <= 20
    assert session.scalar(text("SELECT count(*) FROM accounts")) == 3005


def test_empty_and_blank_queries_ask_for_input(find):
    for query in ("", "   ", "\u3000", None):
        assert find(query).message_key == "search.empty"


def test_full_width_and_spaced_digits_are_understood(find):
    assert find("３９９９０００００３").hits[0].account_no == "3999000003"
    assert find("3999 000 003").hits[0].account_no == "3999000003"


def test_renamed_account_is_found_by_its_new_name_only(store):
    with store.transaction() as session:
        account = session.scalar(select(Account).where(Account.account_no == "3999000005"))
        account.name = "欧阳婷婷"
        account.phone = "13500009999"
    with store.read() as session:
        assert "3999000005" not in [h.account_no for h in search(session, "欧阳娜娜").hits]
        assert search(session, "欧阳婷婷").hits[0].account_no == "3999000005"
        assert search(session, "13500009999").hits[0].account_no == "3999000005"


def test_parallel_rebuild_makes_the_same_index(tmp_path):
    """The index a new terminal's snapshot builds in worker processes answers like the one built inline."""
    from cashier.search_index import rebuild, rebuild_parallel

    path = tmp_path / "cashier.db"
    seed_database(path, 400, seed=3, as_of=AS_OF)
    with Store.open(path) as s:
        queries = ["王", "城关", "zsm", "人民路", "3010000123"]
        with s.read() as session:
            names = [a.name for a in session.scalars(select(Account).limit(5))]
        queries += names

        def answers():
            with s.read() as session:
                return {q: [h.account_no for h in search(session, q, limit=50).hits] for q in queries}

        with s.transaction() as session:
            rebuild(session.connection())
        inline = answers()
        with s.transaction() as session:
            assert rebuild_parallel(session.connection(), chunk=60) == 400  # 7 chunks over the workers
        assert answers() == inline and any(inline.values())


def test_address_fragments_of_every_length_find_exactly_the_addresses_that_contain_them(session, find):
    """2 characters go by bigrams, 3+ by trigrams: both answer exactly "the address contains it"."""
    addresses = dict(session.execute(text("SELECT account_no, address FROM accounts")).all())
    target = "东城街道建设路8号电力新村1栋2单元302室"
    for fragment in ("电力", "电力新", "建设路8号", "8号电力新村", "新村1栋2单元302", "设路8号电"):
        hits = find(fragment, limit=200).hits
        assert "3999000003" in [h.account_no for h in hits], fragment
        assert all(fragment in addresses[h.account_no] for h in hits if h.match == "address"), fragment
    assert target in addresses.values()
    # A fragment that runs past the end of an address, or skips a character, is not in it.
    assert "3999000003" not in [h.account_no for h in find("302室东城", limit=200).hits]
    assert "3999000003" not in [h.account_no for h in find("建设8号", limit=200).hits]
    assert [h.account_no for h in find("张三明 电力新村").hits] == ["3999000003"]


def test_an_older_database_is_reindexed_with_address_trigrams_on_upgrade(tmp_path):
    import shutil
    from pathlib import Path

    db = tmp_path / "cashier.db"
    shutil.copy(Path(__file__).parent / "data" / "schema_v4.db", db)
    with Store.open(db, backup_dir=tmp_path / "backups") as s, s.read() as session:
        assert [h.account_no for h in search(session, "幸福小区3栋").hits] == ["3101000001"]
        assert [h.account_no for h in search(session, "和平里").hits] == ["3101000002"]
        assert [(h.account_no, h.match) for h in search(session, "文化路6号").hits] == [("3101000003", "address")]
