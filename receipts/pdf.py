"""PDF documents with reportlab and an embedded Chinese font found on the system:
receipt copies, shift reports, day-end settlement with its deposit slip, arrears notices (催费通知单).

Every paragraph wraps as Chinese is written, between any two characters (reportlab's CJK word
wrap, which keeps closing punctuation off the start of a line), inside its column: a long address
is never one clipped line. A character the main font lacks (𠀾, 䶮 in a name) is drawn from a
fallback font that has it (``receipts.fonts.font_for``: SimSun-ExtB / MingLiU-ExtB on Windows,
HanaMin from ``fonts-hanazono``, Noto CJK or AR PL on Debian, UOS and Kylin), embedded like the
main one; a character no installed font has is drawn as □, never dropped.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from cashier import private
from cashier.errors import CashierError
from cashier.money import format_fen, rmb_upper
from cashier.privacy import mask_name
from cashier.quote import AccountQuote
from cashier.reports import ShiftTotals
from cashier.shifts import describe_over_short
from cashier.files import writable_file
from cashier.supervision import SettlementReport
from receipts.builders import CASH_OUT_LABELS, HOTLINE, SHIFT_REPORT_TITLE, TENDER_LABELS, Hall
from receipts.document import Blank, Document, Heading, Pair, QRCode, Rule, Text
from receipts.fonts import find_cjk_font, font_for
from receipts.layout import REPLACEMENT

FONT = "CJK"
_ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}


def _to_unicode_cmap(fontname: str, subset, _reportlab=ttfonts.makeToUnicodeCMap) -> str:
    """reportlab's ToUnicode map, with characters beyond the BMP (𠀾 U+2003E) as UTF-16 pairs.

    reportlab writes ``<2003E>`` there, which readers ignore: the glyph is drawn, but copying the
    text or reading it back (pdftotext, a search) loses the character. UTF-16BE is what the PDF
    reference asks for.
    """
    cmap = _reportlab(fontname, subset)
    for code, value in enumerate(subset):
        if value > 0xFFFF:
            cmap = cmap.replace("<%02X> <%04X>" % (code, value),
                                "<%02X> <%s>" % (code, chr(value).encode("utf-16-be").hex().upper()))
    return cmap


if not getattr(ttfonts.makeToUnicodeCMap, "beyond_bmp", False):
    _to_unicode_cmap.beyond_bmp = True
    ttfonts.makeToUnicodeCMap = _to_unicode_cmap


@lru_cache(maxsize=1)
def register_font() -> str:
    path, index = find_cjk_font()
    pdfmetrics.registerFont(TTFont(FONT, str(path), subfontIndex=index))
    return FONT


@lru_cache(maxsize=8)
def _register_fallback(path: str, index: int) -> str:
    name = f"{FONT}-{Path(path).stem}-{index}"
    pdfmetrics.registerFont(TTFont(name, path, subfontIndex=index))
    return name


@lru_cache(maxsize=4096)
def _face(ch: str) -> tuple[str, str]:
    """The character to draw and the registered font that draws it: main, a fallback, or □ in the main font."""
    main = register_font()
    if ch < "\x80":
        return ch, main
    font = font_for(ch)
    if font is None:
        return REPLACEMENT, main
    if font == find_cjk_font():
        return ch, main
    return ch, _register_fallback(str(font[0]), font[1])


def runs(text: str) -> list[tuple[str, str]]:
    """``text`` cut into (font name, characters) runs, each drawn by a font that has its glyphs."""
    out: list[tuple[str, str]] = []
    for ch in text:
        shown, font = _face(ch)
        if out and out[-1][0] == font:
            out[-1] = (font, out[-1][1] + shown)
        else:
            out.append((font, shown))
    return out


def string_width(text: str, size: float) -> float:
    return sum(pdfmetrics.stringWidth(run, font, size) for font, run in runs(text))


def markup(text: str) -> str:
    """Paragraph markup for ``text``: escaped, each fallback run in its own ``<font>``."""
    return "".join(escape(run) if font == FONT else f'<font name="{font}">{escape(run)}</font>'
                   for font, run in runs(text))


class _Page:
    """A canvas with a cursor that starts a new page when the current one is full."""

    def __init__(self, path: Path | None, size=A4, margin: float = 18 * mm, title: str = "") -> None:
        """``path`` None: a page drawn only to measure how tall its content is (``used``)."""
        register_font()
        self.path = Path(path) if path is not None else None
        self.canvas = Canvas(str(path) if path is not None else io.BytesIO(), pagesize=size, pageCompression=1)
        self.canvas.setTitle(title)
        self.width, self.height = size
        self.margin = margin
        self.y = self.height - margin
        self.page_header = None

    @property
    def column(self) -> float:
        return self.width - 2 * self.margin

    @property
    def used(self) -> float:
        return self.height - self.margin - self.y

    def new_page(self) -> None:
        self.canvas.showPage()
        self.y = self.height - self.margin
        if self.page_header:
            self.page_header()

    def need(self, height: float) -> None:
        if self.y - height < self.margin:
            self.new_page()

    def draw(self, x: float, baseline: float, value: str, size: float, anchor: str = "left") -> None:
        """One line of text, each run in a font that has its glyphs (no wrapping: table cells, amounts)."""
        if anchor != "left":
            width = string_width(value, size)
            x -= width / 2 if anchor == "center" else width
        for font, run in runs(value):
            self.canvas.setFont(font, size)
            self.canvas.drawString(x, baseline, run)
            x += pdfmetrics.stringWidth(run, font, size)

    def paragraph(self, value: str, size: float = 10, align: str = "left", width: float | None = None) -> float:
        """``value`` wrapped as Chinese is, within ``width`` (the column); across pages when long.

        Returns the baseline of its first line.
        """
        width = self.column if width is None else width
        if not value.strip():
            self.need(size * 1.5)
            self.y -= size * 1.5
            return self.y + size * 0.5
        style = ParagraphStyle("cjk", fontName=FONT, fontSize=size, leading=size * 1.5, wordWrap="CJK",
                               alignment=_ALIGN[align])
        pending = [Paragraph(markup(value), style)]
        first = None
        while pending:
            para = pending.pop(0)
            room = self.y - self.margin
            _, height = para.wrap(width, room)
            if height <= room:
                para.drawOn(self.canvas, self.margin, self.y - height)
                if first is None:
                    first = self.y - size * 1.25
                self.y -= height
                continue
            parts = para.split(width, room)
            if len(parts) < 2:  # not even one line fits: the next page
                self.new_page()
                pending.insert(0, para)
            else:
                pending = parts + pending
        return first

    def text(self, value: str, size: float = 10, align: str = "left") -> None:
        self.paragraph(value, size, align)

    def wrapped(self, value: str, size: float = 10) -> None:
        self.paragraph(value, size)

    def pair(self, left: str, right: str, size: float = 10, bold: bool = False) -> None:
        """A label and a value flush right on one line; a label too long for it wraps beside the value."""
        font_size = size + (1 if bold else 0)
        right_width = string_width(right, font_size)
        room = self.column - right_width - font_size
        if right_width > self.column / 2:  # a value as long as a sentence: label, then the value flush right
            self.paragraph(left, font_size)
            self.paragraph(right, font_size, "right")
            return
        if string_width(left, font_size) <= room:
            self.need(size * 1.5)
            self.draw(self.margin, self.y - size, left, font_size)
            self.draw(self.width - self.margin, self.y - size, right, font_size, "right")
            self.y -= size * 1.5
            return
        self.need(size * 3)
        baseline = self.paragraph(left, font_size, width=room)
        self.draw(self.width - self.margin, baseline, right, font_size, "right")

    def row(self, cells: list[str], xs: list[float], size: float = 8, right: frozenset[int] = frozenset()) -> None:
        self.need(size * 1.45)
        for i, (cell, x) in enumerate(zip(cells, xs)):
            self.draw(self.margin + x, self.y - size, cell, size, "right" if i in right else "left")
        self.y -= size * 1.45

    def rule(self) -> None:
        self.need(6)
        self.canvas.line(self.margin, self.y - 3, self.width - self.margin, self.y - 3)
        self.y -= 6

    def qr(self, data: str, side: float = 30 * mm) -> None:
        self.need(side + 4)
        widget = QrCodeWidget(data)
        x1, y1, x2, y2 = widget.getBounds()
        drawing = Drawing(side, side, transform=[side / (x2 - x1), 0, 0, side / (y2 - y1), 0, 0])
        drawing.add(widget)
        renderPDF.draw(drawing, self.canvas, (self.width - side) / 2, self.y - side)
        self.y -= side + 4

    def save(self) -> None:
        private.create_file(self.path)  # customers' names and amounts: 0600, which reportlab's write keeps
        self.canvas.save()


RECEIPT_WIDTH = 80 * mm
RECEIPT_MARGIN = 5 * mm


def _draw_document(doc: Document, page: _Page) -> None:
    for block in doc.blocks:
        if isinstance(block, Heading):
            page.text(block.text, 14, align="center")
        elif isinstance(block, Text):
            page.text(block.text, 8, align=block.align)
        elif isinstance(block, Pair):
            page.pair(block.left, block.right, 8, block.bold)
        elif isinstance(block, Rule):
            page.rule()
        elif isinstance(block, QRCode):
            page.qr(block.data, 25 * mm)
        elif isinstance(block, Blank):
            page.y -= 8 * block.lines


def document_pdf(doc: Document, path: Path) -> Path:
    """A copy of a receipt (or any document) on an 80 mm wide page as long as its content (a long
    address wraps onto more lines and the page grows with it)."""
    probe = _Page(None, size=(RECEIPT_WIDTH, 10_000 * mm), margin=RECEIPT_MARGIN, title=doc.title)
    _draw_document(doc, probe)
    height = max(100 * mm, probe.used + 2 * RECEIPT_MARGIN + 2 * mm)
    page = _Page(path, size=(RECEIPT_WIDTH, height), margin=RECEIPT_MARGIN, title=doc.title)
    _draw_document(doc, page)
    page.save()
    return path


@dataclass(frozen=True)
class PaymentLine:
    seq: int
    at: datetime
    account_no: str
    kind: str
    amount_fen: int
    tenders: str


def shift_report_pdf(path: Path, hall: Hall, totals: ShiftTotals, cashier: str, payments: list[PaymentLine]) -> Path:
    """交班单 on A4: the shift's totals, the over/short in words, and every payment of the shift."""
    page = _Page(path, title=SHIFT_REPORT_TITLE)
    page.text(SHIFT_REPORT_TITLE, 16, align="center")
    page.text(f"{hall.name}  {hall.terminal_name} {hall.terminal_id}  营业日 {totals.business_date.isoformat()}", 10,
              align="center")
    page.rule()
    page.pair("收费员", cashier)
    page.pair("收费笔数 / 冲正笔数", f"{totals.payments} 笔 / {totals.reversals} 笔")
    page.pair("重打次数", str(totals.reprints))
    page.pair("违约金减免（不计入收费）", format_fen(totals.penalty_waived_fen))
    page.rule()
    # Each group adds up to its bold total, as on the 交班单 receipt.
    page.pair("收费金额", format_fen(totals.payments_fen))
    page.pair("冲正金额", ("-" if totals.reversals_fen else "") + format_fen(totals.reversals_fen))
    page.pair("净收合计", format_fen(totals.net_fen), bold=True)
    page.rule()
    for kind, amount in totals.by_tender.items():
        page.pair(f"  {TENDER_LABELS.get(kind, kind)}", format_fen(amount))
    page.pair("净收合计", format_fen(sum(totals.by_tender.values())), bold=True)
    page.rule()
    page.pair("备用金", format_fen(totals.opening_float_fen))
    page.pair("存入", format_fen(totals.cash_in_fen))
    page.pair("现金净收", format_fen(totals.by_tender.get("cash", 0)))
    for purpose, amount in totals.cash_out_fen.items():
        page.pair(CASH_OUT_LABELS.get(purpose, "取出"), "-" + format_fen(amount))
    page.pair("应有现金", format_fen(totals.expected_cash_fen), bold=True)
    if totals.counted_cash_fen is not None:
        page.rule()
        page.pair("实点现金", format_fen(totals.counted_cash_fen))
        page.pair("长短款", describe_over_short(totals.over_short_fen or 0, "zh"), bold=True)
        if totals.over_short_reason:
            page.wrapped(f"长短款原因：{totals.over_short_reason}")
    page.rule()
    xs = [0, 50, 145, 215, 300, 380]
    header = ["流水号", "时间", "户号", "类型", "金额", "付款方式"]

    def table_header() -> None:
        page.row(header, xs, 8, right=frozenset({4}))

    page.page_header = table_header
    table_header()
    for p in payments:
        page.row([f"{p.seq:08d}", hall.local(p.at)[5:], p.account_no, "冲正" if p.kind == "reversal" else "收费",
                  ("-" if p.kind == "reversal" else "") + format_fen(p.amount_fen), p.tenders], xs, 8, right=frozenset({4}))
    page.page_header = None
    page.rule()
    page.pair("收费员签字：", "班长签字：")
    page.save()
    return path


def write_shift_report(store, hall: Hall, shift_id: str, folder: Path) -> Path:
    """The 交班单 of a shift with every payment of it, as ``folder/交班单-TERMINAL-DATE-HHMM.pdf``."""
    from sqlalchemy import select

    from cashier.reports import shift_totals
    from cashier.store.models import Account, Payment, Shift, Tender, User

    with store.read() as s:
        shift = s.get(Shift, shift_id)
        if shift is None:
            raise CashierError("shift.not_closed")
        totals = shift_totals(s, shift_id)
        user = s.get(User, shift.cashier_id)
        cashier = user.display_name if user else ""
        rows = s.execute(select(Payment.id, Payment.seq, Payment.created_at, Account.account_no, Payment.kind,
                                Payment.applied_fen + Payment.prepaid_credit_fen)
                         .join(Account, Account.id == Payment.account_id)
                         .where(Payment.shift_id == shift_id).order_by(Payment.seq)).all()
        kinds: dict[str, list[str]] = {}
        for pid, kind in s.execute(select(Tender.payment_id, Tender.kind).join(Payment, Payment.id == Tender.payment_id)
                                   .where(Payment.shift_id == shift_id).order_by(Tender.id)):
            kinds.setdefault(pid, []).append(TENDER_LABELS.get(kind, kind))
        closed = hall.local(shift.closed_at or shift.opened_at)
    lines = [PaymentLine(seq, at, number, kind, amount, "+".join(dict.fromkeys(kinds.get(pid, []))))
             for pid, seq, at, number, kind, amount in rows]
    stamp = closed[:10] + "-" + closed[11:16].replace(":", "")
    path = writable_file(folder, f"{SHIFT_REPORT_TITLE}-{totals.terminal_id}-{stamp}.pdf")
    return shift_report_pdf(path, hall, totals, cashier, lines)


def settlement_pdf(path: Path, hall: Hall, business_date: date, deposit_cash_fen: int, totals_json: str,
                   settled_by: str, per_terminal: dict[str, dict] | None = None,
                   shifts: list[tuple[ShiftTotals, str]] = ()) -> Path:
    """Day-end settlement (日结) and, below it, the bank deposit slip (现金缴款单).

    ``per_terminal`` (terminal → its day totals) and ``shifts`` (each shift's totals and cashier)
    add the day's report: takings by counter and every shift with its over/short.
    """
    totals = json.loads(totals_json)
    page = _Page(path, title="日结报表")
    page.text("营业厅日结报表", 16, align="center")
    page.text(f"{hall.name}  营业日 {business_date.isoformat()}", 10, align="center")
    page.rule()
    page.pair("班次数", str(totals["shifts"]))
    page.pair("收费笔数 / 冲正笔数", f"{totals['payments']} / {totals['reversals']}")
    for kind, amount in totals["by_tender"].items():
        page.pair(TENDER_LABELS.get(kind, kind), format_fen(amount))
    page.pair("长短款合计", describe_over_short(totals["over_short_fen"] or 0, "zh"))
    page.pair("已解款（银行上门）", format_fen(totals["bank_pickup_fen"]))
    page.pair("班长收交款", format_fen(totals["turn_in_fen"]))
    page.pair("日结人", settled_by)
    if per_terminal:
        page.rule()
        page.text("分柜台收费", 11)
        xs = [0, 120, 200, 320]
        page.row(["柜台", "收费笔数", "冲正笔数", "净收"], xs, 9, right=frozenset({3}))
        for terminal, day in per_terminal.items():
            page.row([terminal, str(day["payments"]), str(day["reversals"]), format_fen(day["total_fen"])], xs, 9,
                     right=frozenset({3}))
    if shifts:
        page.rule()
        page.text("班次明细", 11)
        xs = [0, 45, 160, 240, 320, 335]
        page.row(["柜台", "收费员", "净收", "实点现金", "长短款", "原因"], xs, 9, right=frozenset({2, 3, 4}))
        for st, cashier in shifts:
            page.row([st.terminal_id, cashier, format_fen(st.net_fen), format_fen(st.counted_cash_fen or 0),
                      describe_over_short(st.over_short_fen or 0, "zh"), (st.over_short_reason or "")[:14]], xs, 9,
                     right=frozenset({2, 3, 4}))
    page.y -= 20
    page.text("现金缴款单", 14, align="center")
    page.rule()
    page.pair("缴款单位", hall.name)
    page.pair("缴款日期", business_date.isoformat())
    page.pair("金额", format_fen(deposit_cash_fen), 12, bold=True)
    page.text(f"人民币（大写）{rmb_upper(max(deposit_cash_fen, 0))}", 11)
    page.y -= 12
    page.pair("缴款人签字：", "银行经办签章：")
    page.save()
    return path


def write_settlement(report: SettlementReport, folder: Path, hall: Hall) -> Path:
    """The day's report with its deposit slip, as ``folder/日结-DATE.pdf``."""
    path = writable_file(folder, f"日结-{report.business_date.isoformat()}.pdf")
    return settlement_pdf(path, hall, report.business_date, report.deposit_cash_fen, report.totals_json,
                          report.settled_by, per_terminal=report.per_terminal,
                          shifts=[(r.totals, r.cashier) for r in report.shifts])


def arrears_notices_pdf(path: Path, hall: Hall, quotes: list[AccountQuote], pay_by: date) -> Path:
    """催费通知单: one page for each account, bills with penalty to date, where and by when to pay."""
    page = _Page(path, title="电费催费通知单")
    for number, q in enumerate(quotes):
        if number:
            page.canvas.showPage()
            page.y = page.height - page.margin
        page.text("电费催费通知单", 18, align="center")
        page.text(hall.name, 10, align="center")
        page.rule()
        page.pair("户号", q.account_no)
        page.pair("户名", mask_name(q.name))
        page.wrapped(f"用电地址：{q.address}")
        page.wrapped(f"尊敬的客户：截至 {q.on.isoformat()}，您户尚欠电费如下，请于 {pay_by.isoformat()} 前缴清。"
                     "逾期将按《供电营业规则》计收电费违约金，欠费超过规定期限的，将依法停止供电。")
        page.rule()
        xs = [0, 60, 175, 200, 300, 390]
        page.row(["账期", "电量 kWh", "欠费", "到期日", "逾期天数", "违约金"], xs, 9, right=frozenset({2, 5}))
        for b in q.bills:
            page.row([f"{b.period[:4]}-{b.period[4:]}", str(b.kwh), format_fen(b.outstanding_fen), b.due_date.isoformat(),
                      str(b.overdue_days), format_fen(b.penalty_fen)], xs, 9, right=frozenset({2, 5}))
        page.rule()
        page.pair("欠费合计", format_fen(q.principal_fen))
        page.pair("违约金（截至通知日）", format_fen(q.penalty_fen))
        page.pair("应缴合计", format_fen(q.total_due_fen), 12, bold=True)
        page.text(f"人民币（大写）{rmb_upper(q.total_due_fen)}", 10)
        page.y -= 10
        page.wrapped("缴费渠道：供电营业厅柜台、网上国网 App、95598 网站、微信、支付宝、电e宝、银行代收。")
        page.text(f"供电服务热线 {HOTLINE}", 10)
        page.text(f"通知日期 {q.on.isoformat()}", 10, align="right")
    page.save()
    return path
