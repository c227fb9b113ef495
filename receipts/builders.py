"""Documents built from what the store committed: payment and reversal receipts, cash movement
slips, shift reports, and the sample receipt of ``print-test``.

A payment's receipt is read from the outbox body frozen at commit, so a reprint months later
shows exactly what was taken, not what the account looks like now.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from types import SimpleNamespace
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
from cashier.sync.protocol import AllocationBody, PaymentBody
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


def qr_payload(terminal_id: str, kind: str, entity_id: str, seq: int, amount_fen: int) -> str:
    """What the QR code carries: enough for anyone to find the payment upstream.

    ``terminal_id`` is the terminal that took the payment — the same one its 流水号 names — not
    the terminal this copy is printed on.
    """
    return f"HC1|{kind}|{terminal_id}|{seq}|{entity_id}|{amount_fen}"


def _window(hall: Hall, terminal_id: str) -> str:
    """The 窗口 line: the terminal that made the record; its name only when it is this hall's terminal."""
    return f"{hall.terminal_name} {terminal_id}" if terminal_id == hall.terminal_id else terminal_id


def _header(hall: Hall, title: str, terminal_id: str, seq: int, at: datetime, cashier: str, reprint: int) -> list:
    blocks: list = [Heading(title), Text(hall.name, "center")]
    if reprint:
        blocks.append(Text(f"** 重打 第{reprint}次 **", "center"))
    blocks += [Pair("流水号", receipt_number(terminal_id, seq)), Pair("时间", hall.local(at)),
               Pair("窗口", _window(hall, terminal_id)), Pair("收费员", cashier), Rule()]
    return blocks


def reading_line(bill) -> Text | None:
    """起码 … 止码 … 用电 … kWh under a bill's 电费 line, when the bill has its meter readings; no amount on it
    (the money lines still add up to 合计), and it breaks only between its three figures."""
    start, end = getattr(bill, "reading_start", None), getattr(bill, "reading_end", None)
    if start is None or end is None:
        return None
    return Text(f"  起码{start} 止码{end} 用电{bill.kwh}kWh", keep_words=True)


def item_lines(allocations: list[AllocationBody], bills: dict, prepaid_credit_fen: int) -> list[Pair | Text]:
    """The money lines of a payment, which add up to its 合计 to the fen.

    Per bill, oldest first: 电费 (the principal paid now, with the period and the bill's kWh; a bill with
    meter readings says its kWh on the readings line under it instead: 起码, 止码, 用电), 违约金 as charged
    (before any waiver) and 违约金减免 as a negative line; then 预存电费.
    The allocation's ``penalty_fen`` is the penalty paid, already net of the waiver, so the
    charged penalty is paid + waived.
    """
    lines: list[Pair | Text] = []
    for a in allocations:
        bill = bills.get(a.bill_id)
        period = a.period or (bill.period if bill else "")
        readings = reading_line(bill) if bill is not None else None
        kwh = f" {bill.kwh}kWh" if bill is not None and readings is None else ""
        lines.append(Pair(f"{period[:4]}-{period[4:]} 电费{kwh}", format_fen(a.principal_fen)))
        if readings is not None:
            lines.append(readings)
        charged = a.penalty_fen + a.penalty_waived_fen
        if charged:
            lines.append(Pair("  违约金", format_fen(charged)))
        if a.penalty_waived_fen:
            lines.append(Pair("  违约金减免", "-" + format_fen(a.penalty_waived_fen)))
    if prepaid_credit_fen:
        lines.append(Pair("预存电费", format_fen(prepaid_credit_fen)))
    return lines


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
    blocks = _header(hall, title, payment.terminal_id, payment.seq, payment.created_at, cashier.display_name, reprint)
    if reversal:
        original = session.get(Payment, payment.reverses_id)
        blocks += [Pair("原流水号", receipt_number(original.terminal_id, original.seq)),
                   Text(f"冲正原因：{payment.reason or ''}"), Rule()]
    blocks += [Pair("户号", account.account_no), Pair("户名", mask_name(account.name)), Text(f"地址：{account.address}"), Rule()]
    blocks += item_lines(body.allocations, bills, body.prepaid_credit_fen)
    amount = body.amount_fen
    blocks += [Rule(), Pair("退款合计" if reversal else "合计", format_fen(amount), bold=True),
               Text(f"人民币（大写）{rmb_upper(amount)}")]
    for tender in body.tenders:
        reference = f" {tender.reference[-6:]}" if tender.reference else ""
        blocks.append(Pair(("退回" if reversal else "") + TENDER_LABELS.get(tender.kind, tender.kind) + reference,
                           format_fen(tender.amount_fen)))
    # 实收 (实退 for a reversal): what the customer handed over; less 找零 it is the 合计.
    blocks.append(Pair("实退" if reversal else "实收", format_fen(body.tendered_fen)))
    if body.change_fen:
        blocks.append(Pair("找零", format_fen(body.change_fen)))
    blocks.append(Pair("预存余额", format_fen(body.prepaid_balance_after_fen)))
    if body.reconnect_requested:
        blocks.append(Text("已提交复电申请，请保持联系电话畅通"))
    blocks += [Rule(), QRCode(qr_payload(payment.terminal_id, payment.kind, payment.id, payment.seq, amount)),
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
    blocks = _header(hall, title, move.terminal_id, move.seq, move.created_at, user.display_name, reprint)
    blocks += [Pair("用途", purpose), Text(f"说明：{move.reason}"), Pair("金额", format_fen(move.amount_fen), bold=True),
               Text(f"人民币（大写）{rmb_upper(move.amount_fen)}"), Blank(), Pair("交款人签字", "________"),
               Pair("收款人签字", "________"), Blank()]
    return Document("cash_movement", title, tuple(blocks), kick_drawer=True, entity_id=move.id, reprint=reprint)


SHIFT_REPORT_TITLE = "交班单"


CASH_OUT_LABELS = {"turn_in": "交款", "bank_pickup": "解款"}


def shift_report_document(hall: Hall, totals: ShiftTotals, cashier: str, reprint: int = 0) -> Document:
    """交班单 (shift hand-over slip): takings by tender, cash movements, expected and counted cash and
    the over/short in words (短款 ￥2.00 / 长款 ￥2.00 / 无长短款), with lines to sign.

    Each money section adds up to its bold total: 收费金额 − 冲正金额 = 净收合计; the tenders =
    净收合计; 备用金 + 存入 + 现金净收 − 交款 − 解款 = 应有现金. The waivers granted are said
    apart (违约金减免 is money not taken, in none of the sums).
    """
    blocks = [Heading(SHIFT_REPORT_TITLE), Text(hall.name, "center")]
    if reprint:
        blocks.append(Text(f"** 重打 第{reprint}次 **", "center"))
    blocks += [Pair("窗口", _window(hall, totals.terminal_id)), Pair("收费员", cashier),
               Pair("营业日", totals.business_date.isoformat()), Rule(),
               Pair("收费笔数", str(totals.payments)), Pair("冲正笔数", str(totals.reversals)),
               Pair("重打次数", str(totals.reprints)), Pair("违约金减免（不计入收费）", format_fen(totals.penalty_waived_fen)),
               Rule(),
               Pair("收费金额", format_fen(totals.payments_fen)), Pair("冲正金额", ("-" if totals.reversals_fen else "") + format_fen(totals.reversals_fen)),
               Pair("净收合计", format_fen(totals.net_fen), bold=True), Rule()]
    for kind, amount in totals.by_tender.items():
        blocks.append(Pair(TENDER_LABELS.get(kind, kind), format_fen(amount)))
    blocks += [Pair("净收合计", format_fen(sum(totals.by_tender.values())), bold=True), Rule(),
               Pair("备用金", format_fen(totals.opening_float_fen)), Pair("存入", format_fen(totals.cash_in_fen)),
               Pair("现金净收", format_fen(totals.by_tender.get("cash", 0)))]
    for purpose, amount in totals.cash_out_fen.items():
        blocks.append(Pair(CASH_OUT_LABELS.get(purpose, "取出"), "-" + format_fen(amount)))
    blocks.append(Pair("应有现金", format_fen(totals.expected_cash_fen), bold=True))
    if totals.counted_cash_fen is not None:
        blocks += [Rule(), Pair("实点现金", format_fen(totals.counted_cash_fen)),
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
    """What ``print-test`` prints: Chinese text, a receipt's money lines that add up to their 合计
    (as a payment's do) with a bill's meter readings, an uppercase amount, a QR code and a drawer kick."""
    allocations = [AllocationBody(bill_id=1, period="202512", principal_fen=11683, penalty_fen=221, penalty_waived_fen=200),
                   AllocationBody(bill_id=0, period="202601", principal_fen=17050, penalty_fen=0, penalty_waived_fen=0)]
    credit = 1046
    # The first bill with its meter readings (as a bill from the upstream has them), the second without.
    items = item_lines(allocations, {1: SimpleNamespace(period="202512", kwh=212, reading_start="8513.27",
                                                        reading_end="8725.27")}, credit)
    amount = sum(a.principal_fen + a.penalty_fen for a in allocations) + credit
    blocks = [Heading("打印测试"), Text(hall.name, "center"), Pair("窗口", f"{hall.terminal_name} {hall.terminal_id}"),
              Rule(), Text("供电营业厅收费柜台 打印机测试页：中文、全角符号（￥，。：）、English 123。"),
              Pair("户名", mask_name("张三明")), Rule(), *items,
              Rule(), Pair("合计", format_fen(amount), bold=True), Text(f"人民币（大写）{rmb_upper(amount)}"),
              Pair("现金", format_fen(32000)), Pair("实收", format_fen(32000)), Pair("找零", format_fen(32000 - amount)),
              Rule(), QRCode(qr_payload(hall.terminal_id, "test", "print-test", 0, amount)),
              Text(f"供电服务热线 {HOTLINE}", "center"), Blank()]
    return Document("test", "打印测试", tuple(blocks), kick_drawer=True)
