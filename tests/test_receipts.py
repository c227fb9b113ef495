"""ESC/POS receipts decoded back byte by byte: text, widths on 58 and 80 mm, headings, QR,
drawer kick only for cash, reprints, raster mode, and the preview image."""

from datetime import date

import pytest

from cashier import shifts
from cashier.money import rmb_upper
from cashier.payments import TenderLine, take_payment
from receipts.builders import Hall, payment_document, sample_document
from receipts.document import Document, Pair, Text
from receipts.escpos_render import render_escpos
from receipts.layout import COLUMNS, printable
from receipts.raster import render_image
from tests.helpers.escpos_decode import decode
from tests.helpers.hall import add_account, make_hall, standard_accounts

HALL = Hall("城关供电营业厅", "T01", "1号窗口")
LONG_ADDRESS = "城关镇" + "幸福路" * 45 + "𠀀号院😀" + "1" * 60 + "¥"


@pytest.fixture(scope="module")
def paid(tmp_path_factory):
    hall = make_hall(tmp_path_factory.mktemp("hall"))
    standard_accounts(hall.store)
    add_account(hall.store, "3101000009", name="𠀀龘犇", address=LONG_ADDRESS, bills=[("202601", 100, date(2026, 2, 25))])
    shifts.open_shift(hall.terminal, hall.cashier, {10000: 5})
    t = hall.terminal
    cash = take_payment(t, hall.cashier, "3101000001", 29254, [TenderLine("cash", 30000)])
    card = take_payment(t, hall.cashier, "3101000004", 20100, [TenderLine("bank_card", 20100, "POS-000123456")])
    odd = take_payment(t, hall.cashier, "3101000009", 200, [TenderLine("cash", 200)])
    docs = {}
    with hall.store.read() as s:
        for name, result in (("cash", cash), ("card", card), ("odd", odd)):
            docs[name] = payment_document(s, HALL, result.payment_id)
        docs["reprint"] = payment_document(s, HALL, cash.payment_id, reprint=2)
    yield docs, {"cash": cash, "card": card, "odd": odd}
    hall.store.close()


def text_of(job):
    return "\n".join(line.text for line in job.lines)


@pytest.mark.parametrize("width", [58, 80])
def test_cash_receipt_decodes_to_the_right_chinese_text(paid, width):
    docs, results = paid
    job = decode(render_escpos(docs["cash"], width))
    assert job.initialized and job.chinese_mode_used
    text = text_of(job)
    joined = "".join(line.text.strip() for line in job.lines)  # wrapped lines read as one
    assert "人民币（大写）" + rmb_upper(29254) in joined
    for expected in ("电费缴费凭证", "城关供电营业厅", "T01-00000001", "3101000001", "张*明", "2025-12",
                     "违约金", "￥292.54", "现金", "￥300.00", "找零", "￥7.46", "95598"):
        assert expected in text, expected
    assert "张三明" not in text and "\u00a5" not in text
    heading = [line for line in job.lines if line.size == 0x11]
    assert [line.text for line in heading] == ["电费缴费凭证"]  # GS ! doubles Chinese too
    assert job.qr == [f"HC1|payment|T01|1|{results['cash'].payment_id}|29254"]
    assert (job.kicks, job.cuts) == (1, 1)


@pytest.mark.parametrize("name", ["cash", "card", "odd", "reprint"])
@pytest.mark.parametrize("width", [58, 80])
def test_no_line_overflows_the_paper(paid, name, width):
    docs, _ = paid
    for line in decode(render_escpos(docs[name], width)).lines:
        limit = COLUMNS[width] // 2 if line.size == 0x11 else COLUMNS[width]
        assert line.columns <= limit, line.text  # a printer in Chinese mode prints each byte one column wide


def test_card_only_payment_does_not_open_the_drawer(paid):
    docs, _ = paid
    job = decode(render_escpos(docs["card"], 80))
    assert job.kicks == 0 and job.cuts == 1
    assert "银行卡 123456" in text_of(job)


def test_rare_characters_are_drawn_and_long_addresses_wrapped(paid):
    docs, _ = paid
    job = decode(render_escpos(docs["odd"], 58))
    text = text_of(job)
    # 𠀀 (four GB18030 bytes) is not in a printer's font: its lines go as pictures, the others as text.
    assert "𠀀" not in text and "😀" not in text and "□" not in text
    assert [w for w, _ in job.images if w == 384] and job.chinese_mode_used
    assert "￥" in text and "幸福路幸福路" in text


def test_reprint_says_so(paid):
    docs, _ = paid
    assert "重打 第2次" in text_of(decode(render_escpos(docs["reprint"], 58)))
    assert "重打" not in text_of(decode(render_escpos(docs["cash"], 58)))


def test_qr_as_image_when_the_printer_has_no_native_qr(paid):
    docs, _ = paid
    job = decode(render_escpos(docs["cash"], 80, native_qr=False))
    assert job.qr == [] and job.raster_rows > 100


def test_raster_mode_sends_a_bitmap_and_no_chinese_text(paid):
    docs, _ = paid
    job = decode(render_escpos(docs["cash"], 58, raster=True))
    assert not job.chinese_mode_used and job.raster_rows > 600 and job.kicks == 1 and job.cuts == 1


def test_preview_image_has_the_paper_width():
    assert render_image(sample_document(HALL), 58).size[0] == 384
    assert render_image(sample_document(HALL), 80).size[0] == 576


def test_printable_maps_yen_and_drops_controls_and_keeps_every_character():
    assert printable("¥12\x07\tA") == "￥12 A"
    assert printable("𠀀䶮") == "𠀀䶮"


def test_zero_amount_line_and_huge_label_still_lay_out():
    doc = Document("test", "t", (Pair("金额" * 40, "￥0.00"), Text("")))
    for line in decode(render_escpos(doc, 58)).lines:
        assert line.columns <= 32


def test_reversal_cash_movement_and_shift_report_documents(tmp_path):
    from cashier.payments import reverse_payment
    from cashier.reports import shift_totals
    from receipts.builders import cash_movement_document, shift_report_document

    hall = make_hall(tmp_path)
    standard_accounts(hall.store)
    t = hall.terminal
    sid = shifts.open_shift(t, hall.cashier, {10000: 5})
    paid = take_payment(t, hall.cashier, "3101000001", 29254, [TenderLine("cash", 30000)])
    rev = reverse_payment(t, hall.cashier, paid.payment_id, hall.approve("reversal", paid.payment_id), "户号录错")
    move_id, _ = shifts.move_cash(t, hall.cashier, "out", "bank_pickup", 20000, "银行上门收款")
    with hall.store.read() as s:
        reversal = decode(render_escpos(payment_document(s, HALL, rev.payment_id), 58))
        move = decode(render_escpos(cash_movement_document(s, HALL, move_id), 58))
        report = decode(render_escpos(shift_report_document(HALL, shift_totals(s, sid), "李娜"), 80))
    text = text_of(reversal)
    assert "冲正凭证" in text and "原流水号" in text and "T01-00000001" in text and "户号录错" in text
    assert "退回现金" in text and "￥292.54" in text and reversal.kicks == 1
    text = text_of(move)
    assert "现金取出单" in text and "解款" in text and "￥200.00" in text and "T01-00000003" in text
    text = text_of(report)
    assert "交班单" in text and "冲正笔数" in text and "应有现金" in text and report.kicks == 0
    hall.store.close()


def test_missing_chinese_font_is_a_clear_error(monkeypatch, tmp_path):
    from cashier.errors import CashierError
    from receipts import fonts

    monkeypatch.setenv("CASHIER_CJK_FONT", str(tmp_path / "nope.ttf"))
    with pytest.raises(CashierError) as info:
        fonts.find_cjk_font()
    assert info.value.key == "font.missing_override" and "nope.ttf" in str(info.value)
    monkeypatch.delenv("CASHIER_CJK_FONT")
    monkeypatch.setattr(fonts, "CANDIDATES", [(str(tmp_path / "none.ttc"), 0)])
    with pytest.raises(CashierError) as info:
        fonts.find_cjk_font()
    assert info.value.key == "font.none" and "fonts-wqy-microhei" in str(info.value)
