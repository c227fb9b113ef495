"""Reconciliation (对账) finds each kind of difference between a provider's statement and the ledger, exactly to
the fen, raises each one's alarm once, stores the day's run, and says it all as JSON and as a table."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.upstream.ledger_rows import add, body, terminal
from upstream import cli, reconcile
from upstream.models import Alarm, Reconciliation, ReconciliationMismatch
from upstream.payments.base import StatementLine
from upstream.payments.statements import (BankLayout, StatementError, read_alipay, read_statement, read_wechat,
                                          write_statement)

DATA = Path(__file__).parent / "data"
DAY = date(2026, 3, 2)
TENDER = {"wechat": "wechat", "alipay": "alipay", "bank": "bank_card"}


def crafted(db, provider: str) -> list[StatementLine]:
    """A day with one of each difference; returns the statement lines the provider would publish."""
    kind = TENDER[provider]
    with db.transaction() as s:
        terminal(s)
        add(s, body("payment", 1, kind, 12850, "TXN-A", DAY, doc_id="00000000-0000-4000-8000-00000000000a"))
        add(s, body("payment", 2, kind, 5000, "TXN-B", DAY))
        add(s, body("payment", 3, kind, 2001, "TYPED-123", DAY, cashier="李强",
                    doc_id="00000000-0000-4000-8000-00000000000c"))
        add(s, body("payment", 4, kind, 300, "TXN-E", date(2026, 3, 1)))  # paid the day before
        add(s, body("payment", 5, "cash", 999, None, DAY))  # cash: not the provider's
        add(s, body("reversal", 6, kind, 12850, "TXN-A", DAY, reverses="00000000-0000-4000-8000-00000000000a"))
        add(s, body("reversal", 7, kind, 300, "TXN-E", DAY, reverses=str(__import__("uuid").UUID(int=4))))
    at = datetime(2026, 3, 2, 10, 0)
    return [StatementLine(provider, "payment", "TXN-A", "a" * 32, 12850, at),
            StatementLine(provider, "payment", "TXN-B", "b" * 32, 5001, at),  # one fen more than recorded
            StatementLine(provider, "payment", "TXN-C", "c" * 32, 777, at, terminal="T01"),  # never recorded
            StatementLine(provider, "refund", "TXN-A", "a" * 32, 12850, at, refund_no="r" * 32),
            StatementLine(provider, "refund", "TXN-E", None, 200, at),  # the reversal paid back 300
            StatementLine(provider, "refund", "TXN-F", None, 100, at),  # a refund with no reversal
            StatementLine(provider, "payment", "TXN-G", "g" * 32, 4200, at),  # charged, then cancelled: nets out
            StatementLine(provider, "refund", "TXN-G", "g" * 32, 4200, at)]


def _kinds(result) -> list[tuple]:
    return [(m.kind, m.reference, m.statement_fen, m.ledger_fen) for m in result.mismatches]


@pytest.mark.parametrize("provider", ["wechat", "alipay", "bank"])
def test_every_kind_of_difference_is_found_in_each_layout_and_alarmed_once(upstream_db, provider):
    lines = crafted(upstream_db, provider)
    statement = write_statement(provider, lines)
    read = read_statement(provider, statement)
    assert [(x.kind, x.provider_txn_id, x.amount_fen) for x in read] == \
        [(x.kind, x.provider_txn_id, x.amount_fen) for x in lines]
    result = reconcile.reconcile(upstream_db, DAY, provider, read)
    assert _kinds(result) == [
        ("charged_not_recorded", "TXN-C", 777, None),
        ("reference_unknown", "TYPED-123", None, 2001),
        ("amount_differs", "TXN-B", 5001, 5000),
        ("refund_differs", "TXN-E", 200, 300),
        ("refund_differs", "TXN-F", 100, None),
    ]
    typed = result.mismatches[1]
    assert (typed.terminal_id, typed.cashier, typed.document_id) == ("T01", "李强",
                                                                      "00000000-0000-4000-8000-00000000000c")
    assert result.mismatches[0].terminal_id == "T01"  # the statement's device/terminal column names ours
    assert result.mismatches[0].order_no == (None if provider == "bank" else "c" * 32)  # a bank file has no order
    # TXN-A paid and refunded; TXN-G charged and cancelled the same day
    assert (result.statement_lines, result.ledger_payments, result.matched) == (8, 3, 3)
    assert (result.statement_fen, result.ledger_fen) == (12850 + 5001 + 777 + 4200, 12850 + 5000 + 2001)
    assert result.new_alarms == 5
    again = reconcile.reconcile(upstream_db, DAY, provider, read)
    assert again.new_alarms == 0 and _kinds(again) == _kinds(result)
    with upstream_db.sessions() as s:
        alarms = s.scalars(select(Alarm).where(Alarm.kind.like("reconcile_%"))).all()
        assert sorted(a.kind for a in alarms) == sorted(f"reconcile_{k}" for k, *_ in _kinds(result))
        assert len(s.scalars(select(Reconciliation)).all()) == 1
        assert len(s.scalars(select(ReconciliationMismatch)).all()) == 5
    fixed = [x for x in lines if x.provider_txn_id not in ("TXN-C", "TXN-F")]  # say the statement is corrected
    third = reconcile.reconcile(upstream_db, DAY, provider, fixed)
    assert len(third.mismatches) == 3 and third.new_alarms == 0
    with upstream_db.sessions() as s:
        resolved = s.scalars(select(ReconciliationMismatch.ref_key)
                             .where(ReconciliationMismatch.resolved_at.is_not(None))).all()
    assert sorted(resolved) == ["TXN-C", "TXN-F"]


def test_a_reconciled_day_exits_0_and_differences_exit_1_with_the_json_shape(upstream_db, tmp_path, capsys):
    lines = crafted(upstream_db, "wechat")
    path = tmp_path / "bill.csv"
    path.write_bytes(write_statement("wechat", lines))
    code = cli.main(["reconcile", "--db", upstream_db.url, "--date", "2026-03-02", "--provider", "wechat",
                     "--statement", str(path), "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 1
    assert {"date", "provider", "statement_lines", "ledger_payments", "matched", "mismatches"} <= set(out)
    assert (out["date"], out["provider"], out["statement_lines"], out["ledger_payments"], out["matched"]) == \
        ("2026-03-02", "wechat", 8, 3, 3)
    assert set(out["mismatches"][0]) == {"kind", "reference", "order_no", "statement_fen", "ledger_fen", "terminal_id",
                                         "cashier", "document_id"}
    assert out["mismatches"][2] == {"kind": "amount_differs", "reference": "TXN-B", "order_no": "b" * 32,
                                    "statement_fen": 5001, "ledger_fen": 5000, "terminal_id": "T01",
                                    "cashier": "王芳", "document_id": "00000000-0000-0000-0000-000000000002"}
    code = cli.main(["reconcile", "--db", upstream_db.url, "--date", "2026-03-02", "--provider", "wechat",
                     "--statement", str(path)])
    text = capsys.readouterr().out
    assert code == 1 and "已扣款未入账" in text and "TXN-C" in text and "7.77" in text
    # The same day with the ledger's own figures: reconciled.
    good = [replace(x, amount_fen=5000) if x.provider_txn_id == "TXN-B" else x for x in lines
            if x.provider_txn_id not in ("TXN-C", "TXN-F")] + \
        [StatementLine("wechat", "payment", "TYPED-123", None, 2001, datetime(2026, 3, 2, 11))]
    good = [replace(x, amount_fen=300) if x.kind == "refund" and x.provider_txn_id == "TXN-E" else x for x in good]
    path.write_bytes(write_statement("wechat", good))
    code = cli.main(["reconcile", "--db", upstream_db.url, "--date", "2026-03-02", "--provider", "wechat",
                     "--statement", str(path)])
    assert code == 0 and "账款相符" in capsys.readouterr().out


def test_a_hand_written_wechat_bill_reads_exactly_and_reconciles(upstream_db):
    lines = read_wechat((DATA / "wechat_bill_all_2026-03-02.csv").read_bytes())
    assert [(x.kind, x.provider_txn_id[-2:], x.amount_fen) for x in lines] == \
        [("payment", "01", 12850), ("payment", "02", 1), ("payment", "03", 20000), ("refund", "09", 6666)]
    assert lines[3].refund_no == "0192f0000000700080000000000000b9" and lines[0].terminal == "T01"
    with upstream_db.transaction() as s:
        terminal(s)
        add(s, body("payment", 1, "wechat", 12850, "4200000001202603020000000001", DAY))
        add(s, body("payment", 2, "wechat", 2, "4200000001202603020000000002", DAY))
        add(s, body("payment", 3, "wechat", 6666, "4200000001202603010000000009", date(2026, 3, 1)))
        add(s, body("reversal", 4, "wechat", 6666, "4200000001202603010000000009", DAY,
                    reverses=str(__import__("uuid").UUID(int=3))))
    result = reconcile.reconcile(upstream_db, DAY, "wechat", lines)
    assert _kinds(result) == [("charged_not_recorded", "4200000001202603020000000003", 20000, None),
                              ("amount_differs", "4200000001202603020000000002", 1, 2)]
    assert result.matched == 2


def test_a_hand_written_alipay_file_reads_exactly_and_reconciles(upstream_db):
    data = (DATA / "alipay_business_2026-03-02.csv").read_bytes()
    data.decode("gb18030")  # GBK, as Alipay sends it
    lines = read_alipay(data)
    assert [(x.kind, x.provider_txn_id[-2:], x.amount_fen, x.refund_no) for x in lines] == \
        [("payment", "01", 9990, None), ("payment", "02", 4500, None),
         ("refund", "01", 1000, "0192f0000000700080000000000000d1")]
    with upstream_db.transaction() as s:
        terminal(s)
        add(s, body("payment", 1, "alipay", 9990, "2026030222001400000000000001", DAY,
                    doc_id="00000000-0000-4000-8000-0000000000a1"))
        add(s, body("payment", 2, "alipay", 4500, "2026030222001400000000000002", DAY))
        add(s, body("payment", 3, "alipay", 100, "2026030222001400000000009999", DAY))
        add(s, body("reversal", 4, "alipay", 1000, "2026030222001400000000000001", DAY,
                    reverses="00000000-0000-4000-8000-0000000000a1"))
    result = reconcile.reconcile(upstream_db, DAY, "alipay", lines)
    assert _kinds(result) == [("reference_unknown", "2026030222001400000000009999", None, 100)]
    assert result.matched == 3


def test_statements_cut_short_or_with_inexact_amounts_are_refused():
    wechat = (DATA / "wechat_bill_all_2026-03-02.csv").read_text(encoding="utf-8").splitlines()
    with pytest.raises(StatementError, match="summary counts 5"):
        read_wechat("\n".join(wechat[:2] + wechat[3:]))
    with pytest.raises(StatementError, match="no summary"):
        read_wechat("\n".join(wechat[:-2]))
    alipay = (DATA / "alipay_business_2026-03-02.csv").read_bytes().decode("gb18030").splitlines()
    with pytest.raises(StatementError, match="2 trades and 1 refunds"):
        read_alipay("\n".join(alipay[:5] + alipay[6:]))
    with pytest.raises(StatementError, match="two decimals"):
        read_alipay("\n".join(alipay).replace("45.00\t", "45.001\t", 1))
    # 0.1 + 0.2 in yuan is exactly 30 fen here (Decimal), however many lines add up
    line = StatementLine("wechat", "payment", "X", None, 10, datetime(2026, 3, 2, 9))
    many = [replace(line, provider_txn_id=f"X{i}", amount_fen=10 if i % 2 else 20) for i in range(1000)]
    assert sum(x.amount_fen for x in read_wechat(write_statement("wechat", many))) == 15000


def test_a_bank_file_is_read_by_the_columns_the_settings_name(tmp_path):
    from upstream.payments.config import load_payments_config

    settings = tmp_path / "payments.toml"
    settings.write_text('[bank]\nreference = "参考号"\namount = "金额(元)"\ntime = "交易日期时间"\n'
                        'time_format = "%Y%m%d%H%M%S"\nrefund_column = "类型"\nrefund_values = ["退货"]\n'
                        'encoding = "gb18030"\ndelimiter = "|"\nheader_rows = 2\nfooter_rows = 1\n', encoding="utf-8")
    layout = load_payments_config(settings).bank_layout
    text = ("XX银行收单对账文件 商户号 102330000000001||||\n终端号|参考号|交易日期时间|类型|金额(元)\n"
            "10000001|123456789012|20260302101500|消费|1,234.56\n10000001|123456789013|20260302111500|退货|0.05\n"
            "合计|2笔||||\n")
    lines = read_statement("bank", text.encode("gb18030"), layout)
    assert [(x.kind, x.provider_txn_id, x.amount_fen, x.at) for x in lines] == [
        ("payment", "123456789012", 123456, datetime(2026, 3, 2, 10, 15)),
        ("refund", "123456789013", 5, datetime(2026, 3, 2, 11, 15))]
    assert read_statement("bank", write_statement("bank", lines, layout), layout) == lines
    assert BankLayout().reference == "检索参考号"


def test_the_hall_sees_its_own_reconciliation_over_the_api(running):
    from cashier.sync.client import UpstreamClient
    from upstream import terminals as terms

    db = running.db
    code = terms.create_enrollment_code(db, "DEMO01", "T01")
    with UpstreamClient(running.url) as c:
        token = c.enroll(code).token
    lines = crafted(db, "alipay")
    with db.transaction() as s:  # another hall's counter, with a typed reference the provider does not have
        terminal(s, "T09", "OTHER02")
        add(s, body("payment", 1, "alipay", 4321, "OTHER-TYPED", DAY, terminal_id="T09"))
    reconcile.reconcile(db, DAY, "alipay", lines)
    with UpstreamClient(running.url, token, timeout=5) as client:
        day = client.reconciliation(DAY)
        before = client.reconciliation(date(2026, 3, 1))
    assert day.hall_code == "DEMO01" and [x.provider for x in day.providers] == ["wechat", "alipay", "bank"]
    wechat, alipay, _bank = day.providers
    assert wechat.reconciled_at is None and wechat.hall_payments == 0 and wechat.mismatches == []
    assert alipay.reconciled_at is not None
    assert (alipay.statement_lines, alipay.statement_fen, alipay.statement_refund_fen) == (
        8, 12850 + 5001 + 777 + 4200, 12850 + 200 + 100 + 4200)
    assert (alipay.hall_payments, alipay.hall_fen, alipay.hall_refund_fen) == (3, 12850 + 5000 + 2001, 12850 + 300)
    kinds = [(m.kind, m.reference) for m in alipay.mismatches]
    assert ("reference_unknown", "OTHER-TYPED") not in kinds  # another hall's
    assert kinds == [("charged_not_recorded", "TXN-C"), ("reference_unknown", "TYPED-123"),
                     ("amount_differs", "TXN-B"), ("refund_differs", "TXN-E")]  # TXN-F's refund names no terminal
    assert before.providers[1].reconciled_at is None


def test_the_table_speaks_english_when_asked_and_bad_arguments_say_why(upstream_db, tmp_path, capsys, monkeypatch):
    lines = crafted(upstream_db, "alipay")
    path = tmp_path / "alipay.csv"
    path.write_bytes(write_statement("alipay", lines))
    monkeypatch.setenv("CASHIER_LANG", "en")
    code = cli.main(["reconcile", "--db", upstream_db.url, "--date", "2026-03-02", "--provider", "alipay",
                     "--statement", str(path)])
    out = capsys.readouterr().out
    assert code == 1 and "Reconciliation 2026-03-02 · Alipay" in out and "charged, not recorded" in out
    assert "5 difference(s) (5 new alarm(s))" in out
    with pytest.raises(SystemExit, match="say whose it is"):
        cli.main(["reconcile", "--db", upstream_db.url, "--date", "2026-03-02", "--statement", str(path)])
    with pytest.raises(SystemExit, match="cannot be read: .*not a WeChat Pay statement"):
        cli.main(["reconcile", "--db", upstream_db.url, "--date", "2026-03-02", "--provider", "wechat",
                  "--statement", str(path)])
    monkeypatch.setenv("CASHIER_LANG", "zh")
    with pytest.raises(SystemExit, match="日期格式不正确"):
        cli.main(["reconcile", "--db", upstream_db.url, "--date", "2026-02-30", "--provider", "wechat",
                  "--statement", str(path)])
