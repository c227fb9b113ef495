"""demo-seed: deterministic, realistic enough for a hall cashier, and safe to run."""

import hashlib
import sqlite3
from collections import Counter
from datetime import date

import pytest

from admin.cli import main
from cashier.demo.seed import TIER_PRICES, seed_database
from cashier.errors import DomainError
from cashier.passwords import verify_password
from cashier.search import luhn_ok
from cashier.store import schema

AS_OF = date(2026, 11, 27)


@pytest.fixture(scope="module")
def hall(tmp_path_factory):
    path = tmp_path_factory.mktemp("seed") / "cashier.db"
    report = seed_database(path, 5000, seed=11, as_of=AS_OF)
    conn = sqlite3.connect(path)
    yield report, conn
    conn.close()


def fingerprint(path):
    conn = sqlite3.connect(path)
    digest = hashlib.sha256()
    for table in ("accounts", "bills"):
        for row in conn.execute(f"SELECT * FROM {table} ORDER BY id"):
            digest.update(repr(row[:-1] if table == "accounts" else row).encode())
    conn.close()
    return digest.hexdigest()


def test_same_seed_same_data_other_seed_other_data(tmp_path):
    for name, seed in (("a", 5), ("b", 5), ("c", 6)):
        seed_database(tmp_path / name / "cashier.db", 300, seed=seed, as_of=AS_OF)
    a, b, c = (fingerprint(tmp_path / n / "cashier.db") for n in "abc")
    assert a == b != c


def test_database_is_complete_current_and_sound(hall):
    report, conn = hall
    assert report.accounts == 5000 and report.bills == 60000 and report.users == 4
    assert schema.probe(report.path).revision == schema.head_revision()
    assert schema.integrity_problems(report.path) == []
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert not report.path.with_name("cashier.db.seeding").exists()


def test_people_places_and_numbers_look_real(hall):
    _, conn = hall
    rows = conn.execute("SELECT account_no, name, address, phone, meter_no, customer_class FROM accounts").fetchall()
    residential = [r for r in rows if r[5] == "residential"]
    assert 0.84 < len(residential) / len(rows) < 0.92
    classes = Counter(r[5] for r in rows)
    assert all(classes[c] > 0 for c in ("commercial", "industrial", "agricultural"))
    names = [r[1] for r in residential]
    assert 0.25 < sum(len(n) == 2 for n in names) / len(names) < 0.5  # many two-character names
    surnames = Counter(n[0] for n in names).most_common(5)
    assert {s for s, _ in surnames} & {"王", "李", "张"} and surnames[0][1] / len(names) > 0.04
    assert len({r[0] for r in rows}) == len(rows) and all(len(r[0]) == 10 and r[0].isdigit() for r in rows)
    assert len({r[4] for r in rows}) == len(rows) and all(len(r[4]) == 22 for r in rows)
    phones = [r[3] for r in rows if r[3]]
    assert 0.9 < len(phones) / len(rows) < 1 and all(len(p) == 11 and p[0] == "1" for p in phones)
    assert all(("栋" in r[2] and "单元" in r[2] and r[2].endswith("室")) or ("村" in r[2] and "组" in r[2]) for r in rows)
    assert any(n.endswith("有限公司") or n.endswith("厂") for n in (r[1] for r in rows if r[5] == "industrial"))


def test_flags_areas_and_collectors(hall):
    _, conn = hall
    q = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
    assert q("SELECT count(*) FROM accounts WHERE special_group IS NOT NULL AND customer_class != 'residential'") == 0
    assert set(r[0] for r in conn.execute("SELECT DISTINCT special_group FROM accounts WHERE special_group IS NOT NULL")) == {
        "dibao", "wubao", "elderly_alone", "disabled"}
    assert 0.15 < q("SELECT avg(prepaid_meter) FROM accounts") < 0.4
    assert q("SELECT count(*) FROM accounts WHERE station IS NULL OR transformer_area IS NULL OR collector IS NULL") == 0
    assert q("SELECT count(*) FROM (SELECT transformer_area, station FROM accounts GROUP BY 1, 2 HAVING count(DISTINCT collector) > 1)") == 0
    assert q("SELECT count(DISTINCT collector) FROM accounts") >= 15


def test_bills_a_year_of_tiered_seasonal_consumption(hall):
    _, conn = hall
    periods = [r[0] for r in conn.execute("SELECT DISTINCT period FROM bills ORDER BY 1")]
    assert periods == ["202511", "202512"] + [f"2026{m:02d}" for m in range(1, 11)]
    assert conn.execute("SELECT count(*) FROM bills GROUP BY account_id HAVING count(*) != 12").fetchall() == []
    assert conn.execute("SELECT due_date FROM bills WHERE period = '202512' LIMIT 1").fetchone() == ("2026-01-25",)
    for kwh, principal in conn.execute(
        "SELECT kwh, principal_fen FROM bills b JOIN accounts a ON a.id = b.account_id "
        "WHERE a.customer_class = 'residential' AND b.id % 37 = 0"
    ):
        t1, t2, t3 = min(kwh, 180), min(max(kwh - 180, 0), 170), max(kwh - 350, 0)
        assert principal == (t1 * TIER_PRICES[0] + t2 * TIER_PRICES[1] + t3 * TIER_PRICES[2] + 50) // 100
    summer, spring = (conn.execute(
        "SELECT avg(kwh) FROM bills b JOIN accounts a ON a.id = b.account_id "
        f"WHERE a.customer_class = 'residential' AND period = '{p}'").fetchone()[0] for p in ("202608", "202604"))
    assert summer > spring * 1.4
    bad = [b for (b,) in conn.execute("SELECT bill_no FROM bills WHERE id % 13 = 0") if not luhn_ok(b)]
    assert bad == []


def test_bills_carry_meter_readings_that_chain_and_add_up_to_their_kwh(hall):
    from decimal import Decimal

    _, conn = hall
    rows = conn.execute("SELECT a.account_no, b.kwh, b.reading_start, b.reading_end FROM bills b "
                        "JOIN accounts a ON a.id = b.account_id ORDER BY b.id").fetchall()
    assert all(start is not None and end is not None for _, _, start, end in rows)
    assert [r for r in rows if Decimal(r[3]) - Decimal(r[2]) != r[1]] == []  # end − start is the bill's kWh
    chained = [(a, b) for a, b in zip(rows, rows[1:]) if a[0] == b[0] and a[3] != b[2]]
    assert chained == []  # each bill starts where the one before ended
    shown = {int(no) % 2: "." in start for no, _, start, _ in rows}
    assert shown == {1: True, 0: False}  # electronic meters (odd numbers) show hundredths


def test_arrears_as_a_hall_sees_them(hall):
    report, conn = hall
    q = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
    assert 0.05 < report.accounts_in_arrears / report.accounts < 0.2
    assert q("SELECT count(*) FROM bills WHERE outstanding_fen > principal_fen OR outstanding_fen < 0") == 0
    across_year_end = q("SELECT count(DISTINCT account_id) FROM bills WHERE outstanding_fen > 0 AND due_date < '2026-01-01'")
    assert across_year_end > 10
    assert q("SELECT count(*) FROM accounts a WHERE supply_status = 'disconnected' AND NOT EXISTS "
             "(SELECT 1 FROM bills b WHERE b.account_id = a.id AND b.outstanding_fen > 0)") == 0
    assert report.disconnected > 10
    assert q("SELECT count(*) FROM accounts a WHERE prepaid_balance_fen > 0 AND EXISTS "
             "(SELECT 1 FROM bills b WHERE b.account_id = a.id AND b.outstanding_fen > 0)") == 0
    assert q("SELECT count(*) FROM accounts WHERE prepaid_balance_fen > 0") > 500
    partly = conn.execute("SELECT due_date, penalty_settled_through, outstanding_fen, principal_fen FROM bills "
                          "WHERE penalty_settled_through IS NOT NULL").fetchall()
    assert partly and all(s > d and 0 < o < p and s <= AS_OF.isoformat() for d, s, o, p in partly)


def test_demo_users_can_sign_in(hall):
    _, conn = hall
    users = {r[0]: r[1:] for r in conn.execute("SELECT username, role, password_hash, must_change_password FROM users")}
    assert {u: r[0] for u, r in users.items()} == {"cashier1": "cashier", "cashier2": "cashier", "super1": "supervisor", "tech1": "technician"}
    assert verify_password(users["cashier1"][1], "1234") and not verify_password(users["cashier1"][1], "4321")


def test_seed_refuses_a_database_with_data_and_leaves_it_alone(hall):
    report, _ = hall
    before = fingerprint(report.path)
    with pytest.raises(DomainError) as info:
        seed_database(report.path, 10, seed=1, as_of=AS_OF)
    assert info.value.key == "seed.not_empty"
    assert fingerprint(report.path) == before
    with pytest.raises(DomainError):
        seed_database(report.path.with_name("other.db"), 0)


def test_cli_seed_then_doctor_search_and_quote(data_dir, capsys):
    assert main(["--data-dir", str(data_dir), "demo-seed", "--accounts", "400", "--seed", "3", "--as-of", "2026-11-27"]) == 0
    assert "已生成 400 户" in capsys.readouterr().out
    assert main(["--data-dir", str(data_dir), "doctor"]) == 0
    capsys.readouterr()
    conn = sqlite3.connect(data_dir / "cashier.db")
    account_no, name = conn.execute(
        "SELECT a.account_no, a.name FROM accounts a JOIN bills b ON b.account_id = a.id "
        "WHERE b.outstanding_fen > 0 AND a.customer_class = 'residential' LIMIT 1").fetchone()
    conn.close()
    assert main(["--data-dir", str(data_dir), "search", name]) == 0
    out = capsys.readouterr().out
    assert account_no in out and name not in out  # lists mask names
    assert main(["--data-dir", str(data_dir), "quote", account_no, "--on", "2026-11-27"]) == 0
    assert name in capsys.readouterr().out
    assert main(["--data-dir", str(data_dir), "search", "没有这个人"]) == 1
    assert "未找到" in capsys.readouterr().out
    assert main(["--data-dir", str(data_dir), "demo-seed", "--accounts", "10"]) == 3
    assert "已有数据" in capsys.readouterr().err
