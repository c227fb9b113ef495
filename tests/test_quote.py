"""Quotes: what an account owes on a date, from the library and from `cashier-admin quote`."""

import json
from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

from admin.cli import main
from cashier.errors import DomainError
from cashier.rules.penalty import PenaltyPolicy
from cashier.quote import quote_account
from cashier.store import Store
from cashier.store.models import Account, Bill


@pytest.fixture
def hall(data_dir, capsys):
    assert main(["--data-dir", str(data_dir), "init"]) == 0
    capsys.readouterr()
    store = Store.open(data_dir / "cashier.db")
    now = datetime.now(timezone.utc)
    with store.transaction() as s:
        home = Account(account_no="3101000001", name="张三明", address="城关镇人民路3栋501室", phone="13812341234",
                       customer_class="residential", special_group="dibao", updated_at=now)
        shop = Account(account_no="3101000002", name="兴盛五金店", address="城关镇建设路8号", phone="13900005678",
                       customer_class="commercial", supply_status="disconnected", prepaid_meter=True,
                       prepaid_balance_fen=0, updated_at=now)
        paid = Account(account_no="3101000003", name="王芳", address="南湖镇大河村3组8号", customer_class="residential",
                       prepaid_balance_fen=12300, updated_at=now)
        s.add_all([home, shop, paid])
        s.flush()
        s.add_all([
            Bill(bill_no="B1", account_id=home.id, period="202511", kwh=215, principal_fen=11683,
                 due_date=date(2025, 12, 25), outstanding_fen=11683),
            Bill(bill_no="B2", account_id=home.id, period="202601", kwh=310, principal_fen=17050,
                 due_date=date(2026, 2, 25), outstanding_fen=17050, penalty_settled_through=date(2026, 3, 1)),
            Bill(bill_no="B0", account_id=home.id, period="202510", kwh=100, principal_fen=5283,
                 due_date=date(2025, 11, 25), outstanding_fen=0),
            Bill(bill_no="B3", account_id=shop.id, period="202512", kwh=1000, principal_fen=100000,
                 due_date=date(2025, 12, 20), outstanding_fen=100000),
            Bill(bill_no="B4", account_id=shop.id, period="202601", kwh=80, principal_fen=2000,
                 due_date=date(2026, 1, 5), outstanding_fen=2000),
        ])
    yield store
    store.close()


def test_quote_lists_open_bills_oldest_first_with_penalties(hall):
    with hall.read() as s:
        q = quote_account(s, "3101000001", date(2026, 3, 11))
    assert [b.period for b in q.bills] == ["202511", "202601"]
    first, second = q.bills
    assert (first.overdue_days, first.penalty_fen) == (76, 888)  # 11683 x 76 x 1‰ = 887.908
    assert (second.overdue_days, second.penalty_fen) == (14, 171)  # settled through 1 Mar: 10 days = 170.5
    assert q.principal_fen == 28733 and q.penalty_fen == 1059 and q.total_due_fen == 29792
    assert q.special_group == "dibao" and not q.disconnected


def test_quote_across_the_year_end_for_a_business_with_minimum(hall):
    with hall.read() as s:
        q = quote_account(s, "3101000002", date(2026, 1, 10))
        no_min = quote_account(s, "3101000002", date(2026, 1, 10), PenaltyPolicy(minimum_enabled=False))
    big, small = q.bills
    assert big.rates_per_mille == ((11, Decimal(2)), (10, Decimal(3))) and big.penalty_fen == 5200
    assert small.rates_per_mille == ((5, Decimal(2)),) and small.penalty_fen == 100 and small.minimum_applied
    assert no_min.bills[1].penalty_fen == 20  # 2000 x 5 x 2‰
    assert q.disconnected and q.prepaid_meter


def test_account_without_arrears_shows_its_prepaid_balance(hall):
    with hall.read() as s:
        q = quote_account(s, "3101000003", date(2026, 3, 1))
    assert q.bills == () and q.total_due_fen == 0 and q.prepaid_balance_fen == 12300


def test_unknown_and_malformed_account_numbers(hall):
    with hall.read() as s:
        with pytest.raises(DomainError) as info:
            quote_account(s, "3101009999", date(2026, 3, 1))
        assert info.value.key == "quote.unknown_account" and "3101009999" in str(info.value)
        for bad in ("31010", "31010000011", "abcdefghij", "３１０１０００００１x"):
            with pytest.raises(DomainError) as info:
                quote_account(s, bad, date(2026, 3, 1))
            assert info.value.key == "quote.bad_account"


def test_cli_quote_text_and_json(hall, data_dir, capsys):
    assert main(["--data-dir", str(data_dir), "quote", "3101000001", "--on", "2026-03-11"]) == 0
    out = capsys.readouterr().out
    assert "张三明" in out and "低保户" in out and "2025-11" in out and "￥8.88" in out and "￥297.92" in out
    assert "138****1234" in out and "13812341234" not in out
    assert main(["--data-dir", str(data_dir), "quote", "3101000002", "--on", "2026-01-10", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total_due_fen"] == 102000 + 5200 + 100 and data["disconnected"] is True
    assert data["bills"][0]["rates_per_mille"] == [{"days": 11, "per_mille": "2"}, {"days": 10, "per_mille": "3"}]
    assert data["bills"][0]["due_date"] == "2025-12-20"


def test_cli_quote_errors_are_clear_and_non_zero(hall, data_dir, capsys):
    assert main(["--data-dir", str(data_dir), "quote", "3101009999"]) == 3
    assert "户号 3101009999 不存在" in capsys.readouterr().err
    assert main(["--data-dir", str(data_dir), "--lang", "en", "quote", "3101000001", "--on", "2026-13-01"]) == 3
    assert "2026-13-01" in capsys.readouterr().err
    assert main(["--data-dir", str(data_dir), "quote", "12"]) == 3
    assert "10 位数字" in capsys.readouterr().err
