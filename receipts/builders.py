"""Documents built from what the store committed: payment and reversal receipts, cash movement
slips, shift reports, and the sample receipt of ``print-test``.

A payment's receipt is read from the outbox body frozen at commit, so a reprint months later
shows exactly what was taken, not what the account looks like now.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from cashier.errors import CashierError
from cashier.i18n import translate
from cashier.money import format_fen, rmb_upper
from cashier.privacy import mask_name
from cashier.reports import ShiftTotals, shift_totals
from cashier.rules.tenders import TENDER_KINDS
from cashier.shifts import describe_over_short
from cashier.store.models import Account, Bill, CashMovement, OutboxEntry, Payment, Shift, User
from cashier.sync.protocol import PaymentBody
from receipts.document import Blank, Document, Heading, Pair, QRCode, Rule, Text

# Receipts are Chinese documents: tenders by their Chinese names, whatever the screen's language.
TENDER_LABELS = {kind: translate(f"tender.{kind}", "zh") for kind in TENDER_KINDS}
HOTLINE = "95598"


@dataclass(frozen=True)
class Hall:
    name: str = "演示供电营业厅"
    terminal_id: str = "T01"
    terminal_name: str = "1号窗口"
    timezone: str = "Asia/Shanghai"

    def local(self, at: datetime) -> str:
        return at.replace(tzinfo=timezone.utc).astimezone(ZoneInfo(self.timezone)).strftime("%Y-%m-%d %H:%M:%S")


def receipt_number(terminal_id: str, seq: int) -> str:
    return f"{terminal_id}-{seq:08d}"


def qr_payload(hall: Hall, kind: str, entity_id: str, seq: int, amount_fen: int) -> str:
    """What the QR code carries: enough for anyone to find the payment upstream."""
    return f"HC1|{kind}|{hall.terminal_id}|{seq}|{entity_id}|{amount_fen}"


def _header(hall: Hall, title: str, number: str, at: datetime, cashier: str, reprint: int) -> list:
    blocks: list = [Heading(title), Text(hall.name, "center")]
    if reprint:
        blocks.append(Text(f"** 重打 第{reprint}次 **", "center"))
    blocks += [Pair("单号", number), Pair("时间", hall.local(at)), Pair("窗口", f"{hall.terminal_name} {hall.terminal_id}"),
               Pair("收费员", cashier), Rule()]
    return blocks


def payment_document(session: Session, hall: Hall, payment_id: str, reprint: int = 0) -> Document:
    payment = session.get(Payment, payment_id)
    if payment is None:
        raise CashierError("reversal.unknown", id=payment_id)
    entry = session.scalar(select(OutboxEntry).where(OutboxEntry.entity_id == payment_id,
                                                     OutboxEntry.kind.in_(("payment", "reversal"))))
    body = PaymentBody.model_validate_json(entry.payload)
    account = session.get(Account, payment.account_id)
    cashier = session.get(User, payment.cashier_id)
    bills = {b.id: b for b in session.scalars(select(Bill).where(Bill.id.in_([a.bill_id for a in body.allocations])))}
    reversal = payment.kind == "reversal"
    title = "冲正凭证" if reversal else "电费缴费凭证"
    blocks = _header(hall, title, receipt_number(payment.terminal_id, payment.seq), payment.created_at,
                     cashier.display_name, reprint)
    if reversal:
        original = session.get(Payment, payment.reverses_id)
        blocks += [Pair("原单号", receipt_number(original.terminal_id, original.seq)),
                   Text(f"冲正原因：{payment.reason or ''}"), Rule()]
    blocks += [Pair("户号", account.account_no), Pair("户名", mask_name(account.name)), Text(f"地址：{account.address}"), Rule()]
    for a in body.allocations:
        bill = bills.get(a.bill_id)
        period = a.period or (bill.period if bill else "")
        label = f"{period[:4]}-{period[4:]} {bill.kwh if bill else ''}kWh"
        blocks.append(Pair(label, format_fen(a.principal_fen)))
        if a.penalty_fen:
            blocks.append(Pair("  违约金", format_fen(a.penalty_fen)))
        if a.penalty_waived_fen:
            blocks.append(Pair("  违约金减免", "-" + format_fen(a.penalty_waived_fen)))
    if body.prepaid_credit_fen:
        blocks.append(Pair("预存电费", format_fen(body.prepaid_credit_fen)))
    amount = body.amount_fen
    blocks += [Rule(), Pair("退款合计" if reversal else "合计", format_fen(amount), bold=True),
               Text(f"人民币（大写）{rmb_upper(amount)}")]
    for tender in body.tenders:
        reference = f" {tender.reference[-6:]}" if tender.reference else ""
        blocks.append(Pair(("退回" if reversal else "") + TENDER_LABELS.get(tender.kind, tender.kind) + reference,
                           format_fen(tender.amount_fen)))
    if body.change_fen:
        blocks.append(Pair("找零", format_fen(body.change_fen)))
    blocks.append(Pair("预存余额", format_fen(body.prepaid_balance_after_fen)))
    if body.reconnect_requested:
        blocks.append(Text("已提交复电申请，请保持联系电话畅通"))
    blocks += [Rule(), QRCode(qr_payload(hall, payment.kind, payment.id, payment.seq, amount)),
               Text(f"供电服务热线 {HOTLINE}", "center"), Text("请妥善保管本凭证", "center"), Blank()]
    cash = any(t.kind == "cash" for t in body.tenders)
    return Document(payment.kind, title, tuple(blocks), kick_drawer=cash, entity_id=payment.id, reprint=reprint)


def cash_movement_document(session: Session, hall: Hall, movement_id: str, reprint: int = 0) -> Document:
    move = session.get(CashMovement, movement_id)
    if move is None:
        raise CashierError("reversal.unknown", id=movement_id)
    user = session.get(User, move.user_id)
    purpose = {"float_top_up": "补充备用金", "turn_in": "交款（交班长）", "bank_pickup": "解款（银行上门收款）"}.get(
        move.purpose, "其他")
    title = "现金存入单" if move.direction == "in" else "现金取出单"
    blocks = _header(hall, title, receipt_number(move.terminal_id, move.seq), move.created_at, user.display_name, reprint)
    blocks += [Pair("用途", purpose), Text(f"说明：{move.reason}"), Pair("金额", format_fen(move.amount_fen), bold=True),
               Text(f"人民币（大写）{rmb_upper(move.amount_fen)}"), Blank(), Pair("交款人签字", "________"),
               Pair("收款人签字", "________"), Blank()]
    return Document("cash_movement", title, tuple(blocks), kick_drawer=True, entity_id=move.id, reprint=reprint)


SHIFT_REPORT_TITLE = "交班单"


def shift_report_document(hall: Hall, totals: ShiftTotals, cashier: str, reprint: int = 0) -> Document:
    """交班单 (shift hand-over slip): takings by tender, cash movements, expected and counted cash and
    the over/short in words (短款 ￥2.00 / 长款 ￥2.00 / 无长短款), with lines to sign."""
    blocks = [Heading(SHIFT_REPORT_TITLE), Text(hall.name, "center")]
    if reprint:
        blocks.append(Text(f"** 重打 第{reprint}次 **", "center"))
    blocks += [Pair("窗口", f"{hall.terminal_name} {hall.terminal_id}"), Pair("收费员", cashier),
               Pair("营业日", totals.business_date.isoformat()), Rule(),
               Pair("收费笔数", str(totals.payments)), Pair("收费金额", format_fen(totals.payments_fen)),
               Pair("冲正笔数", str(totals.reversals)), Pair("冲正金额", format_fen(totals.reversals_fen)),
               Pair("违约金减免", format_fen(totals.penalty_waived_fen)), Pair("重打次数", str(totals.reprints)), Rule()]
    for kind, amount in totals.by_tender.items():
        blocks.append(Pair(TENDER_LABELS.get(kind, kind), format_fen(amount)))
    blocks += [Rule(), Pair("备用金", format_fen(totals.opening_float_fen)), Pair("存入", format_fen(totals.cash_in_fen))]
    for purpose, amount in totals.cash_out_fen.items():
        blocks.append(Pair({"turn_in": "交款", "bank_pickup": "解款"}.get(purpose, "取出"), format_fen(amount)))
    blocks.append(Pair("应有现金", format_fen(totals.expected_cash_fen)))
    if totals.counted_cash_fen is not None:
        blocks += [Pair("实点现金", format_fen(totals.counted_cash_fen)),
                   Pair("长短款", describe_over_short(totals.over_short_fen or 0, "zh"), bold=True)]
        if totals.over_short_reason:
            blocks.append(Text(f"原因：{totals.over_short_reason}"))
    blocks += [Blank(), Pair("收费员签字", "________"), Pair("班长签字", "________"), Blank()]
    return Document("shift_report", SHIFT_REPORT_TITLE, tuple(blocks), entity_id=totals.shift_id, reprint=reprint)


def shift_report_of(session: Session, hall: Hall, shift_id: str, reprint: int = 0) -> Document:
    """The 交班单 of a shift as the store holds it now (closed: with the count and over/short)."""
    shift = session.get(Shift, shift_id)
    if shift is None:
        raise CashierError("shift.not_closed")
    cashier = session.get(User, shift.cashier_id)
    return shift_report_document(hall, shift_totals(session, shift_id), cashier.display_name if cashier else "", reprint)


def sample_document(hall: Hall) -> Document:
    """What ``print-test`` prints: Chinese text, an uppercase amount, a QR code and a drawer kick."""
    amount = 140950
    blocks = [Heading("打印测试"), Text(hall.name, "center"), Pair("窗口", f"{hall.terminal_name} {hall.terminal_id}"),
              Rule(), Text("供电营业厅收费柜台 打印机测试页：中文、全角符号（￥，。：）、English 123。"),
              Pair("户名", mask_name("张三明")), Pair("2025-12 215kWh", format_fen(11683)), Pair("  违约金", format_fen(421)),
              Rule(), Pair("合计", format_fen(amount), bold=True), Text(f"人民币（大写）{rmb_upper(amount)}"),
              Rule(), QRCode(qr_payload(hall, "test", "print-test", 0, amount)), Text(f"供电服务热线 {HOTLINE}", "center"),
              Blank()]
    return Document("test", "打印测试", tuple(blocks), kick_drawer=True)
